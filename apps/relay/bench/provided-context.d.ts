// Values bench/vitest.config.ts hands to the bench runs through vitest's `provide`.
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** Largest N run against the local KV binding (writing 100k entries there takes minutes). */
    sweepRealKvMax: number;
  }
}
