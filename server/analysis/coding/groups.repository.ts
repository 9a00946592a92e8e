// The SQL of proposed groups: the uncoded answers of one question, and coding many answers with
// one theme at once.
import type { Executor } from '../../platform/db/connection';
import type { GroupableAnswer } from './answer-groups';
import { notSplit, textAnswers } from './coding.repository';

/** SQLite allows 32,766 bound values per statement. */
const CHUNK = 5000;

const uncoded = (db: Executor, surveySlug: string, questionId: string) =>
  notSplit(textAnswers(db, surveySlug, [questionId])).where((eb) => eb.not(eb.exists(eb.selectFrom('coded_answers as c').select('c.answer_id').whereRef('c.answer_id', '=', 'a.id'))));

/** The question's text answers nobody has coded yet (included responses only), oldest first. */
export async function uncodedAnswers(db: Executor, surveySlug: string, questionId: string): Promise<GroupableAnswer[]> {
  const rows = await uncoded(db, surveySlug, questionId).select(['a.id', 'a.text']).orderBy('a.id').execute();
  return rows.map((row) => ({ id: row.id, text: row.text ?? '' }));
}

/** Those of the given answers that are still uncoded answers of the question. */
export async function stillUncoded(db: Executor, surveySlug: string, questionId: string, answerIds: readonly number[]): Promise<number[]> {
  const found: number[] = [];
  for (let i = 0; i < answerIds.length; i += CHUNK) {
    const rows = await uncoded(db, surveySlug, questionId).where('a.id', 'in', answerIds.slice(i, i + CHUNK)).select('a.id').execute();
    found.push(...rows.map((row) => row.id));
  }
  return found.sort((a, b) => a - b);
}

/** Records the answers as reviewed with the one theme. For uncoded answers only; run it in a transaction. */
export async function codeWithTheme(db: Executor, answerIds: readonly number[], themeId: number, codedBy: number | null, now: Date): Promise<void> {
  // Two columns per coded_answers row: half the chunk keeps inside the bound-values limit.
  for (let i = 0; i < answerIds.length; i += CHUNK / 2) {
    const chunk = answerIds.slice(i, i + CHUNK / 2);
    await db.insertInto('coded_answers').values(chunk.map((answer_id) => ({ answer_id, coded_by: codedBy, coded_at: now.toISOString() }))).execute();
    await db.insertInto('answer_codes').values(chunk.map((answer_id) => ({ answer_id, theme_id: themeId }))).execute();
  }
}
