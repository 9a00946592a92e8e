// Use cases of proposed groups: a named group becomes a theme with its members coded, in one
// transaction with one audit entry; and the answers most like the one on the coding screen.
import * as audit from '../../platform/audit/audit.repository';
import type { Actor } from '../../platform/audit/audit.repository';
import type { Db } from '../../platform/db/connection';
import { foldTurkish } from '../../platform/text';
import { similarAnswers, vectorize, type Corpus } from './answer-groups';
import * as codingRepository from './coding.repository';
import type { TextAnswer, ThemeInput } from './coding.repository';
import * as groupsRepository from './groups.repository';

export type GroupThemeOutcome = { kind: 'saved'; themeId: number; coded: number } | { kind: 'name_taken' } | { kind: 'nothing_to_code' };

/**
 * Creates the theme and codes with it the group's members that are still uncoded: an answer a
 * planner coded meanwhile keeps their decision.
 */
export async function themeFromGroup(
  db: Db,
  surveySlug: string,
  questionId: string,
  input: ThemeInput,
  memberIds: readonly number[],
  actor: Actor,
  now: Date,
): Promise<GroupThemeOutcome> {
  return db.transaction().execute(async (trx) => {
    const wanted = foldTurkish(input.name);
    if ((await codingRepository.themes(trx, surveySlug)).some((theme) => foldTurkish(theme.name) === wanted)) return { kind: 'name_taken' } as const;
    const members = await groupsRepository.stillUncoded(trx, surveySlug, questionId, memberIds);
    if (members.length === 0) return { kind: 'nothing_to_code' } as const;
    const themeId = await codingRepository.insertTheme(trx, surveySlug, input, now);
    await groupsRepository.codeWithTheme(trx, members, themeId, actor.userId, now);
    await audit.record(
      trx,
      { action: 'theme.created', ...audit.by(actor), target: `theme:${themeId}`, details: { survey: surveySlug, name: input.name, question: questionId, fromGroup: true, coded: members.length } },
      now,
    );
    return { kind: 'saved', themeId, coded: members.length } as const;
  });
}

/** Vectors of a question's uncoded answers, reused while the answers stay the same. */
const corpora = new WeakMap<Db, Map<string, { ids: string; corpus: Corpus }>>();

/**
 * Up to `limit` uncoded answers of the same question most like the given one, with personal data
 * masked. The vectors are rebuilt only when the set of uncoded answers changed.
 */
export async function similarTo(db: Db, surveySlug: string, answer: TextAnswer, limit: number): Promise<{ id: number; text: string }[]> {
  const answers = await groupsRepository.uncodedAnswers(db, surveySlug, answer.questionId);
  if (!answers.some((a) => a.id === answer.id)) answers.push({ id: answer.id, text: answer.text });
  const ids = answers.map((a) => a.id).join(',');
  let byQuestion = corpora.get(db);
  if (!byQuestion) corpora.set(db, (byQuestion = new Map()));
  const key = `${surveySlug}\u0000${answer.questionId}`;
  let cached = byQuestion.get(key);
  if (cached?.ids !== ids) {
    cached = { ids, corpus: vectorize(answers) };
    byQuestion.set(key, cached);
  }
  return similarAnswers(cached.corpus, answer.id, limit).map(({ id, text }) => ({ id, text }));
}
