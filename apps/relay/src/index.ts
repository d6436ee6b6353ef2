import { createApp } from "./app.ts";

export { OAuthFlow } from "./oauth-flow.ts";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
