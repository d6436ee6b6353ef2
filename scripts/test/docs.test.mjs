// The docs that integrators read stay true: the troubleshooting table lists exactly the contract's error
// codes (plus the widget's network_error) with their HTTP status, every doc is linked from the README,
// and relative links between docs resolve.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { ERROR_CODES, ERROR_STATUS } from "../../packages/types/src/index.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
const read = (path) => readFileSync(join(root, path), "utf8");

test("docs/troubleshooting.md has one row per error code, with its HTTP status", () => {
  const rows = new Map(
    [...read("docs/troubleshooting.md").matchAll(/^\| `([a-z_]+)` +\| ([\d–]+) +\|/gm)].map((m) => [
      m[1],
      m[2],
    ]),
  );
  for (const code of ERROR_CODES) assert.equal(rows.get(code), String(ERROR_STATUS[code]), `row for ${code}`);
  assert.equal(rows.get("network_error"), "–");
  assert.deepEqual([...rows.keys()].sort(), [...ERROR_CODES, "network_error"].sort());
});

test("every doc is linked from the README, and relative links resolve", () => {
  const readme = read("README.md");
  const docs = readdirSync(join(root, "docs")).filter((f) => f.endsWith(".md"));
  for (const doc of ["csp.md", "meta-app-setup.md", "real-instagram.md", "troubleshooting.md"]) {
    assert.ok(docs.includes(doc), `docs/${doc} exists`);
  }
  for (const doc of docs) {
    assert.ok(readme.includes(`](docs/${doc})`), `README links docs/${doc}`);
    for (const [, link] of read(`docs/${doc}`).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^(https?:|mailto:|#)/.test(link)) continue;
      const target = join(root, "docs", link.split("#")[0]);
      assert.ok(existsSync(target), `docs/${doc} links ${link}, which does not exist`);
    }
  }
});

test("meta-app-setup.md cites its sources", () => {
  const text = read("docs/meta-app-setup.md");
  assert.match(text, /## Sources/);
  assert.ok((text.match(/https:\/\/developers\.facebook\.com\//g) ?? []).length >= 5);
});
