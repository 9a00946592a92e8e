// Use cases of the second coding: a blind second coding of a coded answer, and settling an answer
// the two coders coded differently (choosing its final codes). Each in one transaction.
import * as audit from '../../platform/audit/audit.repository';
import type { Actor } from '../../platform/audit/audit.repository';
import type { Db } from '../../platform/db/connection';
import * as agreementRepository from './agreement.repository';
import * as codingRepository from './coding.repository';

export type SecondCodingOutcome = { kind: 'coded' } | { kind: 'answer_not_found' } | { kind: 'not_coded' } | { kind: 'own_answer' } | { kind: 'already_coded' } | { kind: 'unknown_theme' };

const knownThemes = async (db: Parameters<typeof codingRepository.themes>[0], surveySlug: string, themeIds: number[]) => {
  const known = new Set((await codingRepository.themes(db, surveySlug)).map((theme) => theme.id));
  return themeIds.every((id) => known.has(id));
};

/** The second coder's themes for an answer someone else coded first; coder 1's codes are kept alongside as they are now. */
export async function codeSecond(db: Db, surveySlug: string, answerId: number, themeIds: number[], coderId: number, now: Date): Promise<SecondCodingOutcome> {
  return db.transaction().execute(async (trx) => {
    if (!(await codingRepository.findTextAnswer(trx, surveySlug, answerId))) return { kind: 'answer_not_found' } as const;
    const first = await agreementRepository.firstCoder(trx, answerId);
    if (!first) return { kind: 'not_coded' } as const;
    // A coder cannot agree with themselves: the second coding is another planner's.
    if (first.codedBy === coderId) return { kind: 'own_answer' } as const;
    if (await agreementRepository.findSecondCoding(trx, answerId)) return { kind: 'already_coded' } as const;
    const chosen = [...new Set(themeIds)];
    if (!(await knownThemes(trx, surveySlug, chosen))) return { kind: 'unknown_theme' } as const;
    const firstCodes = (await codingRepository.codesOf(trx, [answerId])).get(answerId) ?? [];
    await agreementRepository.saveSecondCoding(trx, { answerId, firstCodedBy: first.codedBy, first: firstCodes, second: chosen, codedBy: coderId }, now);
    return { kind: 'coded' } as const;
  });
}

export type SettleOutcome = { kind: 'settled' } | { kind: 'not_found' } | { kind: 'already_settled' } | { kind: 'unknown_theme' };

/** The planner's final themes for a disagreement: they become the answer's codes; the agreement measured stays as it was. */
export async function settle(db: Db, surveySlug: string, answerId: number, themeIds: number[], actor: Actor, now: Date): Promise<SettleOutcome> {
  return db.transaction().execute(async (trx) => {
    const second = (await codingRepository.findTextAnswer(trx, surveySlug, answerId)) ? await agreementRepository.findSecondCoding(trx, answerId) : undefined;
    if (!second) return { kind: 'not_found' } as const;
    if (second.settled) return { kind: 'already_settled' } as const;
    const chosen = [...new Set(themeIds)];
    if (!(await knownThemes(trx, surveySlug, chosen))) return { kind: 'unknown_theme' } as const;
    await codingRepository.saveCoding(trx, answerId, chosen, actor.userId, now);
    await agreementRepository.markSettled(trx, answerId, actor.userId, now);
    await audit.record(trx, { action: 'theme.codes_settled', ...audit.by(actor), target: `answer:${answerId}`, details: { survey: surveySlug, themes: chosen } }, now);
    return { kind: 'settled' } as const;
  });
}
