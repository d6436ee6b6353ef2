import { env } from "cloudflare:workers";
import { type ConfigSource, loadConfig, type RelayConfig } from "../../src/config/relay-config.ts";

/** 32 bytes filled with `fill`, as base64 (test keys only). */
export function testKey(fill: number): string {
  return btoa(String.fromCharCode(...new Uint8Array(32).fill(fill)));
}

/** The test env's settings with some replaced (undefined removes one). */
export function settings(overrides: ConfigSource = {}): ConfigSource {
  const base: ConfigSource = { ...(env as unknown as ConfigSource) };
  return { ...base, ...overrides };
}

/** A validated config from the test env with some settings replaced; throws if invalid. */
export function configWith(overrides: ConfigSource = {}): RelayConfig {
  const result = loadConfig(settings(overrides));
  if (!result.ok) throw new Error(`test config invalid: ${JSON.stringify(result.failure)}`);
  return result.value;
}
