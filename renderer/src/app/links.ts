/**
 * Finds web addresses in platform text so the console can set them apart. Pure: the text is
 * only split, never parsed as markup, and nothing here makes anything clickable.
 */

const URL_PATTERN = /\b(?:https?:\/\/|www\.)[^\s<>"'`]+[^\s<>"'`.,;:!?)\]}]/giu;

export interface TextPart {
  readonly text: string;
  readonly link: boolean;
}

export function splitLinks(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    if (start > last) parts.push({ text: text.slice(last, start), link: false });
    parts.push({ text: match[0], link: true });
    last = start + match[0].length;
  }
  if (last < text.length || parts.length === 0) parts.push({ text: text.slice(last), link: false });
  return parts;
}
