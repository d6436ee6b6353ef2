import { createApp } from "./app.ts";

export { OAuthFlow } from "./oauth/oauth-flow.ts";
export { RateLimiter } from "./rate-limit/rate-limiter.ts";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
