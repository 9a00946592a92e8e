// The GZFT (SWOT) input as plain data: the candidate statements every source offers, the coded
// themes, and the items a planner made of the candidates. Pure: data in, data out.
//
// Every line of every institution answer is counted once. An uncoded answer's lines are candidate
// statements. A coded answer's lines go to its themes: a line is covered when it contains the name
// or a keyword of one of the answer's themes (the coding screen's suggestion rule, after Turkish
// folding); a one-line answer is covered by its themes as a whole. A line of a coded answer
// that names none of its themes stays a candidate statement of its own, so nothing the institution
// wrote disappears. A theme the planner coded but no line names still counts the institution:
// the planner read the answer as a whole. A split answer's parts (coded one by one on the coding
// screen) are its lines, and a part is covered by the themes the planner gave it.
import { createHash } from 'node:crypto';
import { foldTurkish } from '../../platform/text';
import { suggestThemes } from '../coding/theme-suggestions';
import type { SwotKind } from '../coding/coding.table';

export type SwotSource =
  | { kind: 'institution'; stakeholderId: number; group: string }
  | { kind: 'meeting'; requestId: number }
  /** The citizen survey: a coded theme's answers, or the respondents behind a T10/T11 figure. */
  | { kind: 'citizen'; respondents: number; detail?: string };

/** A statement a source offers; it enters T16 only once a planner has reviewed it. */
export interface Candidate {
  /** Stable across rebuilds: source kind, source id, line, hash of the folded text. */
  key: string;
  kind: SwotKind;
  text: string;
  source: SwotSource;
}

export interface SwotTheme {
  id: number;
  name: string;
  swotKind: SwotKind | null;
  keywords: string[];
}

/** A coded theme named by a source: themes enter T16 without review (a planner coded them). */
export interface ThemeMention {
  kind: SwotKind;
  name: string;
  source: SwotSource;
}

export interface InstitutionSwotAnswer {
  answerId: number;
  stakeholderId: number;
  group: string;
  /** The quadrant of the question (swot.strength → strength). */
  roleKind: SwotKind;
  text: string;
  /** The answer's themes; null while nobody has coded it. */
  themes: SwotTheme[] | null;
  /** A split answer's parts (coding screen), each with its themes (null while not coded); they are its lines. */
  parts?: { text: string; themes: SwotTheme[] | null }[];
}

/** One statement per line of an answer: institutions often list several. */
export function statementsOf(text: string): string[] {
  return text
    .split(/\r?\n|;|•/)
    .map((line) => line.replace(/^\s*(?:[-*–]|\d+[.)])\s*/, '').trim())
    .filter((line) => line.length > 1);
}

/** The folded form two statements share when they say the same: case, diacritics, spaces, end stops. */
export function normalStatement(text: string): string {
  return foldTurkish(text)
    .replace(/\s+/g, ' ')
    .replace(/[\s.,;:!…]+$/u, '')
    .trim();
}

export const hashOf = (text: string): string => createHash('sha1').update(normalStatement(text)).digest('hex').slice(0, 10);

export const candidateKey = (parts: (string | number)[], text: string): string => [...parts, hashOf(text)].join(':');

/** Candidates that say the same thing in the same quadrant are reviewed together. */
export const groupKeyOf = (candidate: Pick<Candidate, 'kind' | 'text'>): string => `${candidate.kind}:${hashOf(candidate.text)}`;

/**
 * The institutions' candidate statements and theme mentions. `clean` shortens and masks a line
 * for publication; the key hashes the cleaned text, so a line whose words change is reviewed again.
 */
export function institutionSwot(answers: readonly InstitutionSwotAnswer[], clean: (line: string) => string): { candidates: Candidate[]; mentions: ThemeMention[] } {
  const candidates: Candidate[] = [];
  const mentions: ThemeMention[] = [];
  for (const answer of answers) {
    const source: SwotSource = { kind: 'institution', stakeholderId: answer.stakeholderId, group: answer.group };
    const parts = answer.parts;
    const lines = parts ? parts.map((part) => part.text) : statementsOf(answer.text);
    const themes = answer.themes ?? [];
    lines.forEach((line, index) => {
      // A part the planner coded with a theme is that theme's, whatever its words; a part coded
      // without one, or not yet, stays a candidate like an uncoded line.
      const covered = parts
        ? (parts[index]!.themes ?? []).length > 0
        : themes.length > 0 && (lines.length === 1 || suggestThemes(line, themes).length > 0);
      if (covered) return;
      const text = clean(line);
      candidates.push({ key: candidateKey(['inst', answer.answerId, index], text), kind: answer.roleKind, text, source });
    });
    // Named by a line or coded without any line naming it: the institution counts under the theme once.
    for (const theme of themes) mentions.push({ kind: theme.swotKind ?? answer.roleKind, name: theme.name, source });
  }
  return { candidates, mentions };
}

export interface SwotReview {
  candidateKey: string;
  decision: 'accepted' | 'edited' | 'merged' | 'dropped';
  /** The item the candidate went into; null when dropped. */
  itemId: number | null;
}

export interface SwotItemRecord {
  id: number;
  kind: SwotKind;
  text: string;
}

/** A T16 row before it is worded: a theme or a reviewed item, and every source that named it. */
export interface SwotEntry {
  /** `<kind>:theme:<folded name>` or `<kind>:item:<id>`. */
  key: string;
  kind: SwotKind;
  text: string;
  sources: SwotSource[];
}

export interface SwotCount {
  institutions: number;
  meetings: number;
  /** Respondents of the citizen survey (a theme's coded answers, a figure's respondents). */
  citizens: number;
  /** Institution types, in first-seen order. */
  groups: string[];
  details: string[];
}

/** Distinct sources: an institution once per item, a meeting request once; citizens with their respondents. */
export function countSources(sources: readonly SwotSource[]): SwotCount {
  const institutions = new Map<number, string>();
  const meetings = new Set<number>();
  let citizens = 0;
  const details: string[] = [];
  for (const source of sources) {
    if (source.kind === 'institution') institutions.set(source.stakeholderId, source.group);
    else if (source.kind === 'meeting') meetings.add(source.requestId);
    else {
      citizens += source.respondents;
      if (source.detail && !details.includes(source.detail)) details.push(source.detail);
    }
  }
  return { institutions: institutions.size, meetings: meetings.size, citizens, groups: [...new Set(institutions.values())], details };
}

export interface SwotReviewState {
  entries: SwotEntry[];
  /** Candidates with a current review. */
  reviewed: Candidate[];
  pending: Candidate[];
}

/**
 * The quadrants' entries: themes (with every mention) and the planner's items (with the union of
 * the sources of the candidates reviewed into them). A review of a candidate that no longer exists
 * (its text changed) is ignored; the changed candidate is pending again. An item none of whose
 * candidates exists any more is left out: no source names it now.
 */
export function swotEntries(candidates: readonly Candidate[], mentions: readonly ThemeMention[], reviews: readonly SwotReview[], items: readonly SwotItemRecord[]): SwotReviewState {
  const entries = new Map<string, SwotEntry>();
  for (const mention of mentions) {
    const key = `${mention.kind}:theme:${normalStatement(mention.name)}`.slice(0, 200);
    const entry = entries.get(key) ?? { key, kind: mention.kind, text: mention.name, sources: [] };
    entry.sources.push(mention.source);
    entries.set(key, entry);
  }
  const reviewOf = new Map(reviews.map((r) => [r.candidateKey, r]));
  const itemOf = new Map(items.map((i) => [i.id, i]));
  const reviewed: Candidate[] = [];
  const pending: Candidate[] = [];
  for (const candidate of candidates) {
    const review = reviewOf.get(candidate.key);
    if (!review) {
      pending.push(candidate);
      continue;
    }
    reviewed.push(candidate);
    const item = review.itemId !== null ? itemOf.get(review.itemId) : undefined;
    if (!item) continue;
    const key = `${item.kind}:item:${item.id}`;
    const entry = entries.get(key) ?? { key, kind: item.kind, text: item.text, sources: [] };
    entry.sources.push(candidate.source);
    entries.set(key, entry);
  }
  return { entries: [...entries.values()], reviewed, pending };
}

export interface CandidateGroup {
  key: string;
  kind: SwotKind;
  text: string;
  candidates: Candidate[];
}

/** Pending candidates that say the same in the same quadrant, as one choice on the review screen. */
export function groupCandidates(candidates: readonly Candidate[]): CandidateGroup[] {
  const groups = new Map<string, CandidateGroup>();
  for (const candidate of candidates) {
    const key = groupKeyOf(candidate);
    const group = groups.get(key) ?? { key, kind: candidate.kind, text: candidate.text, candidates: [] };
    group.candidates.push(candidate);
    groups.set(key, group);
  }
  return [...groups.values()];
}
