import { type Schema, Validator } from "@cfworker/json-schema";
import { expect } from "vitest";
import type { RelayResponse } from "../support/relay.ts";

/** The parts of an OpenAPI document the response check reads. */
export interface OpenApiDoc {
  openapi: string;
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>
  >;
  components: { schemas: Record<string, Schema> };
}

/** Every (method, path template) whose real answers were checked, for the coverage assertion. */
export const checked = new Set<string>();

/**
 * Asserts a real relay answer is documented: its status is listed for the route, its media
 * type is one the document names, and a JSON body validates against the schema (refs resolve
 * into the document's components).
 */
export function expectDocumented(
  doc: OpenApiDoc,
  method: string,
  template: string,
  response: RelayResponse,
): void {
  const where = `${method.toUpperCase()} ${template} -> ${response.status}`;
  const operation = doc.paths[template]?.[method.toLowerCase()];
  expect(operation, `${where}: route not in the document`).toBeDefined();
  const documented = operation?.responses[String(response.status)];
  expect(documented, `${where}: status not documented`).toBeDefined();
  checked.add(`${method.toUpperCase()} ${template}`);
  const contentType = (response.headers.get("Content-Type") ?? "").split(";")[0] ?? "";
  if (!documented?.content) return;
  const media = documented.content[contentType];
  expect(media, `${where}: ${contentType} not documented`).toBeDefined();
  if (contentType !== "application/json" || !media) return;
  const validator = new Validator(
    { ...media.schema, components: doc.components } as Schema,
    "2020-12",
    false,
  );
  const result = validator.validate(response.json());
  expect(
    result.errors.map((error) => `${error.instanceLocation}: ${error.error}`),
    where,
  ).toEqual([]);
}
