// Use cases of the codebook and the coding: each checks first, then writes in one transaction
// (with an audit entry for codebook changes), and returns a named outcome.
import * as audit from '../../platform/audit/audit.repository';
import type { Actor } from '../../platform/audit/audit.repository';
import type { Db, Executor } from '../../platform/db/connection';
import { foldTurkish } from '../../platform/text';
import * as codingRepository from './coding.repository';
import type { ThemeInput } from './coding.repository';
import { maskPersonalData } from './personal-data';
import * as segmentRepository from './segment.repository';

/** The longest quote the report prints. */
export const QUOTE_MAX = 500;

export type ThemeOutcome = { kind: 'saved'; id: number } | { kind: 'name_taken' } | { kind: 'not_found' };

/** Names are unique per survey as people read them: "Çevre" and "ÇEVRE" are one theme. */
async function nameTaken(db: Executor, surveySlug: string, name: string, exceptId?: number): Promise<boolean> {
  const wanted = foldTurkish(name);
  return (await codingRepository.themes(db, surveySlug)).some((theme) => theme.id !== exceptId && foldTurkish(theme.name) === wanted);
}

export async function createTheme(db: Db, surveySlug: string, input: ThemeInput, actor: Actor, now: Date): Promise<ThemeOutcome> {
  return db.transaction().execute(async (trx) => {
    if (await nameTaken(trx, surveySlug, input.name)) return { kind: 'name_taken' } as const;
    const id = await codingRepository.insertTheme(trx, surveySlug, input, now);
    await audit.record(trx, { action: 'theme.created', ...audit.by(actor), target: `theme:${id}`, details: { survey: surveySlug, name: input.name } }, now);
    return { kind: 'saved', id } as const;
  });
}

export async function updateTheme(db: Db, surveySlug: string, id: number, input: ThemeInput, actor: Actor, now: Date): Promise<ThemeOutcome> {
  return db.transaction().execute(async (trx) => {
    if (!(await codingRepository.findTheme(trx, surveySlug, id))) return { kind: 'not_found' } as const;
    if (await nameTaken(trx, surveySlug, input.name, id)) return { kind: 'name_taken' } as const;
    await codingRepository.updateTheme(trx, id, input, now);
    await audit.record(trx, { action: 'theme.changed', ...audit.by(actor), target: `theme:${id}`, details: { survey: surveySlug, name: input.name } }, now);
    return { kind: 'saved', id } as const;
  });
}

export type DeleteOutcome = { kind: 'deleted'; name: string } | { kind: 'not_found' };

export async function deleteTheme(db: Db, surveySlug: string, id: number, actor: Actor, now: Date): Promise<DeleteOutcome> {
  return db.transaction().execute(async (trx) => {
    const theme = await codingRepository.findTheme(trx, surveySlug, id);
    if (!theme) return { kind: 'not_found' } as const;
    await codingRepository.deleteTheme(trx, id);
    await audit.record(trx, { action: 'theme.deleted', ...audit.by(actor), target: `theme:${id}`, details: { survey: surveySlug, name: theme.name } }, now);
    return { kind: 'deleted', name: theme.name } as const;
  });
}

export type CodingOutcome = { kind: 'coded' } | { kind: 'answer_not_found' } | { kind: 'unknown_theme' } | { kind: 'answer_split' };

/** Records that a planner reviewed the answer, with the themes it carries (none is an answer too). */
export async function codeAnswer(db: Db, surveySlug: string, answerId: number, themeIds: number[], codedBy: number | null, now: Date): Promise<CodingOutcome> {
  return db.transaction().execute(async (trx) => {
    if (!(await codingRepository.findTextAnswer(trx, surveySlug, answerId))) return { kind: 'answer_not_found' } as const;
    // A split answer's themes follow its parts (segment.service.ts); a stale whole-answer form must not overwrite them.
    if (await segmentRepository.isSplit(trx, answerId)) return { kind: 'answer_split' } as const;
    const known = new Set((await codingRepository.themes(trx, surveySlug)).map((theme) => theme.id));
    const chosen = [...new Set(themeIds)];
    if (chosen.some((id) => !known.has(id))) return { kind: 'unknown_theme' } as const;
    await codingRepository.saveCoding(trx, answerId, chosen, codedBy, now);
    return { kind: 'coded' } as const;
  });
}

/** A quote fits the report: at most QUOTE_MAX characters, cut at a word with an ellipsis. */
export function fitQuote(text: string): string {
  const trimmed = text.trim().replace(/\s+/g, ' ');
  if ([...trimmed].length <= QUOTE_MAX) return trimmed;
  const cut = [...trimmed].slice(0, QUOTE_MAX - 1).join('');
  const space = cut.lastIndexOf(' ');
  return `${space > QUOTE_MAX / 2 ? cut.slice(0, space) : cut}…`;
}

export type QuoteOutcome = { kind: 'saved' } | { kind: 'not_found' } | { kind: 'not_coded' };

/** Takes one of the theme's coded answers as its quote, with personal data masked. */
export async function chooseQuote(db: Db, surveySlug: string, themeId: number, answerId: number, actor: Actor, now: Date): Promise<QuoteOutcome> {
  return db.transaction().execute(async (trx) => {
    if (!(await codingRepository.findTheme(trx, surveySlug, themeId))) return { kind: 'not_found' } as const;
    const answer = await codingRepository.findTextAnswer(trx, surveySlug, answerId);
    const codes = answer ? await codingRepository.codesOf(trx, [answer.id]) : new Map<number, number[]>();
    if (!answer || !codes.get(answer.id)?.includes(themeId)) return { kind: 'not_coded' } as const;
    await codingRepository.saveQuote(trx, { themeId, answerId, text: fitQuote(maskPersonalData(answer.text)) }, actor.userId, now);
    await audit.record(trx, { action: 'theme.quote_chosen', ...audit.by(actor), target: `theme:${themeId}`, details: { survey: surveySlug, answerId } }, now);
    return { kind: 'saved' } as const;
  });
}

/** The planner's edit of a chosen quote (shortening it, masking a name the rules missed); masked again all the same. */
export async function editQuote(db: Db, surveySlug: string, themeId: number, text: string, actor: Actor, now: Date): Promise<QuoteOutcome> {
  return db.transaction().execute(async (trx) => {
    const quote = (await codingRepository.findTheme(trx, surveySlug, themeId)) ? await codingRepository.findQuote(trx, themeId) : undefined;
    if (!quote) return { kind: 'not_found' } as const;
    await codingRepository.saveQuote(trx, { ...quote, text: maskPersonalData(text) }, actor.userId, now);
    await audit.record(trx, { action: 'theme.quote_chosen', ...audit.by(actor), target: `theme:${themeId}`, details: { survey: surveySlug, answerId: quote.answerId, edited: true } }, now);
    return { kind: 'saved' } as const;
  });
}
