/** One requested field, with its nested selection for edges like `children{media_type,media_url}`. */
export interface FieldSelection {
  name: string;
  children?: FieldSelection[];
}

/** Parses Graph's `fields` parameter; `undefined` when the braces do not balance. */
export function parseFields(raw: string): FieldSelection[] | undefined {
  let pos = 0;
  const parseList = (depth: number): FieldSelection[] | undefined => {
    const list: FieldSelection[] = [];
    let name = "";
    const flush = (children?: FieldSelection[]) => {
      const trimmed = name.trim();
      if (trimmed) list.push(children ? { name: trimmed, children } : { name: trimmed });
      name = "";
    };
    while (pos < raw.length) {
      const ch = raw[pos++];
      if (ch === ",") flush();
      else if (ch === "{") {
        const children = parseList(depth + 1);
        if (!children) return undefined;
        flush(children);
        if (raw[pos] === ",") pos++;
      } else if (ch === "}") {
        if (depth === 0) return undefined;
        flush();
        return list;
      } else name += ch;
    }
    if (depth > 0) return undefined;
    flush();
    return list;
  };
  return parseList(0);
}
