// The SQL of answer parts (segments) and of the coverage of the coding: how much of each open
// question has been coded. Counts start from the coding tables (small) and the running respondent
// counts, never from a scan of every answer, so the report stays fast at 100,000 responses.
import type { Executor } from '../../platform/db/connection';
import { answerTallyRepository } from '../../surveys';
import { textQuestionIds } from './coding.repository';

export interface Segment {
  id: number;
  answerId: number;
  position: number;
  text: string;
  reviewed: boolean;
  themeIds: number[];
}

/** The answer's parts in order, with their themes; [] for an answer coded as a whole. */
export async function segmentsOf(db: Executor, answerId: number): Promise<Segment[]> {
  return (await segmentsOfAnswers(db, [answerId])).get(answerId) ?? [];
}

/** answerId → its parts in order, for the answers among answerIds that are split. */
export async function segmentsOfAnswers(db: Executor, answerIds: number[]): Promise<Map<number, Segment[]>> {
  const out = new Map<number, Segment[]>();
  // SQLite allows 32,766 bound values per statement.
  for (let i = 0; i < answerIds.length; i += 5000) {
    const rows = await db
      .selectFrom('answer_segments as s')
      .leftJoin('segment_codes as sc', 'sc.segment_id', 's.id')
      .select(['s.id', 's.answer_id', 's.position', 's.text', 's.reviewed_at', 'sc.theme_id'])
      .where('s.answer_id', 'in', answerIds.slice(i, i + 5000))
      .orderBy('s.answer_id')
      .orderBy('s.position')
      .orderBy('sc.theme_id')
      .execute();
    for (const row of rows) {
      const list = out.get(row.answer_id) ?? [];
      let segment = list.at(-1);
      if (segment?.id !== row.id) {
        segment = { id: row.id, answerId: row.answer_id, position: row.position, text: row.text, reviewed: row.reviewed_at !== null, themeIds: [] };
        list.push(segment);
      }
      if (row.theme_id !== null) segment.themeIds.push(row.theme_id);
      out.set(row.answer_id, list);
    }
  }
  return out;
}

export async function isSplit(db: Executor, answerId: number): Promise<boolean> {
  return (await db.selectFrom('answer_segments').select('id').where('answer_id', '=', answerId).limit(1).executeTakeFirst()) !== undefined;
}

export async function insertSegments(db: Executor, answerId: number, texts: string[]): Promise<void> {
  await db
    .insertInto('answer_segments')
    .values(texts.map((text, position) => ({ answer_id: answerId, position, text })))
    .execute();
}

/** The parts go with their codes (segment_codes cascade). */
export async function deleteSegments(db: Executor, answerId: number): Promise<void> {
  await db.deleteFrom('answer_segments').where('answer_id', '=', answerId).execute();
}

/** Marks the part reviewed and replaces its themes. Run it in a transaction. */
export async function saveSegmentCoding(db: Executor, segmentId: number, themeIds: number[], reviewedBy: number | null, now: Date): Promise<void> {
  await db.updateTable('answer_segments').set({ reviewed_at: now.toISOString(), reviewed_by: reviewedBy }).where('id', '=', segmentId).execute();
  await db.deleteFrom('segment_codes').where('segment_id', '=', segmentId).execute();
  if (themeIds.length > 0) await db.insertInto('segment_codes').values(themeIds.map((theme_id) => ({ segment_id: segmentId, theme_id }))).execute();
}

/** Forgets the whole-answer review (its themes cascade): a split answer is reviewed part by part. */
export async function clearAnswerCoding(db: Executor, answerId: number): Promise<void> {
  await db.deleteFrom('coded_answers').where('answer_id', '=', answerId).execute();
}

export interface QuestionCoverage {
  questionId: string;
  /** Non-empty answers of included responses. */
  answers: number;
  coded: number;
  uncoded: number;
  /** Answers coded part by part, and their parts. */
  split: number;
  segments: number;
  /** Distinct themes the question's coded answers carry. */
  themes: number;
}

export interface Coverage {
  questions: QuestionCoverage[];
  total: Omit<QuestionCoverage, 'questionId'> & {
    /** People with at least one coded answer: T13's theme counts are people, so is its base. */
    codedRespondents: number;
  };
}

/** Coding coverage of the survey's open questions, per question and in total. */
export async function coverage(db: Executor, surveySlug: string): Promise<Coverage> {
  const ids = await textQuestionIds(db, surveySlug);
  const respondents = await answerTallyRepository.respondents(db, surveySlug);
  const inIds = ids.length > 0 ? ids : [''];
  const codedAnswers = () =>
    db
      .selectFrom('coded_answers as c')
      .innerJoin('answers as a', 'a.id', 'c.answer_id')
      .innerJoin('responses as resp', 'resp.id', 'a.response_id')
      .where('resp.survey_slug', '=', surveySlug)
      .where('resp.status', '=', 'complete')
      .where('resp.excluded_at', 'is', null)
      .where('a.question_id', 'in', inIds);
  const [coded, themes, segments, people, allThemes] = await Promise.all([
    codedAnswers()
      .select((eb) => ['a.question_id', eb.fn.countAll<number>().as('n')])
      .groupBy('a.question_id')
      .execute(),
    codedAnswers()
      .innerJoin('answer_codes as ac', 'ac.answer_id', 'c.answer_id')
      .select((eb) => ['a.question_id', eb.fn.count<number>('ac.theme_id').distinct().as('n')])
      .groupBy('a.question_id')
      .execute(),
    db
      .selectFrom('answer_segments as s')
      .innerJoin('answers as a', 'a.id', 's.answer_id')
      .innerJoin('responses as resp', 'resp.id', 'a.response_id')
      .where('resp.survey_slug', '=', surveySlug)
      .where('resp.status', '=', 'complete')
      .where('resp.excluded_at', 'is', null)
      .where('a.question_id', 'in', inIds)
      .select((eb) => ['a.question_id', eb.fn.count<number>('s.answer_id').distinct().as('split'), eb.fn.countAll<number>().as('n')])
      .groupBy('a.question_id')
      .execute(),
    codedAnswers()
      .select((eb) => eb.fn.count<number>('a.response_id').distinct().as('n'))
      .executeTakeFirstOrThrow(),
    codedAnswers()
      .innerJoin('answer_codes as ac', 'ac.answer_id', 'c.answer_id')
      .select((eb) => eb.fn.count<number>('ac.theme_id').distinct().as('n'))
      .executeTakeFirstOrThrow(),
  ]);
  const by = <R extends { question_id: string }>(rows: R[]) => new Map(rows.map((row) => [row.question_id, row]));
  const codedBy = by(coded);
  const themesBy = by(themes);
  const segmentsBy = by(segments);
  const questions = ids.map((questionId): QuestionCoverage => {
    const answers = respondents.get(questionId) ?? 0;
    const n = Number(codedBy.get(questionId)?.n ?? 0);
    return {
      questionId,
      answers,
      coded: n,
      uncoded: Math.max(0, answers - n),
      split: Number(segmentsBy.get(questionId)?.split ?? 0),
      segments: Number(segmentsBy.get(questionId)?.n ?? 0),
      themes: Number(themesBy.get(questionId)?.n ?? 0),
    };
  });
  const sum = (key: 'answers' | 'coded' | 'uncoded' | 'split' | 'segments') => questions.reduce((s, q) => s + q[key], 0);
  return {
    questions,
    total: {
      answers: sum('answers'),
      coded: sum('coded'),
      uncoded: sum('uncoded'),
      split: sum('split'),
      segments: sum('segments'),
      themes: Number(allThemes.n),
      codedRespondents: Number(people.n),
    },
  };
}
