// Imported first by every repo script (scripts/, apps/relay/scripts/, bench/): fails with one clear line on a
// Node too old for the repo (wrangler needs 22; the scripts load .ts files, which Node runs from 22.18 on)
// instead of `ERR_UNKNOWN_FILE_EXTENSION ".ts"`. This file and whatever an entry script imports statically
// before its first `await import()` must stay plain JavaScript: Node fails while loading, before any check runs.
// INSTAGRAM_CONNECT_NODE_VERSION pretends another version (the test in scripts/test/ uses it).
const MIN = [22, 18];
const found = process.env.INSTAGRAM_CONNECT_NODE_VERSION || process.version;
const [major = 0, minor = 0] = found.replace(/^v/, "").split(".").map(Number);

if (major < MIN[0] || (major === MIN[0] && minor < MIN[1])) {
  console.error(
    `instagram-connect needs Node >= 22 (22.18 or later; found ${found}); run \`bash .ci/run\` or use nvm (\`nvm install\` reads .nvmrc).`,
  );
  process.exit(1);
}
