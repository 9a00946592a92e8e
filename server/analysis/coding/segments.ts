// Where an open answer can be cut into parts that are coded on their own: lines, list items and
// sentences. Pure, so the coding screen's suggestion and the check of a confirmed split agree.
import { statementsOf } from '../report/swot-candidates';

/** The most parts an answer is split into; more is a pasted document, not a list of points. */
export const MAX_SEGMENTS = 20;

/** Short words ending with a full stop that do not end a sentence ("Dr. Ayşe", "No. 5"). */
const ABBREVIATIONS = new Set(['dr', 'prof', 'doç', 'av', 'sn', 'no', 'st', 'cad', 'sok', 'mah', 'vb', 'vs', 'bkz', 'örn', 'yrd', 'müh', 'op']);

/** Sentences of one line: a cut after . ! ? … when the next word starts with a capital or a digit. */
function sentencesOf(line: string): string[] {
  const parts: string[] = [];
  let start = 0;
  const end = /[.!?…]+\s+(?=["“'(]?[A-ZÇĞİÖŞÜ0-9])/gu;
  for (let match = end.exec(line); match !== null; match = end.exec(line)) {
    const before = line.slice(start, match.index);
    const lastWord = /([\p{L}]+)$/u.exec(before)?.[1];
    if (lastWord && ABBREVIATIONS.has(lastWord.toLocaleLowerCase('tr'))) continue;
    parts.push(line.slice(start, match.index + match[0].trimEnd().length));
    start = match.index + match[0].length;
  }
  parts.push(line.slice(start));
  return parts.map((part) => part.trim()).filter((part) => part.length > 1);
}

/**
 * The parts the coding screen suggests: the answer's lines and list items (as T16 reads
 * institutions' answers), each cut into its sentences. Fewer than two parts: nothing to split.
 */
export function suggestSegments(text: string): string[] {
  const parts = statementsOf(text).flatMap(sentencesOf);
  return parts.length >= 2 ? parts.slice(0, MAX_SEGMENTS) : [];
}

const squeeze = (text: string) => text.replace(/\s+/g, ' ').trim();

export type SplitCheck = { ok: true; parts: string[] } | { ok: false; reason: 'too_few' | 'too_many' | 'not_in_answer' };

/**
 * A split the planner confirmed: two or more parts, each a piece of the answer's own words, in the
 * answer's order and not overlapping (spaces and line breaks aside), so no part says what the
 * person did not write.
 */
export function checkSplit(answerText: string, typed: readonly string[]): SplitCheck {
  const parts = typed.map(squeeze).filter((part) => part.length > 0);
  if (parts.length < 2) return { ok: false, reason: 'too_few' };
  if (parts.length > MAX_SEGMENTS) return { ok: false, reason: 'too_many' };
  const whole = squeeze(answerText);
  let from = 0;
  for (const part of parts) {
    const at = whole.indexOf(part, from);
    if (at < 0) return { ok: false, reason: 'not_in_answer' };
    from = at + part.length;
  }
  return { ok: true, parts };
}
