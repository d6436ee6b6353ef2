#!/usr/bin/env node
// Writes assets/openapi.json from the routes' zod schemas (src/openapi/openapi-document.ts).
// The worker serves the generated file from its static assets (env.ASSETS), so neither zod's
// JSON-schema generator nor the document itself is in the uploaded script;
// test/api/openapi.test.ts fails when the file is stale. Usage: pnpm openapi (Node 22.18+ / 24).
import "../../../scripts/require-node.mjs";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const { openApiDocument } = await import("../src/openapi/openapi-document.ts");
const target = fileURLToPath(new URL("../assets/openapi.json", import.meta.url));
writeFileSync(target, `${JSON.stringify(openApiDocument(), null, 2)}\n`);
console.log(`wrote ${target}`);
