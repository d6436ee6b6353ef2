#!/usr/bin/env node
// Writes src/openapi/openapi.json from the routes' zod schemas (src/openapi/openapi-document.ts).
// The worker serves the generated file, so zod's JSON-schema generator stays out of the bundle;
// test/api/openapi.test.ts fails when the file is stale. Usage: pnpm openapi (Node 22.18+ / 24).
import "../../../scripts/require-node.mjs";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const { openApiDocument } = await import("../src/openapi/openapi-document.ts");
const target = fileURLToPath(new URL("../src/openapi/openapi.json", import.meta.url));
writeFileSync(target, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`wrote ${target}`);
