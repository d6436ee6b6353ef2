/**
 * Instagram sends ids like `user_id` as bare 17-digit JSON numbers, beyond 2^53, which
 * `JSON.parse` silently rounds. Before parsing, quote every bare integer value of an id field
 * so it arrives as the exact digits. Returns undefined when the text is not JSON.
 */
export function parseJsonKeepingIds(text: string): unknown {
  const quoted = text.replace(/"(id|user_id)"(\s*):(\s*)(-?\d+)(?=\s*[,}\]])/g, '"$1"$2:$3"$4"');
  try {
    return JSON.parse(quoted);
  } catch {
    return undefined;
  }
}
