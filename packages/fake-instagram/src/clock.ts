import type { FakeClock } from "./types.ts";

/** A clock that follows `base` (default `Date.now`) plus whatever `advance` added. */
export function createClock(base: () => number = () => Date.now()): FakeClock {
  let offset = 0;
  return {
    now: () => base() + offset,
    advance(ms: number) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError("clock.advance needs a finite, non-negative ms");
      offset += ms;
    },
  };
}
