/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Base URL of the relay (default http://localhost:8787). */
  readonly VITE_RELAY_URL?: string;
  /** Base URL of the fake Instagram, proxied at /__fake for the time machine (default http://localhost:8788). */
  readonly VITE_FAKE_URL?: string;
}
