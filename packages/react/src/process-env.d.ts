// Bundlers replace `process.env.NODE_ENV` at build time (React itself relies on it); declared here so the
// package needs no Node types.
declare const process: { env: { NODE_ENV?: string } };
