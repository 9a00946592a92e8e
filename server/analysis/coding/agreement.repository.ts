// The SQL of the second, blind coding: which coded answers are left for a second coder, the two
// codings of each sampled answer, and settling them. Only included responses count, as in the coding.
import { sql } from 'kysely';
import type { Executor } from '../../platform/db/connection';
import type { DoubleCoding } from './agreement';

/** Coded answers of the survey's included responses. */
function codedAnswers(db: Executor, surveySlug: string) {
  return db
    .selectFrom('coded_answers as c')
    .innerJoin('answers as a', 'a.id', 'c.answer_id')
    .innerJoin('responses as resp', 'resp.id', 'a.response_id')
    .where('resp.survey_slug', '=', surveySlug)
    .where('resp.status', '=', 'complete')
    .where('resp.excluded_at', 'is', null);
}

/**
 * The next answer for the given planner to code a second time: coded by someone else, not yet
 * coded twice. Taken in a fixed scattered order (a multiplicative hash of the id) rather than
 * by date, so a sample stopped early still spreads over the whole collection period.
 */
export async function nextSampleAnswerId(db: Executor, surveySlug: string, coderId: number): Promise<number | undefined> {
  const row = await codedAnswers(db, surveySlug)
    .where((eb) => eb.or([eb('c.coded_by', 'is', null), eb('c.coded_by', '!=', coderId)]))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('second_codings as s').select('s.answer_id').whereRef('s.answer_id', '=', 'c.answer_id'))))
    .select('c.answer_id')
    .orderBy(sql`(c.answer_id * 7919) % 10007`)
    .orderBy('c.answer_id')
    .limit(1)
    .executeTakeFirst();
  return row?.answer_id;
}

/** How many answers are coded, and how many of them twice. */
export async function sampleProgress(db: Executor, surveySlug: string): Promise<{ coded: number; twice: number }> {
  const row = await codedAnswers(db, surveySlug)
    .leftJoin('second_codings as s', 's.answer_id', 'c.answer_id')
    .select((eb) => [eb.fn.countAll<number>().as('coded'), eb.fn.count<number>('s.answer_id').as('twice')])
    .executeTakeFirstOrThrow();
  return { coded: Number(row.coded), twice: Number(row.twice) };
}

export async function findSecondCoding(db: Executor, answerId: number): Promise<{ codedBy: number | null; settled: boolean } | undefined> {
  const row = await db.selectFrom('second_codings').select(['coded_by', 'settled_at']).where('answer_id', '=', answerId).executeTakeFirst();
  return row ? { codedBy: row.coded_by, settled: row.settled_at !== null } : undefined;
}

/** Who coded the answer first; undefined when nobody has. */
export async function firstCoder(db: Executor, answerId: number): Promise<{ codedBy: number | null } | undefined> {
  const row = await db.selectFrom('coded_answers').select('coded_by').where('answer_id', '=', answerId).executeTakeFirst();
  return row ? { codedBy: row.coded_by } : undefined;
}

/** Stores the second coding with coder 1's codes as they are now. Run it in a transaction. */
export async function saveSecondCoding(
  db: Executor,
  coding: { answerId: number; firstCodedBy: number | null; first: number[]; second: number[]; codedBy: number },
  now: Date,
): Promise<void> {
  await db
    .insertInto('second_codings')
    .values({ answer_id: coding.answerId, first_coded_by: coding.firstCodedBy, coded_by: coding.codedBy, coded_at: now.toISOString(), settled_by: null, settled_at: null })
    .execute();
  const codes = [...coding.first.map((theme_id) => ({ answer_id: coding.answerId, coder: 1 as const, theme_id })), ...coding.second.map((theme_id) => ({ answer_id: coding.answerId, coder: 2 as const, theme_id }))];
  if (codes.length > 0) await db.insertInto('second_coding_codes').values(codes).execute();
}

export async function markSettled(db: Executor, answerId: number, settledBy: number | null, now: Date): Promise<void> {
  await db.updateTable('second_codings').set({ settled_by: settledBy, settled_at: now.toISOString() }).where('answer_id', '=', answerId).execute();
}

/** Every answer of the survey coded twice, oldest second coding first, with both coders' themes. */
export async function doubleCodings(db: Executor, surveySlug: string): Promise<(DoubleCoding & { text: string; questionId: string })[]> {
  const rows = await db
    .selectFrom('second_codings as s')
    .innerJoin('answers as a', 'a.id', 's.answer_id')
    .innerJoin('responses as resp', 'resp.id', 'a.response_id')
    .where('resp.survey_slug', '=', surveySlug)
    .where('resp.status', '=', 'complete')
    .where('resp.excluded_at', 'is', null)
    .select(['s.answer_id', 's.settled_at', 'a.text', 'a.question_id'])
    .orderBy('s.coded_at')
    .orderBy('s.answer_id')
    .execute();
  const codes = await db
    .selectFrom('second_coding_codes as sc')
    .innerJoin('codebook_themes as t', 't.id', 'sc.theme_id')
    .where('t.survey_slug', '=', surveySlug)
    .select(['sc.answer_id', 'sc.coder', 'sc.theme_id'])
    .execute();
  const byAnswer = new Map(rows.map((row) => [row.answer_id, { answerId: row.answer_id, first: [] as number[], second: [] as number[], settled: row.settled_at !== null, text: row.text ?? '', questionId: row.question_id }]));
  for (const code of codes) {
    const coding = byAnswer.get(code.answer_id);
    if (coding) (code.coder === 1 ? coding.first : coding.second).push(code.theme_id);
  }
  return [...byAnswer.values()];
}
