// Suggests codebook themes for an answer from the words in it. Words are matched on their start,
// after Turkish folding: Turkish adds suffixes, so "park" finds "parklar" and "parkta", while a
// word that merely contains it ("otopark") does not count.
import { foldTurkish } from '../../platform/text';

export interface SuggestableTheme {
  id: number;
  name: string;
  keywords: string[];
}

/** Names without keywords suggest by their longer words: "ve", "ile", "için" would match everything. */
const MIN_NAME_WORD = 4;

const words = (text: string): string[] => foldTurkish(text).split(/[^\p{L}\p{N}]+/u).filter(Boolean);

/** A theme's search terms, each a list of folded words ("toplu taşıma" → ["toplu", "tasima"]). */
function termsOf(theme: SuggestableTheme): string[][] {
  const keywords = theme.keywords.map(words).filter((term) => term.length > 0);
  if (keywords.length > 0) return keywords;
  return theme.name
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => [...word].length >= MIN_NAME_WORD)
    .map((word) => words(word));
}

function hits(text: string[], term: string[]): number {
  let count = 0;
  for (let i = 0; i + term.length <= text.length; i++) {
    if (term.every((word, j) => text[i + j]!.startsWith(word))) count++;
  }
  return count;
}

/** Ids of the themes whose terms occur in the text, the most often found first (ties keep the given order). */
export function suggestThemes(text: string, themes: readonly SuggestableTheme[]): number[] {
  const folded = words(text);
  return themes
    .map((theme, index) => ({ id: theme.id, index, hits: termsOf(theme).reduce((sum, term) => sum + hits(folded, term), 0) }))
    .filter((theme) => theme.hits > 0)
    .sort((a, b) => b.hits - a.hits || a.index - b.index)
    .map((theme) => theme.id);
}
