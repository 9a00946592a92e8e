// Turkish text for searching and grouping open answers, on the server, with no service abroad
// (the answers hold personal data: KVKK). A word is lower-cased the Turkish way (İ→i, I→ı), cut to
// its stem by Snowball's Turkish stemmer ("çöplerin" → "çöp"), then folded (ç→c, ı→i…) so a planner
// typing "cop" on a keyboard without Turkish letters finds "ÇÖPLER".
import { newStemmer } from 'snowball-stemmers';
import { foldTurkish } from '../../platform/text';

const stemmer = newStemmer('turkish');

/** Words too common to tell answers apart; matched after folding. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  [
    'acaba', 'ama', 'ancak', 'artik', 'aslinda', 'az', 'bana', 'bazi', 'belki', 'ben', 'beni', 'benim', 'bile', 'bir', 'biraz', 'birkac', 'biz',
    'bize', 'bizi', 'bizim', 'bu', 'buna', 'bunda', 'bundan', 'bunlar', 'bunu', 'bunun', 'cok', 'cunku', 'da', 'daha', 'de', 'defa', 'degil',
    'diger', 'diye', 'en', 'fakat', 'gibi', 'hem', 'hep', 'hepsi', 'her', 'hic', 'icin', 'ile', 'ise', 'iste', 'kadar', 'ki', 'kim', 'mi', 'mu',
    'ne', 'neden', 'nasil', 'o', 'olan', 'olarak', 'oldu', 'olmasi', 'olsun', 'olur', 'on', 'ona', 'onlar', 'onu', 'onun', 'sey', 'sadece',
    'siz', 'su', 'tum', 've', 'veya', 'ya', 'yani', 'yine', 'zaten', 'var', 'yok', 'lutfen', 'belediye', 'belediyemiz', 'olsa', 'olmali',
  ].map((word) => foldTurkish(word)),
);

/** The words of a text as written, lower-cased the Turkish way, with their positions for highlighting. */
export function words(text: string): { word: string; start: number; end: number }[] {
  const found: { word: string; start: number; end: number }[] = [];
  for (const match of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    found.push({ word: match[0].toLocaleLowerCase('tr-TR'), start: match.index, end: match.index + match[0].length });
  }
  return found;
}

/** A word's search key: its Turkish stem, folded. */
export function termOf(word: string): string {
  const lower = word.toLocaleLowerCase('tr-TR');
  // Numbers and one-letter words are kept as they are: the stemmer has nothing to cut.
  return foldTurkish(lower.length < 3 || /^\p{N}+$/u.test(lower) ? lower : stemmer.stem(lower));
}

/** The search keys of a text, stop words left out: what grouping compares. */
export function terms(text: string): string[] {
  return words(text)
    .map((w) => termOf(w.word))
    .filter((term) => term.length > 1 && !STOP_WORDS.has(term));
}
