// The SQL of the codebook and the coding. What counts is the text answers to long_text questions
// of included responses (complete, not excluded): codes of an answer whose response is excluded
// later stay stored but drop out of every count.
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../../platform/db/connection';
import { byName } from '../../platform/text';
import { answerTallyRepository } from '../../surveys';
import type { CodebookThemeTable, SwotKind } from './coding.table';

export interface Theme {
  id: number;
  surveySlug: string;
  name: string;
  /** An activity area id of municipality.json. */
  areaId: string | null;
  swotKind: SwotKind | null;
  keywords: string[];
  /** A search query whose matching answers are suggested for the theme. */
  rule: string | null;
}

export type ThemeInput = Pick<Theme, 'name' | 'areaId' | 'swotKind' | 'keywords'>;

/** A free-text answer to a long_text question of an included response. */
export interface TextAnswer {
  id: number;
  responseId: number;
  questionId: string;
  text: string;
  submittedAt: string | null;
}

export interface Quote {
  themeId: number;
  answerId: number | null;
  text: string;
}

/** SQLite allows 32,766 bound values per statement. */
const CHUNK = 5000;

export const parseKeywords = (stored: string): string[] =>
  stored
    .split(',')
    .map((keyword) => keyword.trim())
    .filter(Boolean);

function toTheme(row: Selectable<CodebookThemeTable>): Theme {
  return { id: row.id, surveySlug: row.survey_slug, name: row.name, areaId: row.area_id, swotKind: row.swot_kind, keywords: parseKeywords(row.keywords), rule: row.rule };
}

/**
 * The ids of the survey's long_text questions in any stored version of its definition, so answers
 * given under an earlier version stay codable. Read in JavaScript: JSON functions differ by database.
 */
export async function textQuestionIds(db: Executor, surveySlug: string): Promise<string[]> {
  const definitions = await db.selectFrom('survey_definitions').select('definition').where('slug', '=', surveySlug).execute();
  const ids = new Set<string>();
  for (const { definition } of definitions) {
    const parsed = JSON.parse(definition) as { sections?: { questions?: { id?: unknown; kind?: unknown }[] }[] };
    for (const section of parsed.sections ?? []) for (const q of section.questions ?? []) if (q.kind === 'long_text' && typeof q.id === 'string') ids.add(q.id);
  }
  return [...ids];
}

/** Non-empty answers to long_text questions of the survey's included responses. */
export function textAnswers(db: Executor, surveySlug: string, questionIds: string[]) {
  return db
    .selectFrom('answers as a')
    .innerJoin('responses as resp', 'resp.id', 'a.response_id')
    .where('resp.survey_slug', '=', surveySlug)
    .where('resp.status', '=', 'complete')
    .where('resp.excluded_at', 'is', null)
    .where('a.question_id', 'in', questionIds.length > 0 ? questionIds : [''])
    .where('a.option_id', 'is', null)
    .where(sql<string>`trim(coalesce(a.text, ''))`, '!=', '');
}

/**
 * Answers split into parts are coded part by part (segment.service.ts): whole-answer tools (search
 * and apply, proposed groups) leave them out, or the next part saved would overwrite their codes.
 */
export const notSplit = <Q extends ReturnType<typeof textAnswers>>(query: Q): Q =>
  query.where((eb) => eb.not(eb.exists(eb.selectFrom('answer_segments as seg').select('seg.answer_id').whereRef('seg.answer_id', '=', 'a.id')))) as Q;

const TEXT_ANSWER_COLUMNS = ['a.id', 'a.response_id', 'a.question_id', 'a.text', 'resp.submitted_at'] as const;

function toTextAnswer(row: { id: number; response_id: number; question_id: string; text: string | null; submitted_at: string | null }): TextAnswer {
  return { id: row.id, responseId: row.response_id, questionId: row.question_id, text: row.text ?? '', submittedAt: row.submitted_at };
}

// The codebook.

/** The survey's themes by name, in Turkish alphabetical order. */
export async function themes(db: Executor, surveySlug: string): Promise<Theme[]> {
  const rows = await db.selectFrom('codebook_themes').selectAll().where('survey_slug', '=', surveySlug).execute();
  return rows.map(toTheme).sort(byName);
}

export async function findTheme(db: Executor, surveySlug: string, id: number): Promise<Theme | undefined> {
  const row = await db.selectFrom('codebook_themes').selectAll().where('survey_slug', '=', surveySlug).where('id', '=', id).executeTakeFirst();
  return row ? toTheme(row) : undefined;
}

export async function insertTheme(db: Executor, surveySlug: string, input: ThemeInput, now: Date): Promise<number> {
  const row = await db
    .insertInto('codebook_themes')
    .values({
      survey_slug: surveySlug,
      name: input.name,
      area_id: input.areaId,
      swot_kind: input.swotKind,
      keywords: input.keywords.join(', '),
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateTheme(db: Executor, id: number, input: ThemeInput, now: Date): Promise<void> {
  await db
    .updateTable('codebook_themes')
    .set({ name: input.name, area_id: input.areaId, swot_kind: input.swotKind, keywords: input.keywords.join(', '), updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
}

/** The theme goes with its codes and its quote; the answers stay coded. */
export async function deleteTheme(db: Executor, id: number): Promise<void> {
  await db.deleteFrom('answer_codes').where('theme_id', '=', id).execute();
  await db.deleteFrom('theme_quotes').where('theme_id', '=', id).execute();
  await db.deleteFrom('codebook_themes').where('id', '=', id).execute();
}

/**
 * themeId → the number of people (included responses) whose coded answers carry it; 0 for unused
 * themes. A person counts once per theme however many of their answers or answer parts name it.
 */
export async function themeCounts(db: Executor, surveySlug: string): Promise<Map<number, number>> {
  const all = await db.selectFrom('codebook_themes').select('id').where('survey_slug', '=', surveySlug).execute();
  const rows = await textAnswers(db, surveySlug, await textQuestionIds(db, surveySlug))
    .innerJoin('answer_codes as ac', 'ac.answer_id', 'a.id')
    .innerJoin('codebook_themes as t', 't.id', 'ac.theme_id')
    .where('t.survey_slug', '=', surveySlug)
    .select((eb) => ['ac.theme_id', eb.fn.count<number>('a.response_id').distinct().as('n')])
    .groupBy('ac.theme_id')
    .execute();
  const counts = new Map(all.map((theme) => [theme.id, 0]));
  for (const row of rows) counts.set(row.theme_id, Number(row.n));
  return counts;
}

// Coding.

/** How many text answers there are to code, and how many a planner has reviewed. */
export async function codingProgress(db: Executor, surveySlug: string): Promise<{ answers: number; coded: number }> {
  const ids = await textQuestionIds(db, surveySlug);
  // A text answer is one row per respondent: the running respondent counts give the total without
  // reading every answer; the coded ones are few and counted from the coding.
  const respondents = await answerTallyRepository.respondents(db, surveySlug);
  const coded = await db
    .selectFrom('coded_answers as c')
    .innerJoin('answers as a', 'a.id', 'c.answer_id')
    .innerJoin('responses as resp', 'resp.id', 'a.response_id')
    .where('resp.survey_slug', '=', surveySlug)
    .where('resp.status', '=', 'complete')
    .where('resp.excluded_at', 'is', null)
    .where('a.question_id', 'in', ids.length > 0 ? ids : [''])
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { answers: ids.reduce((sum, id) => sum + (respondents.get(id) ?? 0), 0), coded: Number(coded.n) };
}

/** The oldest text answer nobody has coded yet. */
export async function nextUncodedAnswer(db: Executor, surveySlug: string): Promise<TextAnswer | undefined> {
  const row = await textAnswers(db, surveySlug, await textQuestionIds(db, surveySlug))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('coded_answers as c').select('c.answer_id').whereRef('c.answer_id', '=', 'a.id'))))
    .select(TEXT_ANSWER_COLUMNS)
    .orderBy('resp.submitted_at')
    .orderBy('a.id')
    .limit(1)
    .executeTakeFirst();
  return row ? toTextAnswer(row) : undefined;
}

/** A text answer of the survey that may be coded; undefined for any other answer. */
export async function findTextAnswer(db: Executor, surveySlug: string, answerId: number): Promise<TextAnswer | undefined> {
  const row = await textAnswers(db, surveySlug, await textQuestionIds(db, surveySlug)).where('a.id', '=', answerId).select(TEXT_ANSWER_COLUMNS).executeTakeFirst();
  return row ? toTextAnswer(row) : undefined;
}

/** The theme's coded answers (included responses only), newest first. */
export async function answersOfTheme(db: Executor, surveySlug: string, themeId: number, limit: number): Promise<TextAnswer[]> {
  const rows = await textAnswers(db, surveySlug, await textQuestionIds(db, surveySlug))
    .innerJoin('answer_codes as ac', 'ac.answer_id', 'a.id')
    .where('ac.theme_id', '=', themeId)
    .select(TEXT_ANSWER_COLUMNS)
    .orderBy('a.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toTextAnswer);
}

/** Whether the answer was reviewed, with or without themes. */
export async function isCoded(db: Executor, answerId: number): Promise<boolean> {
  return (await db.selectFrom('coded_answers').select('answer_id').where('answer_id', '=', answerId).executeTakeFirst()) !== undefined;
}

/** Records the review and replaces the answer's themes. Run it in a transaction. */
export async function saveCoding(db: Executor, answerId: number, themeIds: number[], codedBy: number | null, now: Date): Promise<void> {
  await db
    .insertInto('coded_answers')
    .values({ answer_id: answerId, coded_by: codedBy, coded_at: now.toISOString() })
    .onConflict((oc) => oc.column('answer_id').doUpdateSet({ coded_by: codedBy, coded_at: now.toISOString() }))
    .execute();
  await db.deleteFrom('answer_codes').where('answer_id', '=', answerId).execute();
  if (themeIds.length > 0) await db.insertInto('answer_codes').values(themeIds.map((theme_id) => ({ answer_id: answerId, theme_id }))).execute();
}

/** answerId → its theme ids, for coded answers (an empty list when reviewed without a theme); uncoded answers are absent. */
export async function codesOf(db: Executor, answerIds: number[]): Promise<Map<number, number[]>> {
  const codes = new Map<number, number[]>();
  for (let i = 0; i < answerIds.length; i += CHUNK) {
    const chunk = answerIds.slice(i, i + CHUNK);
    const rows = await db
      .selectFrom('coded_answers as c')
      .leftJoin('answer_codes as ac', 'ac.answer_id', 'c.answer_id')
      .select(['c.answer_id', 'ac.theme_id'])
      .where('c.answer_id', 'in', chunk)
      .orderBy('c.answer_id')
      .orderBy('ac.theme_id')
      .execute();
    for (const row of rows) {
      const list = codes.get(row.answer_id) ?? [];
      if (row.theme_id !== null) list.push(row.theme_id);
      codes.set(row.answer_id, list);
    }
  }
  return codes;
}

// Quotes.

/** themeId → the quote printed for the theme. */
export async function quotes(db: Executor, surveySlug: string): Promise<Map<number, string>> {
  const rows = await db
    .selectFrom('theme_quotes as q')
    .innerJoin('codebook_themes as t', 't.id', 'q.theme_id')
    // A quote is published only while the answer it came from counts: excluding a response (spam,
    // a removal request) takes its words out of the report too.
    .innerJoin('answers as a', 'a.id', 'q.answer_id')
    .innerJoin('responses as resp', 'resp.id', 'a.response_id')
    .select(['q.theme_id', 'q.text'])
    .where('t.survey_slug', '=', surveySlug)
    .where('resp.status', '=', 'complete')
    .where('resp.excluded_at', 'is', null)
    .execute();
  return new Map(rows.map((row) => [row.theme_id, row.text]));
}

export async function findQuote(db: Executor, themeId: number): Promise<Quote | undefined> {
  const row = await db.selectFrom('theme_quotes').select(['theme_id', 'answer_id', 'text']).where('theme_id', '=', themeId).executeTakeFirst();
  return row ? { themeId: row.theme_id, answerId: row.answer_id, text: row.text } : undefined;
}

/** Sets the theme's quote; answerId is where it came from (kept when the planner edits the text). */
export async function saveQuote(db: Executor, quote: Quote, chosenBy: number | null, now: Date): Promise<void> {
  const values = { answer_id: quote.answerId, text: quote.text, chosen_by: chosenBy, chosen_at: now.toISOString() };
  await db
    .insertInto('theme_quotes')
    .values({ theme_id: quote.themeId, ...values })
    .onConflict((oc) => oc.column('theme_id').doUpdateSet(values))
    .execute();
}
