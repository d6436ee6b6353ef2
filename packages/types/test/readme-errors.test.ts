import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ERROR_CODES, ERROR_STATUS } from "../src/index.ts";

// The README's error table is what integrators read; it must list exactly the contract's codes.
const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
const rows = new Map(
  [...readme.matchAll(/^\| `([a-z_]+)` +\| (\d{3}) +\|/gm)].map((m) => [m[1] ?? "", Number(m[2])] as const),
);

describe("README error table", () => {
  it("documents every error code with its HTTP status", () => {
    for (const code of ERROR_CODES) {
      expect(rows.get(code), `README row for ${code}`).toBe(ERROR_STATUS[code]);
    }
  });

  it("documents no code the contract does not have", () => {
    expect([...rows.keys()].sort()).toEqual([...ERROR_CODES].sort());
  });
});
