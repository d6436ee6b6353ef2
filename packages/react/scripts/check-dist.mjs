// Checks the built files the way consumers meet them (publint, attw and the typecheck read src/):
// no type file starts with a directive (TS1036 under skipLibCheck: false); the client code, and only
// it, is marked "use client", so server components can import the package and read DEFAULT_LABELS.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const dir = process.argv[2] ?? new URL("../dist", import.meta.url).pathname;
const files = readdirSync(dir);
const directive = /^\s*["']use client["']/;
const problems = [];
const read = (file) => readFileSync(join(dir, file), "utf8");

for (const file of files.filter((f) => f.endsWith(".d.ts"))) {
  if (directive.test(read(file))) problems.push(`${file} starts with "use client" (TS1036 for consumers)`);
}
for (const file of ["index.js", "labels.js"]) {
  if (directive.test(read(file)))
    problems.push(`${file} must not be "use client" (server components import it)`);
}
const clientChunks = files.filter((f) => /^client.*\.js$/.test(f));
for (const file of clientChunks) {
  if (!directive.test(read(file))) problems.push(`${file} holds client code but lacks "use client"`);
}
// The development-only checks must reach the consumer's bundler as written, so production drops them.
if (!clientChunks.some((file) => read(file).includes("process.env.NODE_ENV")))
  problems.push("process.env.NODE_ENV was replaced at build time (dev checks would ship to production)");
if (!/DEFAULT_LABELS\s*=/.test(read("labels.js"))) problems.push("labels.js does not define DEFAULT_LABELS");
if (!files.includes("styles.css")) problems.push("styles.css is missing");

if (problems.length) {
  console.error(`dist check failed (${dir}):\n- ${problems.join("\n- ")}`);
  process.exit(1);
}
console.log(`dist check ok: ${files.length} files, type files clean, client chunks marked`);
