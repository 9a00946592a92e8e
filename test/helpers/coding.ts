// Responses with chosen open answers, stored the way a completed survey stores them, and themes.
import { codingRepository, type ThemeInput } from '../../server/analysis/coding';
import { allQuestions, answerTallyRepository } from '../../server/surveys';
import type { TestApp } from './test-app';

export const CITIZEN = 'vatandas-anketi';
export const INSTITUTION = 'kurum-gorus-formu';
/** The citizen survey's long_text questions. */
export const IMPROVE = 'iyilestirilmesi_gereken';
export const EXPECT = 'bes_yillik_beklenti';

export function firstLongText(t: TestApp, slug: string): string {
  const question = allQuestions(t.catalog.find(slug)!).find((q) => q.kind === 'long_text');
  if (!question) throw new Error(`${slug} has no long_text question`);
  return question.id;
}

/**
 * One response with the given answers: texts for text questions, option ids for the others
 * (`option:<id>`). Returns the answer ids by question.
 */
export async function addResponse(
  t: TestApp,
  slug: string,
  answers: Record<string, string>,
  options: { at?: string; status?: 'complete' | 'draft'; excluded?: boolean } = {},
): Promise<{ responseId: number; answerIds: Record<string, number> }> {
  const survey = t.catalog.find(slug)!;
  const at = options.at ?? t.clock.now.toISOString();
  const status = options.status ?? 'complete';
  const { id } = await t.db
    .insertInto('responses')
    .values({
      survey_slug: slug,
      definition_hash: survey.hash,
      language: 'tr',
      channel: 'online',
      status,
      started_at: at,
      updated_at: at,
      submitted_at: status === 'complete' ? at : null,
      excluded_at: options.excluded ? at : null,
      exclusion_reason: options.excluded ? 'test' : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const answerIds: Record<string, number> = {};
  for (const [questionId, value] of Object.entries(answers)) {
    const option = value.startsWith('option:') ? value.slice('option:'.length) : null;
    const row = await t.db
      .insertInto('answers')
      .values({ response_id: id, question_id: questionId, option_id: option, text: option ? null : value })
      .returning('id')
      .executeTakeFirstOrThrow();
    answerIds[questionId] = row.id;
  }
  // Completing a response adds its answers to the running counts, as the survey pages do.
  if (status === 'complete' && !options.excluded) await answerTallyRepository.countResponse(t.db, id, 1);
  return { responseId: id, answerIds };
}

export async function addTheme(t: TestApp, slug: string, name: string, input: Partial<ThemeInput> = {}): Promise<number> {
  return codingRepository.insertTheme(t.db, slug, { name, areaId: null, swotKind: null, keywords: [], ...input }, t.clock.now);
}

/** The codebook's audit entries, oldest first. */
export async function auditActions(t: TestApp): Promise<string[]> {
  const events = await t.db.selectFrom('audit_events').select('action').orderBy('id').execute();
  return events.map((e) => e.action).filter((action) => action.startsWith('theme.'));
}
