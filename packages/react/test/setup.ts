import { cleanup } from "@testing-library/react";
import { afterEach, vi } from "vitest";

// Testing Library only advances fake timers inside waitFor/findBy when it sees a `jest` global.
Object.assign(globalThis, { jest: { advanceTimersByTime: (ms: number) => vi.advanceTimersByTime(ms) } });

afterEach(() => {
  cleanup();
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  if (typeof window === "undefined") return; // server-rendering tests run in node
  localStorage.clear();
  sessionStorage.clear();
  history.replaceState(null, "", "/");
});
