// Graph's `fields` parameter: "id,message,from{id,name},comments.limit(5).order(reverse_chronological){id,message}".

export interface FieldNode {
  name: string;
  /** Modifiers such as limit(5), order(...), filter(...), summary(true), since(...). */
  modifiers: Record<string, string>;
  /** Sub-fields given in braces; null when none were given (use the defaults). */
  children: FieldNode[] | null;
}

export class FieldsError extends Error {}

export function parseFields(text: string): FieldNode[] {
  let pos = 0;
  const peek = (): string => text[pos] ?? '';
  const skipSpaces = (): void => {
    while (/\s/.test(peek())) pos++;
  };
  const name = (): string => {
    skipSpaces();
    const start = pos;
    while (/[A-Za-z0-9_]/.test(peek())) pos++;
    if (start === pos) throw new FieldsError(`Syntax error "Expected name." at character ${pos}: ${text}`);
    return text.slice(start, pos);
  };
  const list = (): FieldNode[] => {
    const nodes: FieldNode[] = [];
    for (;;) {
      skipSpaces();
      const node: FieldNode = { name: name(), modifiers: {}, children: null };
      while (peek() === '.') {
        pos++;
        const modifier = name();
        if (peek() !== '(') throw new FieldsError(`Syntax error "Expected "("." at character ${pos}: ${text}`);
        const close = text.indexOf(')', pos);
        if (close < 0) throw new FieldsError(`Syntax error "Expected ")"." at character ${pos}: ${text}`);
        node.modifiers[modifier] = text.slice(pos + 1, close).trim();
        pos = close + 1;
      }
      skipSpaces();
      if (peek() === '{') {
        pos++;
        node.children = list();
        skipSpaces();
        if (peek() !== '}') throw new FieldsError(`Syntax error "Expected "}"." at character ${pos}: ${text}`);
        pos++;
      }
      nodes.push(node);
      skipSpaces();
      if (peek() === ',') {
        pos++;
        continue;
      }
      return nodes;
    }
  };
  skipSpaces();
  if (pos >= text.length) return [];
  const nodes = list();
  skipSpaces();
  if (pos < text.length) throw new FieldsError(`Syntax error "Expected end of string instead of "${peek()}"." at character ${pos}: ${text}`);
  return nodes;
}

export function defaultFields(names: readonly string[]): FieldNode[] {
  return names.map((name) => ({ name, modifiers: {}, children: null }));
}
