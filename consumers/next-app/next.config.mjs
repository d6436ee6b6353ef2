/** @type {import("next").NextConfig} */
const nextConfig = {
  // The check runs in a cache directory outside any repository: keep Next from guessing a workspace root.
  outputFileTracingRoot: import.meta.dirname,
  turbopack: { root: import.meta.dirname },
};

export default nextConfig;
