/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Base URL of the relay (default http://localhost:8787). */
  readonly VITE_RELAY_URL?: string;
}
