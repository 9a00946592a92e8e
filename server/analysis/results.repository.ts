// The SQL behind the results: counts grouped in the database, over complete, not excluded
// responses that match the planner's filters. Everything else is arithmetic on these counts.
import type { Executor } from '../platform/db/connection';
import { answerTallyRepository, responseRepository, type AnswerRow, type ResponseChannel } from '../surveys';

export interface ResultFilter {
  /** ISO instants on the submission time: inclusive from, exclusive to. */
  from?: string;
  to?: string;
  channel?: ResponseChannel;
  /** Each one narrows to the responses that chose this option (e.g. mahalle = cami). */
  answers: { questionId: string; optionId: string }[];
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
 * satisfaction by mahalle. Also the respondents per group who answered it.
 */
export async function crossCounts(
  db: Executor,
  surveySlug: string,
  filter: ResultFilter,
  byQuestionId: string,
  question: { id: string; rowId?: string },
): Promise<{ counts: CrossCount[]; respondents: Map<string, number> }> {
  const base = () => {
    let query = db
      .selectFrom('answers as a')
      .innerJoin('answers as g', (join) => join.onRef('g.response_id', '=', 'a.response_id').on('g.question_id', '=', byQuestionId))
      .where('a.response_id', 'in', includedResponses(db, surveySlug, filter))
      .where('a.question_id', '=', question.id)
      .where('g.option_id', 'is not', null);
    if (question.rowId) query = query.where('a.option_id', '=', question.rowId);
    return query;
  };
  const rows = await base()
    .select((eb) => ['g.option_id as group', 'a.option_id', 'a.value', 'a.not_applicable', eb.fn.count<number>('a.response_id').distinct().as('count')])
    .groupBy(['g.option_id', 'a.option_id', 'a.value', 'a.not_applicable'])
    .execute();
  const respondents = await base()
    .select((eb) => ['g.option_id as group', eb.fn.count<number>('a.response_id').distinct().as('n')])
    .groupBy('g.option_id')
    .execute();
  return {
    counts: rows.map((row) => ({
      group: row.group!,
      optionId: row.option_id,
      value: row.value,
      notApplicable: row.not_applicable === 1,
      count: Number(row.count),
    })),
    respondents: new Map(respondents.map((row) => [row.group!, Number(row.n)])),
  };
}

export interface ExportedResponse {
  id: number;
  submittedAt: string;
  channel: string;
  language: string;
  answers: AnswerRow[];
}

/** Included responses after an id, with their answers: export reads them a batch at a time. */
export async function responseBatch(db: Executor, surveySlug: string, filter: ResultFilter, afterId: number, size = 500): Promise<ExportedResponse[]> {
  const batch = await includedResponses(db, surveySlug, filter)
    .select(['r.submitted_at', 'r.channel', 'r.language'])
    .where('r.id', '>', afterId)
    .orderBy('r.id')
    .limit(size)
    .execute();
  if (batch.length === 0) return [];
  const answers = await db
    .selectFrom('answers')
    .select(['response_id', 'question_id', 'option_id', 'value', 'text', 'rank', 'not_applicable'])
    .where('response_id', 'in', batch.map((r) => r.id))
    .orderBy('response_id')
    .orderBy('id')
    .execute();
  const byResponse = new Map<number, AnswerRow[]>();
  for (const { response_id, ...answer } of answers) {
    const list = byResponse.get(response_id);
    if (list) list.push(answer);
    else byResponse.set(response_id, [answer]);
  }
  return batch.map((response) => ({
    id: response.id,
    submittedAt: response.submitted_at!,
    channel: response.channel,
    language: response.language,
    answers: byResponse.get(response.id) ?? [],
  }));
}
