/** Fields of one structured log line: ids, codes and reasons only, never a token or secret. */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

/** Writes one JSON log line (Workers Logs indexes the fields). */
export function logEvent(level: "info" | "warn" | "error", event: string, fields: LogFields = {}): void {
  const line = JSON.stringify({ level, event, ...fields });
  if (level === "error") console.error(line);
  else if (level === "warn") console.warn(line);
  else console.log(line);
}
