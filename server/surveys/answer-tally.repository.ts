// Running counts behind unfiltered results and the report. Every change of what counts (a response
// completed, excluded, restored, superseded) adds or takes away its answers here, in the same
// transaction, so the counts always equal a GROUP BY over the included responses' answers; they
// only avoid doing that GROUP BY over millions of rows on every page.
import type { Executor } from '../platform/db/connection';
import type { AnswerRow } from './survey-answers';

type Counted = Pick<AnswerRow, 'question_id' | 'option_id' | 'value' | 'rank' | 'not_applicable'>;

/** Built here only (never in SQL), so every writer spells a value the same way. */
export const cellOf = (row: Counted) => `${row.option_id ?? ''}|${row.value ?? ''}|${row.rank ?? ''}|${row.not_applicable}`;

/** Adds (sign 1) or takes away (sign -1) the answers of responses, grouped by response. */
export async function count(db: Executor, surveySlug: string, responses: Counted[][], sign: 1 | -1): Promise<void> {
  const cells = new Map<string, Counted & { cell: string; count: number }>();
  const respondents = new Map<string, number>();
  for (const answers of responses) {
    const questions = new Set<string>();
    for (const row of answers) {
      questions.add(row.question_id);
      if (row.option_id === null && row.value === null) continue;
      const cell = cellOf(row);
      const key = `${row.question_id}\u0000${cell}`;
      const entry = cells.get(key);
      if (entry) entry.count += sign;
      else cells.set(key, { question_id: row.question_id, option_id: row.option_id, value: row.value, rank: row.rank, not_applicable: row.not_applicable, cell, count: sign });
    }
    for (const question of questions) respondents.set(question, (respondents.get(question) ?? 0) + sign);
  }
  const tallies = [...cells.values()].map((c) => ({ survey_slug: surveySlug, ...c }));
  // SQLite binds at most 32,766 values per statement: 8 columns × 2,000 rows stays below.
  for (let i = 0; i < tallies.length; i += 2000) {
    await db
      .insertInto('answer_tallies')
      .values(tallies.slice(i, i + 2000))
      .onConflict((oc) => oc.columns(['survey_slug', 'question_id', 'cell']).doUpdateSet((eb) => ({ count: eb('answer_tallies.count', '+', eb.ref('excluded.count')) })))
      .execute();
  }
  const questions = [...respondents].map(([question_id, n]) => ({ survey_slug: surveySlug, question_id, respondents: n }));
  if (questions.length > 0) {
    await db
      .insertInto('question_respondents')
      .values(questions)
      .onConflict((oc) => oc.columns(['survey_slug', 'question_id']).doUpdateSet((eb) => ({ respondents: eb('question_respondents.respondents', '+', eb.ref('excluded.respondents')) })))
      .execute();
  }
}

/** Adds or takes away one stored response's answers. */
export async function countResponse(db: Executor, responseId: number, sign: 1 | -1): Promise<void> {
  const response = await db.selectFrom('responses').select('survey_slug').where('id', '=', responseId).executeTakeFirst();
  if (!response) return;
  const answers = await db
    .selectFrom('answers')
    .select(['question_id', 'option_id', 'value', 'rank', 'not_applicable'])
    .where('response_id', '=', responseId)
    .execute();
  await count(db, response.survey_slug, [answers], sign);
}

export interface Tally {
  questionId: string;
  optionId: string | null;
  value: number | null;
  rank: number | null;
  notApplicable: boolean;
  count: number;
}

/** A grouped answer row, counted here or straight from the answers, as the results read it. */
export function toTally(row: Counted & { count: number | string | bigint }): Tally {
  return {
    questionId: row.question_id,
    optionId: row.option_id,
    value: row.value,
    rank: row.rank,
    notApplicable: row.not_applicable === 1,
    count: Number(row.count),
  };
}

export async function tallies(db: Executor, surveySlug: string): Promise<Tally[]> {
  const rows = await db
    .selectFrom('answer_tallies')
    .select(['question_id', 'option_id', 'value', 'rank', 'not_applicable', 'count'])
    .where('survey_slug', '=', surveySlug)
    // Zero rows are left by responses taken away; a negative one would be a bug and must show.
    .where('count', '<>', 0)
    .execute();
  return rows.map(toTally);
}

export async function respondents(db: Executor, surveySlug: string): Promise<Map<string, number>> {
  const rows = await db.selectFrom('question_respondents').select(['question_id', 'respondents']).where('survey_slug', '=', surveySlug).where('respondents', '<>', 0).execute();
  return new Map(rows.map((row) => [row.question_id, Number(row.respondents)]));
}
