// Search and apply: find a question's answers with a Turkish-aware query, apply themes to the
// ones the planner kept in one audited transaction, undo such a batch as a whole, and keep a
// search as a theme's rule. Each use case checks first, then writes, and returns a named outcome.
import * as audit from '../../platform/audit/audit.repository';
import type { Actor } from '../../platform/audit/audit.repository';
import type { Db, Executor } from '../../platform/db/connection';
import { highlight, matchAnswer, parseQuery, prepare, type ParseOutcome } from './answer-search';
import * as batchRepository from './coding-batch.repository';
import type { BatchItem, Scope } from './coding-batch.repository';
import * as codingRepository from './coding.repository';

/** The page lists at most this many matches; applying them takes the next ones into view (the form's field limit is 1,000). */
export const SHOWN_MAX = 400;
/** Themes applied in one step. */
export const THEMES_MAX = 50;

export interface Match {
  answerId: number;
  pieces: { text: string; hit: boolean }[];
}

export type SearchOutcome = { kind: 'found'; total: number; matches: Match[] } | { kind: 'bad_query'; error: Extract<ParseOutcome, { ok: false }>['error'] };

/** The matching answers of the question, the first SHOWN_MAX with their hits cut out for highlighting. */
export async function search(db: Executor, surveySlug: string, questionId: string, scope: Scope, queryText: string): Promise<SearchOutcome> {
  const parsed = parseQuery(queryText);
  if (!parsed.ok) return { kind: 'bad_query', error: parsed.error };
  const answers = await batchRepository.questionAnswers(db, surveySlug, questionId, scope);
  let total = 0;
  const matches: Match[] = [];
  for (const answer of answers) {
    const hits = matchAnswer(parsed.query, prepare(answer.text));
    if (!hits) continue;
    total++;
    if (matches.length < SHOWN_MAX) matches.push({ answerId: answer.id, pieces: highlight(answer.text, hits) });
  }
  return { kind: 'found', total, matches };
}

export type ApplyOutcome =
  | { kind: 'applied'; batchId: number; count: number }
  | { kind: 'no_answers' }
  | { kind: 'no_themes' }
  | { kind: 'unknown_theme' }
  | { kind: 'unknown_answer' };

/**
 * Adds the themes to each answer (keeping the themes it had) and marks it coded, as one batch that
 * remembers every answer's codes from before. Any answer that may not be coded refuses the whole batch.
 */
export async function applyThemes(
  db: Db,
  input: { surveySlug: string; questionId: string; query: string; answerIds: number[]; themeIds: number[] },
  actor: Actor,
  now: Date,
): Promise<ApplyOutcome> {
  const answerIds = [...new Set(input.answerIds)];
  const themeIds = [...new Set(input.themeIds)];
  if (answerIds.length === 0) return { kind: 'no_answers' };
  if (themeIds.length === 0) return { kind: 'no_themes' };
  return db.transaction().execute(async (trx) => {
    const themes = new Map((await codingRepository.themes(trx, input.surveySlug)).map((theme) => [theme.id, theme]));
    if (themeIds.some((id) => !themes.has(id))) return { kind: 'unknown_theme' } as const;
    const codable = await batchRepository.codableIds(trx, input.surveySlug, input.questionId, answerIds);
    if (answerIds.some((id) => !codable.has(id))) return { kind: 'unknown_answer' } as const;

    const [codes, stamps] = await Promise.all([codingRepository.codesOf(trx, answerIds), batchRepository.codingStamps(trx, answerIds)]);
    const items: BatchItem[] = answerIds.map((answerId) => ({
      answerId,
      wasCoded: stamps.has(answerId),
      beforeCodedBy: stamps.get(answerId)?.codedBy ?? null,
      beforeCodedAt: stamps.get(answerId)?.codedAt ?? null,
      beforeThemeIds: codes.get(answerId) ?? [],
    }));
    const themeNames = themeIds.map((id) => themes.get(id)!.name);
    const batchId = await batchRepository.insertBatch(
      trx,
      { surveySlug: input.surveySlug, questionId: input.questionId, query: input.query, themeNames, answerCount: answerIds.length, appliedBy: actor.userId },
      now,
    );
    await batchRepository.insertItems(trx, batchId, items);
    for (const item of items) {
      await codingRepository.saveCoding(trx, item.answerId, [...new Set([...item.beforeThemeIds, ...themeIds])], actor.userId, now);
    }
    await audit.record(
      trx,
      { action: 'coding.bulk_applied', ...audit.by(actor), target: `coding_batch:${batchId}`, details: { survey: input.surveySlug, question: input.questionId, query: input.query, themes: themeNames, answers: answerIds.length } },
      now,
    );
    return { kind: 'applied', batchId, count: answerIds.length } as const;
  });
}

export type UndoOutcome = { kind: 'undone'; count: number } | { kind: 'not_found' } | { kind: 'already_undone' } | { kind: 'later_batch' };

/**
 * Puts every answer of the batch back as it was: not coded, or coded by the same person at the same
 * time with the same themes (less any theme deleted since). A later batch that changed the same
 * answers must be undone first, or this one would wipe it out.
 */
export async function undoBatch(db: Db, surveySlug: string, batchId: number, actor: Actor, now: Date): Promise<UndoOutcome> {
  return db.transaction().execute(async (trx) => {
    const batch = await batchRepository.findBatch(trx, surveySlug, batchId);
    if (!batch) return { kind: 'not_found' } as const;
    if (batch.undoneAt !== null) return { kind: 'already_undone' } as const;
    if (await batchRepository.hasLaterOverlap(trx, batchId)) return { kind: 'later_batch' } as const;
    const existing = new Set((await codingRepository.themes(trx, surveySlug)).map((theme) => theme.id));
    const items = await batchRepository.batchItems(trx, batchId);
    for (const item of items) {
      if (!item.wasCoded) await batchRepository.uncode(trx, item.answerId);
      else await codingRepository.saveCoding(trx, item.answerId, item.beforeThemeIds.filter((id) => existing.has(id)), item.beforeCodedBy, new Date(item.beforeCodedAt!));
    }
    await batchRepository.markUndone(trx, batchId, actor.userId, now);
    await audit.record(trx, { action: 'coding.bulk_undone', ...audit.by(actor), target: `coding_batch:${batchId}`, details: { survey: surveySlug, answers: items.length } }, now);
    return { kind: 'undone', count: items.length } as const;
  });
}

export type RuleOutcome = { kind: 'saved'; name: string } | { kind: 'not_found' } | { kind: 'bad_query'; error: Extract<ParseOutcome, { ok: false }>['error'] };

/** Keeps the search as the theme's rule (an empty one removes it); only queries that parse are kept. */
export async function setRule(db: Db, surveySlug: string, themeId: number, rule: string, actor: Actor, now: Date): Promise<RuleOutcome> {
  const kept = rule.trim() === '' ? null : rule.trim();
  if (kept !== null) {
    const parsed = parseQuery(kept);
    if (!parsed.ok) return { kind: 'bad_query', error: parsed.error };
  }
  return db.transaction().execute(async (trx) => {
    const theme = await codingRepository.findTheme(trx, surveySlug, themeId);
    if (!theme) return { kind: 'not_found' } as const;
    await batchRepository.setRule(trx, themeId, kept, now);
    await audit.record(trx, { action: 'theme.rule_changed', ...audit.by(actor), target: `theme:${themeId}`, details: { survey: surveySlug, name: theme.name, rule: kept } }, now);
    return { kind: 'saved', name: theme.name } as const;
  });
}
