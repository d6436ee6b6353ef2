// Release readiness of the published packages, from the sources (the consumer check covers the tarballs):
// LICENSE, npm metadata, ranges, READMEs that work on the npm page, the 0.1.0 release line and the workflows.
// The repository URL is defined once, in the root package.json's "repository".
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const read = (path) => readFileSync(join(root, path), "utf8");
const rootManifest = JSON.parse(read("package.json"));
const REPO = rootManifest.repository.url.replace(/^git\+/, "").replace(/\.git$/, "");
const published = readdirSync(join(root, "packages"))
  .map((dir) => ({ dir, manifest: JSON.parse(read(`packages/${dir}/package.json`)) }))
  .filter(({ manifest }) => !manifest.private);
const RELEASE_VERSION = "0.1.0";

test("the repository URL is defined once, in the root package.json", () => {
  assert.match(REPO, /^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
  assert.deepEqual(published.map((p) => p.manifest.name).sort(), [
    "@instagram-connect/client",
    "@instagram-connect/react",
    "@instagram-connect/types",
  ]);
});

test("LICENSE: MIT at the root and the same file in every published package", () => {
  const license = read("LICENSE");
  assert.match(license, /^MIT License\n\nCopyright \(c\) \d{4} instagram-connect contributors\n/);
  for (const { dir, manifest } of published) {
    assert.equal(read(`packages/${dir}/LICENSE`), license, `packages/${dir}/LICENSE differs from LICENSE`);
    assert.equal(manifest.license, "MIT");
    assert.ok(manifest.files.includes("LICENSE"), `${manifest.name}: "files" lists LICENSE`);
  }
});

for (const { dir, manifest } of published) {
  test(`${manifest.name}: full npm metadata`, () => {
    assert.deepEqual(manifest.repository, {
      type: "git",
      url: `git+${REPO}.git`,
      directory: `packages/${dir}`,
    });
    assert.equal(manifest.homepage, `${REPO}/tree/main/packages/${dir}#readme`);
    assert.deepEqual(manifest.bugs, { url: `${REPO}/issues` });
    assert.ok(manifest.description?.length > 20, "description");
    assert.ok(Array.isArray(manifest.keywords) && manifest.keywords.includes("instagram"), "keywords");
    assert.match(manifest.engines?.node ?? "", /^>=\d+/, "engines.node");
    assert.ok("sideEffects" in manifest, "sideEffects");
    // A package with a CLI (the client's `keys`) also ships its bin/ launcher.
    const files = ["LICENSE", "README.md", ...(manifest.bin ? ["bin"] : []), "dist"];
    assert.deepEqual(manifest.files.slice().sort(), files);
    assert.equal(manifest.publishConfig?.access, "public");
  });

  test(`${manifest.name}: internal dependencies as workspace:^ (published as ^x.y.z)`, () => {
    for (const field of ["dependencies", "peerDependencies", "optionalDependencies"]) {
      for (const [name, range] of Object.entries(manifest[field] ?? {})) {
        if (name.startsWith("@instagram-connect/")) assert.equal(range, "workspace:^", `${field}.${name}`);
      }
    }
  });

  test(`${manifest.name}: README with links that work on the npm page`, () => {
    const readme = read(`packages/${dir}/README.md`);
    assert.match(readme, new RegExp(`^# ${manifest.name.replace("/", "\\/")}\\n`));
    const links = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
    for (const link of links) {
      assert.ok(
        /^(https?:|mailto:|#)/.test(link),
        `relative link ${link} breaks on npm: use ${REPO}/blob/main/…`,
      );
      if (link.includes("github.com/")) assert.ok(link.startsWith(REPO), `${link}: use ${REPO}`);
    }
  });
}

test(`changesets take every published package to ${RELEASE_VERSION}`, () => {
  const dir = mkdtempSync(join(tmpdir(), "ic-changeset-"));
  try {
    const file = join(dir, "status.json");
    execFileSync(join(root, "node_modules/.bin/changeset"), ["status", `--output=${file}`], {
      cwd: root,
      stdio: "pipe",
    });
    const { releases } = JSON.parse(readFileSync(file, "utf8"));
    for (const { manifest } of published) {
      const release = releases.find((r) => r.name === manifest.name);
      assert.equal(release?.newVersion, RELEASE_VERSION, `${manifest.name}: ${JSON.stringify(release)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("workflows: CI runs .ci/run, release goes through changesets/action", () => {
  assert.match(read(".github/workflows/ci.yml"), /run: bash \.ci\/run/);
  const release = read(".github/workflows/release.yml");
  assert.match(release, /uses: changesets\/action@v\d/);
  assert.match(release, /publish: pnpm release/);
  assert.match(release, /version: pnpm version-packages/);
  assert.match(release, /NPM_TOKEN/);
  assert.equal(rootManifest.scripts.release, "turbo run build && changeset publish");
});

test("the lockfile matches every package.json (what CI's `pnpm install --frozen-lockfile` needs)", () => {
  execFileSync("pnpm", ["install", "--frozen-lockfile", "--lockfile-only", "--offline"], {
    cwd: root,
    stdio: "pipe",
  });
});
