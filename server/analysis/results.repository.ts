// The SQL behind the results: counts grouped in the database, over complete, not excluded
// responses that match the planner's filters. Everything else is arithmetic on these counts.
import { sql } from 'kysely';
import type { Executor } from '../platform/db/connection';
import { jsonRowsAgg } from '../platform/db/portable-sql';
import { answerTallyRepository, responseRepository, type AnswerRow, type ResponseChannel } from '../surveys';

export interface ResultFilter {
  /** ISO instants on the submission time: inclusive from, exclusive to. */
  from?: string;
  to?: string;
  channel?: ResponseChannel;
  /** Each one narrows to the responses that chose this option (e.g. mahalle = cami). */
  answers: { questionId: string; optionId: string }[];
  /** Responses completed with an access code, or without one (a survey whose codes are optional). */
  accessCode?: 'with' | 'without';
}

/** The ids of the responses that count: complete, not excluded, matching the filter. */
export function includedResponses(db: Executor, surveySlug: string, filter: ResultFilter) {
  return responseRepository.responsesMatching(db, surveySlug, { ...filter, status: 'complete' }).select('r.id');
}

export async function countResponses(db: Executor, surveySlug: string, filter: ResultFilter): Promise<number> {
  const row = await db
    .selectFrom(includedResponses(db, surveySlug, filter).as('included'))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** How many respondents answered each question at all. */
export async function respondentsPerQuestion(db: Executor, surveySlug: string, filter: ResultFilter): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom('answers as a')
    .select((eb) => ['a.question_id', eb.fn.count<number>('a.response_id').distinct().as('n')])
    .where('a.response_id', 'in', includedResponses(db, surveySlug, filter))
    .groupBy('a.question_id')
    .execute();
  return new Map(rows.map((row) => [row.question_id, Number(row.n)]));
}

export interface AnswerCount {
  questionId: string;
  optionId: string | null;
  value: number | null;
  rank: number | null;
  notApplicable: boolean;
  count: number;
}

/**
 * Answer rows counted by question, option, value, rank and "Bilgim yok": enough for every closed
 * question kind. Free texts are left out (they are listed, not counted); dates are counted by month.
 */
export async function answerCounts(db: Executor, surveySlug: string, filter: ResultFilter): Promise<AnswerCount[]> {
  const rows = await db
    .selectFrom('answers as a')
    .select((eb) => [
      'a.question_id',
      'a.option_id',
      'a.value',
      'a.rank',
      'a.not_applicable',
      eb.fn.countAll<number>().as('count'),
    ])
    .where('a.response_id', 'in', includedResponses(db, surveySlug, filter))
    .where((eb) => eb.or([eb('a.option_id', 'is not', null), eb('a.value', 'is not', null)]))
    .groupBy(['a.question_id', 'a.option_id', 'a.value', 'a.rank', 'a.not_applicable'])
    .execute();
  return rows.map(answerTallyRepository.toTally);
}

/** Date answers counted per day (ISO date), for ranges and monthly histograms. */
export async function dateCounts(db: Executor, surveySlug: string, filter: ResultFilter, questionIds: string[]): Promise<{ questionId: string; date: string; count: number }[]> {
  if (questionIds.length === 0) return [];
  const rows = await db
    .selectFrom('answers as a')
    .select((eb) => ['a.question_id', 'a.text', eb.fn.countAll<number>().as('count')])
    .where('a.response_id', 'in', includedResponses(db, surveySlug, filter))
    .where('a.question_id', 'in', questionIds)
    .where('a.text', 'is not', null)
    .groupBy(['a.question_id', 'a.text'])
    .execute();
  return rows.map((row) => ({ questionId: row.question_id, date: row.text!, count: Number(row.count) }));
}

/**
 * Free texts of a question ("other" texts with optionId 'other'), newest first. A page of them
 * when a limit is given; all of them (for a search) when not.
 */
export async function texts(
  db: Executor,
  surveySlug: string,
  filter: ResultFilter,
  questionId: string,
  options: { optionId?: string; limit?: number; offset?: number } = {},
): Promise<{ responseId: number; text: string }[]> {
  let query = db
    .selectFrom('answers as a')
    .select(['a.response_id', 'a.text'])
    .where('a.response_id', 'in', includedResponses(db, surveySlug, filter))
    .where('a.question_id', '=', questionId)
    .where('a.text', 'is not', null);
  if (options.optionId) query = query.where('a.option_id', '=', options.optionId);
  query = query.orderBy('a.response_id', 'desc');
  if (options.limit !== undefined) query = query.limit(options.limit).offset(options.offset ?? 0);
  const rows = await query.execute();
  return rows.map((row) => ({ responseId: row.response_id, text: row.text! }));
}

export async function countTexts(db: Executor, surveySlug: string, filter: ResultFilter, questionId: string, optionId?: string): Promise<number> {
  let query = db
    .selectFrom('answers as a')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('a.response_id', 'in', includedResponses(db, surveySlug, filter))
    .where('a.question_id', '=', questionId)
    .where('a.text', 'is not', null);
  if (optionId) query = query.where('a.option_id', '=', optionId);
  return Number((await query.executeTakeFirstOrThrow()).n);
}

export interface CrossCount {
  group: string;
  optionId: string | null;
  value: number | null;
  notApplicable: boolean;
  count: number;
}

/**
 * Answers of one question (or one likert row) counted per option of a single-choice question:
 * satisfaction by mahalle. Also the respondents per group who answered it. groupBy 'value' groups
 * by a number's value instead (a banded number: the caller adds the values up per band).
 */
export async function crossCounts(
  db: Executor,
  surveySlug: string,
  filter: ResultFilter,
  byQuestionId: string,
  question: { id: string; rowId?: string },
  groupBy: 'option' | 'value' = 'option',
): Promise<{ counts: CrossCount[]; respondents: Map<string, number> }> {
  const group = groupBy === 'option' ? 'g.option_id' : 'g.value';
  const base = () => {
    let query = db
      .selectFrom('answers as a')
      .innerJoin('answers as g', (join) => join.onRef('g.response_id', '=', 'a.response_id').on('g.question_id', '=', byQuestionId))
      .where('a.response_id', 'in', includedResponses(db, surveySlug, filter))
      .where('a.question_id', '=', question.id)
      .where(group, 'is not', null);
    if (question.rowId) query = query.where('a.option_id', '=', question.rowId);
    return query;
  };
  const rows = await base()
    .select((eb) => [eb.ref(group).as('group'), 'a.option_id', 'a.value', 'a.not_applicable', eb.fn.count<number>('a.response_id').distinct().as('count')])
    .groupBy([group, 'a.option_id', 'a.value', 'a.not_applicable'])
    .execute();
  const respondents = await base()
    .select((eb) => [eb.ref(group).as('group'), eb.fn.count<number>('a.response_id').distinct().as('n')])
    .groupBy(group)
    .execute();
  return {
    counts: rows.map((row) => ({
      group: String(row.group),
      optionId: row.option_id,
      value: row.value,
      notApplicable: row.not_applicable === 1,
      count: Number(row.count),
    })),
    respondents: new Map(respondents.map((row) => [String(row.group), Number(row.n)])),
  };
}

export interface ExportedResponse {
  id: number;
  submittedAt: string;
  channel: string;
  language: string;
  answers: AnswerRow[];
}

/** An answer row as SQLite's json_array gives it, in AnswerRow's column order. */
type AnswerTuple = [string, string | null, number | null, string | null, number | null, number];

/**
 * The included responses with their answers, oldest first, read a batch at a time so that memory
 * stays flat however many there are.
 *
 * A batch walks the primary key and asks of each response whether it is included (a lookup by
 * id). Left to itself SQLite starts from the (survey, status) index instead, and then reads and
 * sorts every included response for every batch: the whole export grew with the square of the
 * count (2.5 s of SQL at 100,000 responses, 250 s at a million).
 *
 * Each response's answers come as one JSON array built by SQLite: a response has ~50 answer
 * rows, and handing SQLite's values to JavaScript one row and one column at a time cost more
 * than the query itself. The array is parsed only when its response is yielded, so the answer
 * objects die young instead of outliving a whole batch in the heap (jsonRowsAgg spells it for
 * each engine).
 */
export async function* responsesWithAnswers(db: Executor, surveySlug: string, filter: ResultFilter, batchSize = 50): AsyncGenerator<ExportedResponse> {
  for (let afterId = 0; ; ) {
    const batch = await db
      .selectFrom('responses as x')
      .select((eb) => [
        'x.id',
        'x.submitted_at',
        'x.channel',
        'x.language',
        eb
          .selectFrom('answers as a')
          .select(jsonRowsAgg(db, ['a.question_id', 'a.option_id', 'a.value', 'a.text', 'a.rank', 'a.not_applicable'], 'a.id').as('rows'))
          .whereRef('a.response_id', '=', 'x.id')
          .as('answers'),
      ])
      .where('x.id', '>', afterId)
      .where((eb) => eb.exists(includedResponses(db, surveySlug, filter).where('r.id', '=', sql.ref<number>('x.id'))))
      .orderBy('x.id')
      .limit(batchSize)
      .execute();
    if (batch.length === 0) return;
    for (const response of batch) {
      yield {
        id: response.id,
        submittedAt: response.submitted_at!,
        channel: response.channel,
        language: response.language,
        answers: (JSON.parse(response.answers ?? '[]') as AnswerTuple[]).map(([question_id, option_id, value, text, rank, not_applicable]) => ({
          question_id,
          option_id,
          value,
          text,
          rank,
          not_applicable,
        })),
      };
    }
    afterId = batch.at(-1)!.id;
  }
}
