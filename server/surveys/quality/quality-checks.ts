// The quality checks on a completed survey response, as pure functions: each says whether a
// response looks made by a script or without reading, never whether it is excluded. A planner
// reviews the flags (see quality.service.ts).
import crypto from 'node:crypto';
import net from 'node:net';
import { textLength, type Answer, type AnswerRow } from '../survey-answers';
import { assertNever, type Question, type Survey } from '../survey-definition';

export const QUALITY_REASONS = ['speeder', 'straight_lining', 'duplicate_answers', 'burst'] as const;
export type QualityReason = (typeof QUALITY_REASONS)[number];

/**
 * The fewest seconds a person needs to read and answer a question on a phone: about a third of a
 * typical reader's time, so only answers given without reading fall below the sum. Free texts add
 * the time to type what was typed at 8 characters a second (fast thumbs type 3–5).
 */
export function minimumSeconds(question: Question, answer: Answer | undefined): number {
  switch (question.kind) {
    case 'single_choice':
    case 'select':
    case 'rating':
    case 'number':
    case 'date':
      return 2;
    case 'multiple_choice':
      return 3;
    case 'likert_matrix':
      return 1 + question.rows.length;
    case 'ranking':
      return 1 + 1.5 * question.rankCount;
    case 'short_text':
    case 'long_text':
      return 1 + (answer && (answer.kind === 'short_text' || answer.kind === 'long_text') ? textLength(answer.text) / 8 : 0);
    default:
      return assertNever(question);
  }
}

/**
 * The speeder threshold of one response: the minimum seconds of the questions it was shown, on
 * every shown section but the first. A response starts (started_at) when its first section is
 * posted, so the time spent on that page is never measured and must not be expected.
 * Null when the rest is too short to tell a reader from a script (a one-page survey).
 */
export function speederThreshold(survey: Survey, shown: { sections: number[]; questions: ReadonlySet<string>; answers: ReadonlyMap<string, Answer> }): number | null {
  const measured = shown.sections.slice(1);
  let seconds = 0;
  for (const index of measured) {
    for (const question of survey.sections[index]!.questions) {
      if (shown.questions.has(question.id)) seconds += minimumSeconds(question, shown.answers.get(question.id));
    }
  }
  return seconds >= MIN_MEASURABLE_SECONDS ? seconds : null;
}
/** Below this, network and server time alone could make an honest response look fast. */
export const MIN_MEASURABLE_SECONDS = 10;

export function isSpeeder(durationSeconds: number, threshold: number | null): boolean {
  return threshold !== null && durationSeconds < threshold;
}

/**
 * A matrix straight-lined: the same answer (a scale point, or "Bilgim yok") on every row, with at
 * least this many rows answered. Five, because on three or four rows a uniform answer is often a
 * considered one (a satisfied resident rating four services "iyi"), while the matrices of a
 * municipal survey that mix services or statements are rarely all alike on five or more.
 */
export const STRAIGHT_LINE_MIN_ROWS = 5;

/** The matrices (question ids) this response straight-lined. */
export function straightLinedMatrices(survey: Survey, answers: ReadonlyMap<string, Answer>): string[] {
  const found: string[] = [];
  for (const section of survey.sections) {
    for (const question of section.questions) {
      const answer = answers.get(question.id);
      if (question.kind !== 'likert_matrix' || answer?.kind !== 'likert_matrix') continue;
      const values = Object.values(answer.rows);
      if (values.length >= STRAIGHT_LINE_MIN_ROWS && values.every((value) => value === values[0])) found.push(question.id);
    }
  }
  return found;
}

/** Fewer answered questions than this and identical answers say nothing (a short survey, a shared opinion). */
export const DUPLICATE_MIN_QUESTIONS = 5;

/**
 * sha256 of the answer vector, normalised so that order, case and spacing of texts do not matter;
 * null when too few questions were answered for a match to mean anything.
 */
export function answerVectorHash(rows: readonly AnswerRow[]): string | null {
  if (new Set(rows.map((row) => row.question_id)).size < DUPLICATE_MIN_QUESTIONS) return null;
  const normalised = rows
    .map((row) =>
      JSON.stringify([
        row.question_id,
        row.option_id,
        row.value,
        row.text === null ? null : row.text.normalize('NFC').toLocaleLowerCase('tr').replace(/\s+/g, ' ').trim(),
        row.rank,
        row.not_applicable ? 1 : 0,
      ]),
    )
    .sort();
  return crypto.createHash('sha256').update(normalised.join('\n')).digest('hex');
}

/**
 * The network a client address belongs to: its /24 for IPv4, its /48 for IPv6 (one site's
 * allocation); an IPv4-mapped IPv6 address (::ffff:192.0.2.1) counts as the IPv4 it carries.
 * Undefined for anything that is not an address.
 */
export function networkPrefix(address: string | undefined | null): string | undefined {
  if (!address) return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped ? mapped[1]! : address;
  if (net.isIPv4(ip)) return `${ip.split('.').slice(0, 3).join('.')}.0/24`;
  if (!net.isIPv6(ip)) return undefined;
  const groups = expandIPv6(ip);
  return groups ? `${groups.slice(0, 3).join(':')}::/48` : undefined;
}

/** The eight groups of an IPv6 address, lower case without leading zeros ('::' filled in). */
function expandIPv6(ip: string): string[] | undefined {
  const [address] = ip.split('%');
  const [head, tail] = address!.includes('::') ? address!.split('::') : [address!, undefined];
  const part = (text: string | undefined) => (text ? text.split(':') : []);
  let groups = part(head);
  let rest = part(tail);
  // An embedded IPv4 tail (::1.2.3.4) is two groups.
  const withV4 = (list: string[]) => {
    const last = list.at(-1);
    if (!last || !net.isIPv4(last)) return list;
    const [a, b, c, d] = last.split('.').map(Number);
    return [...list.slice(0, -1), ((a! << 8) | b!).toString(16), ((c! << 8) | d!).toString(16)];
  };
  if (tail === undefined) groups = withV4(groups);
  else rest = withV4(rest);
  const missing = 8 - groups.length - rest.length;
  if (tail === undefined ? groups.length !== 8 : missing < 0) return undefined;
  const all = tail === undefined ? groups : [...groups, ...Array<string>(missing).fill('0'), ...rest];
  return all.map((group) => parseInt(group, 16).toString(16));
}

/** The keyed hash stored for a network: without the day's key nobody can tell which network it was. */
export function networkHash(key: string, prefix: string): string {
  return crypto.createHmac('sha256', Buffer.from(key, 'hex')).update(prefix).digest('base64url');
}

/** Many completions from one network in a short time: a script, or a crowd behind one address (CGNAT). */
export const BURST_WINDOW_MINUTES = 10;
export const BURST_MIN_COMPLETIONS = 10;

/** Identical answer vectors within this time are suspicious; after it the hash is cleared. */
export const DUPLICATE_WINDOW_HOURS = 24;
