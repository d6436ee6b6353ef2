import { DurableObject } from "cloudflare:workers";

/** Holds one OAuth flow's state so it can be consumed exactly once. */
export class OAuthFlow extends DurableObject<Env> {}
