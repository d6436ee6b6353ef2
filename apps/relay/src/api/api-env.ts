import type { AppEnv } from "../app-env.ts";
import type { ApiKeyRecord } from "./api-key-store.ts";

/** The relay's env plus the API key that authenticated the request (set by `apiKeyAuth`). */
export type ApiEnv = {
  Bindings: AppEnv["Bindings"];
  Variables: AppEnv["Variables"] & { apiKey: ApiKeyRecord };
};
