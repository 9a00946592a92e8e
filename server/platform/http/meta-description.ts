// A page's <meta name="description">: what search results and shared links show under the title.
// Search engines cut snippets at about 155 characters, so longer texts end at a word boundary
// with an ellipsis rather than mid-word. The layout escapes the result like any other text.

export const META_DESCRIPTION_LENGTH = 155;

/** Whitespace collapsed to single spaces, then trimmed to `max` characters at a word boundary ("…" included). */
export function metaDescription(text: string | null | undefined, max = META_DESCRIPTION_LENGTH): string {
  const flat = (text ?? '').replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const room = Array.from(flat).slice(0, max - 1).join('');
  const space = room.lastIndexOf(' ');
  // A single word longer than half the room is cut where it must be, rather than leaving almost nothing.
  const cut = space > max / 2 ? room.slice(0, space) : room;
  return `${cut.replace(/[\s,;:.–—-]+$/u, '')}…`;
}

/** The first text that says something: a page's own text, then its fallbacks. */
export function firstText(...texts: (string | null | undefined)[]): string | undefined {
  return texts.find((text) => typeof text === 'string' && text.trim() !== '') ?? undefined;
}
