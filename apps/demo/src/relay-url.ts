/** The relay the demo talks to: `VITE_RELAY_URL` at build time, else the local `wrangler dev` relay. */
export const RELAY_URL: string = import.meta.env.VITE_RELAY_URL ?? "http://localhost:8787";
