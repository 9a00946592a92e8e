// Turkish-aware search over open answers, as pure functions: a query is parsed once, then matched
// against each answer, giving the positions of the matched words for highlighting.
//
// Query syntax: words (every one must occur), "quoted phrases" (words in a row), -word and
// -"phrase" (answers containing them are left out), word* (any word starting with it).
//
// Matching rule: each word has two keys, its folded surface form and its Snowball stem (folded).
// A query word matches an answer word when the surfaces are equal, or the stems are equal, or one
// word's stem is the other's surface. Snowball cuts the bare form of many nouns too far
// ("kaldırım" → "kaldir", "belediye" → "beledi") while their inflected forms keep the whole noun
// ("kaldırımlar" → "kaldirim"); the stem-to-surface link bridges the two. A stem cut below three
// letters ("temiz" → "te", "temin" → "te", "deniz" → "de") links only an inflected answer word to
// the very word typed ("sular" is found by "su"), never two words to each other. A plain query word
// never matches a longer, different word by prefix ("yol" is not "yolcu", "park" is not "parti",
// "ışık" is not "ışıklandırma"); the planner asks for that with a star ("ışık*").
import { foldTurkish } from '../../platform/text';
import { termOf, words } from './turkish-text';

/**
 * Nouns whose bare form Snowball cuts into another word ("kaldırım" → "kaldır", the verb "remove";
 * "kültür" → "kul"; "kadın" → "kadı"): their bare form keeps only itself as key, like Snowball's own
 * protected words. Folded.
 */
export const PROTECTED_WORDS: ReadonlySet<string> = new Set(['kaldirim', 'kultur', 'kadin', 'hava', 'alan', 'ulasim', 'dolmus', 'yaya', 'temiz', 'egitim']);

/** A query word at least this long also finds the answer words that begin with it. */
const WHOLE_WORD_START = 5;
/** The shortest stem that may link two words other than the one typed (see the rule above). */
const MIN_STEM = 3;
/** The shortest start of a word a star may ask for: "a*" would match nearly everything. */
export const MIN_PREFIX = 3;
/** Longer queries are refused: a search box, not a document. */
export const QUERY_MAX = 300;

export interface WordKeys {
  /** The folded word as written. */
  surface: string;
  /** The folded stem; null for protected words. */
  stem: string | null;
}

// Answers repeat the same few thousand words: stemming each once keeps a search of 20,000 answers fast.
const keyCache = new Map<string, WordKeys>();
const KEY_CACHE_MAX = 200_000;

/** The keys of a word already lower-cased the Turkish way (as `words` gives them). */
export function keysOf(lowerWord: string): WordKeys {
  const cached = keyCache.get(lowerWord);
  if (cached) return cached;
  const surface = foldTurkish(lowerWord);
  const term = termOf(lowerWord);
  const stem = PROTECTED_WORDS.has(surface) ? null : term;
  const keys = { surface, stem };
  if (keyCache.size >= KEY_CACHE_MAX) keyCache.clear();
  keyCache.set(lowerWord, keys);
  return keys;
}

export interface QueryWord {
  keys: WordKeys;
  /** word*: matches any answer word whose folded form starts with `keys.surface`. */
  prefix: boolean;
}

/** One or more words that must occur in a row (a single word is a phrase of one). */
export type Phrase = QueryWord[];

export interface Query {
  include: Phrase[];
  exclude: Phrase[];
}

export type ParseOutcome =
  | { ok: true; query: Query }
  | { ok: false; error: 'empty' | 'only_exclusions' | 'too_long' | 'short_prefix' | 'unclosed_quote' };

function queryWords(text: string): QueryWord[] | 'short_prefix' {
  const found: QueryWord[] = [];
  for (const match of text.matchAll(/([\p{L}\p{N}]+)(\*)?/gu)) {
    const lower = match[1]!.toLocaleLowerCase('tr-TR');
    const prefix = match[2] === '*';
    if (prefix && [...foldTurkish(lower)].length < MIN_PREFIX) return 'short_prefix';
    found.push({ keys: prefix ? { surface: foldTurkish(lower), stem: null } : keysOf(lower), prefix });
  }
  return found;
}

/** Reads a query as typed. Errors are values: the page says what to change. */
export function parseQuery(input: string): ParseOutcome {
  if ([...input].length > QUERY_MAX) return { ok: false, error: 'too_long' };
  if ((input.match(/"/g) ?? []).length % 2 === 1) return { ok: false, error: 'unclosed_quote' };
  const include: Phrase[] = [];
  const exclude: Phrase[] = [];
  // A token is an optionally negated quoted phrase or a run of non-space characters.
  for (const match of input.matchAll(/(-?)(?:"([^"]*)"|([^\s"]+))/gu)) {
    const negated = match[1] === '-';
    const phraseText = match[2] ?? match[3] ?? '';
    const parsed = queryWords(phraseText);
    if (parsed === 'short_prefix') return { ok: false, error: 'short_prefix' };
    if (match[2] !== undefined) {
      if (parsed.length > 0) (negated ? exclude : include).push(parsed);
    } else {
      // "kaldırım-taşı" or "su,elektrik" typed as one token: each word is required on its own.
      for (const word of parsed) (negated ? exclude : include).push([word]);
    }
  }
  if (include.length === 0) return { ok: false, error: exclude.length > 0 ? 'only_exclusions' : 'empty' };
  return { ok: true, query: { include, exclude } };
}

/** Whether a query word matches an answer word (see the rule at the top). */
export function wordMatches(query: QueryWord, answer: WordKeys): boolean {
  if (query.prefix) return answer.surface.startsWith(query.keys.surface);
  const q = query.keys;
  const qStem = q.stem !== null && q.stem.length >= MIN_STEM ? q.stem : null;
  return (
    q.surface === answer.surface ||
    answer.stem === q.surface ||
    (qStem !== null && (qStem === answer.stem || qStem === answer.surface)) ||
    // Snowball sometimes cuts an inflected noun past its root ("asfaltı" → "asfal", "kaldırımların" →
    // "kaldir"): a root typed whole (one Snowball leaves as it is, or a protected word), long enough
    // not to start unrelated words, also finds the words that begin with it. "kaldırım" finds
    // "kaldırımların", never "kaldırılsın"; the verb "kaldır", which Snowball cuts, not "kaldırım".
    ((q.stem === null || q.stem === q.surface) && [...q.surface].length >= WHOLE_WORD_START && answer.surface.startsWith(q.surface))
  );
}

export interface Hit {
  start: number;
  end: number;
}

/** An answer's words with their keys, ready to match many queries (the coding screen tries every rule). */
export interface PreparedText {
  spans: Hit[];
  keys: WordKeys[];
}

const WORD = /[\p{L}\p{N}]+/gu;

export function prepare(text: string): PreparedText {
  const spans: Hit[] = [];
  const keys: WordKeys[] = [];
  // Lower-casing the whole text once is ten times faster than word by word; when it changes the
  // length (a rare letter outside Turkish), positions would shift, so go word by word instead.
  const lower = text.toLocaleLowerCase('tr-TR');
  if (lower.length === text.length) {
    for (const match of lower.matchAll(WORD)) {
      spans.push({ start: match.index, end: match.index + match[0].length });
      keys.push(keysOf(match[0]));
    }
    return { spans, keys };
  }
  for (const word of words(text)) {
    spans.push({ start: word.start, end: word.end });
    keys.push(keysOf(word.word));
  }
  return { spans, keys };
}

/** Index of every place the phrase starts in the text. */
function phraseStarts(text: PreparedText, phrase: Phrase): number[] {
  const starts: number[] = [];
  for (let i = 0; i + phrase.length <= text.keys.length; i++) {
    let all = true;
    for (let j = 0; j < phrase.length; j++) {
      if (!wordMatches(phrase[j]!, text.keys[i + j]!)) {
        all = false;
        break;
      }
    }
    if (all) starts.push(i);
  }
  return starts;
}

/**
 * The hits of the query in the text, in text order, one per matched word (a phrase gives one hit
 * spanning its words); null when the text does not match (a required phrase missing, an excluded one present).
 */
export function matchAnswer(query: Query, text: string | PreparedText): Hit[] | null {
  const prepared = typeof text === 'string' ? prepare(text) : text;
  for (const phrase of query.exclude) if (phraseStarts(prepared, phrase).length > 0) return null;
  const hits: Hit[] = [];
  for (const phrase of query.include) {
    const starts = phraseStarts(prepared, phrase);
    if (starts.length === 0) return null;
    for (const i of starts) hits.push({ start: prepared.spans[i]!.start, end: prepared.spans[i + phrase.length - 1]!.end });
  }
  return mergeHits(hits);
}

/** Sorted, overlapping hits joined, so the highlighted text never nests marks. */
function mergeHits(hits: Hit[]): Hit[] {
  const sorted = [...hits].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Hit[] = [];
  for (const hit of sorted) {
    const last = merged[merged.length - 1];
    if (last && hit.start <= last.end) last.end = Math.max(last.end, hit.end);
    else merged.push({ ...hit });
  }
  return merged;
}

/** The text cut into plain and matched pieces; the view escapes each piece and marks the matched ones. */
export function highlight(text: string, hits: readonly Hit[]): { text: string; hit: boolean }[] {
  const pieces: { text: string; hit: boolean }[] = [];
  let at = 0;
  for (const h of hits) {
    if (h.start > at) pieces.push({ text: text.slice(at, h.start), hit: false });
    pieces.push({ text: text.slice(h.start, h.end), hit: true });
    at = h.end;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), hit: false });
  return pieces;
}

/**
 * The themes whose rule matches the text, with the text cut for highlighting the rule's words: the
 * coding screen shows them as suggestions, the planner decides. Rules that no longer parse are skipped.
 */
export function ruleSuggestions<T extends { id: number; rule: string | null }>(text: string, themes: readonly T[]): { theme: T; pieces: { text: string; hit: boolean }[] }[] {
  const prepared = prepare(text);
  const found: { theme: T; pieces: { text: string; hit: boolean }[] }[] = [];
  for (const theme of themes) {
    if (!theme.rule) continue;
    const parsed = parseQuery(theme.rule);
    const hits = parsed.ok ? matchAnswer(parsed.query, prepared) : null;
    if (hits) found.push({ theme, pieces: highlight(text, hits) });
  }
  return found;
}
