// Turkish text for searching and grouping open answers, on the server, with no service abroad
// (the answers hold personal data: KVKK). A word is lower-cased the Turkish way (İ→i, I→ı), cut to
// its stem by Snowball's Turkish stemmer ("çöplerin" → "çöp"), then folded (ç→c, ı→i…) so a planner
// typing "cop" on a keyboard without Turkish letters finds "ÇÖPLER".
import { newStemmer } from 'snowball-stemmers';
import { foldTurkish } from '../../platform/text';

const stemmer = newStemmer('turkish');

/** Words too common to tell answers apart, as written in Turkish. */
const STOP_LIST = [
  'acaba', 'ama', 'ancak', 'artık', 'aslında', 'az', 'bana', 'bazı', 'belki', 'ben', 'beni', 'benim', 'bile', 'bir', 'biraz', 'birkaç', 'biz',
  'bize', 'bizi', 'bizim', 'bu', 'buna', 'bunda', 'bundan', 'bunlar', 'bunu', 'bunun', 'çok', 'çünkü', 'da', 'daha', 'de', 'defa', 'değil',
  'diğer', 'diye', 'en', 'fakat', 'gibi', 'hem', 'hep', 'hepsi', 'her', 'hiç', 'için', 'ile', 'ise', 'işte', 'kadar', 'ki', 'kim', 'mi', 'mu',
  'mü', 'ne', 'neden', 'nasıl', 'o', 'olan', 'olarak', 'oldu', 'olması', 'olsun', 'olur', 'on', 'ona', 'onlar', 'onu', 'onun', 'şey', 'sadece',
  'siz', 'şu', 'tüm', 've', 'veya', 'ya', 'yani', 'yine', 'zaten', 'var', 'yok', 'lütfen', 'belediye', 'belediyemiz', 'olsa', 'olmalı',
];

/** Folded forms that are words of their own: "su" (water) is not "şu" (that) typed without Turkish letters. */
const CONTENT_WORDS: ReadonlySet<string> = new Set(['su']);

/**
 * The stop words as written and as typed without Turkish letters ("cok", "icin"), but for folded
 * forms that are words of their own. Checked against a word as written, lower-cased, before
 * stemming: "için" stems to "iç", which is a word.
 */
export const STOP_WORDS: ReadonlySet<string> = new Set([
  ...STOP_LIST.map((word) => word.toLocaleLowerCase('tr-TR')),
  ...STOP_LIST.map((word) => foldTurkish(word)).filter((folded) => !CONTENT_WORDS.has(folded)),
]);

/** Whether a word (lower-cased the Turkish way, as words() gives it) is a stop word. */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word);
}

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
    .filter((w) => !isStopWord(w.word))
    .map((w) => termOf(w.word))
    .filter((term) => term.length > 1);
}
