/** Folds text for search: case, accents and compatibility forms do not matter ("Zoë" finds "zoe"). */
export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Escapes LIKE wildcards so a user's `%` or `_` is matched literally (used with ESCAPE '\'). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
