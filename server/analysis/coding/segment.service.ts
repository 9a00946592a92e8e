// Use cases of coding an answer in parts: split it (the planner confirms the cut), code a part,
// merge the parts back. Each checks first, then writes in one transaction, and returns a named outcome.
//
// How whole-answer coding and parts live together: coded_answers/answer_codes always hold an
// answer's themes as a whole, which is what every count, T13, T16 and the quotes read. An unsplit
// answer is coded there directly, as before. A split answer is reviewed part by part
// (answer_segments/segment_codes); once every part is reviewed its whole-answer themes are the
// union of its parts' themes, rewritten on every later change of a part. So a person whose two
// parts carry one theme counts once under it, and nothing else needs to know about parts.
import * as audit from '../../platform/audit/audit.repository';
import type { Actor } from '../../platform/audit/audit.repository';
import type { Db, Executor } from '../../platform/db/connection';
import * as codingRepository from './coding.repository';
import * as segmentRepository from './segment.repository';
import { checkSplit, type SplitCheck } from './segments';

type Invalid = Extract<SplitCheck, { ok: false }>['reason'];

export type SplitOutcome = { kind: 'split'; parts: number } | { kind: 'answer_not_found' } | { kind: 'already_split' } | { kind: 'invalid'; reason: Invalid };

/**
 * Cuts the answer into the confirmed parts. A whole-answer review is dropped with its themes (kept
 * in the audit entry): the parts are coded afresh, and the answer is back among the uncoded ones
 * until each part is reviewed.
 */
export async function splitAnswer(db: Db, surveySlug: string, answerId: number, typedParts: string[], actor: Actor, now: Date): Promise<SplitOutcome> {
  return db.transaction().execute(async (trx) => {
    const answer = await codingRepository.findTextAnswer(trx, surveySlug, answerId);
    if (!answer) return { kind: 'answer_not_found' } as const;
    if (await segmentRepository.isSplit(trx, answerId)) return { kind: 'already_split' } as const;
    const check = checkSplit(answer.text, typedParts);
    if (!check.ok) return { kind: 'invalid', reason: check.reason } as const;
    const previous = (await codingRepository.codesOf(trx, [answerId])).get(answerId);
    await segmentRepository.clearAnswerCoding(trx, answerId);
    await segmentRepository.insertSegments(trx, answerId, check.parts);
    await audit.record(
      trx,
      { action: 'answer.split', ...audit.by(actor), target: `answer:${answerId}`, details: { survey: surveySlug, parts: check.parts.length, previousThemes: previous ?? null } },
      now,
    );
    return { kind: 'split', parts: check.parts.length } as const;
  });
}

export type SegmentCodingOutcome =
  | { kind: 'coded'; answerCoded: boolean; nextSegmentId: number | null }
  | { kind: 'answer_not_found' }
  | { kind: 'segment_not_found' }
  | { kind: 'unknown_theme' };

/** The answer's whole-answer themes follow its parts once each part has been reviewed. */
async function rollUp(trx: Executor, answerId: number, codedBy: number | null, now: Date): Promise<{ answerCoded: boolean; nextSegmentId: number | null }> {
  const segments = await segmentRepository.segmentsOf(trx, answerId);
  const next = segments.find((segment) => !segment.reviewed);
  if (next) return { answerCoded: false, nextSegmentId: next.id };
  const union = [...new Set(segments.flatMap((segment) => segment.themeIds))].sort((a, b) => a - b);
  await codingRepository.saveCoding(trx, answerId, union, codedBy, now);
  return { answerCoded: true, nextSegmentId: null };
}

/** Records that a planner reviewed one part of a split answer, with its themes (none is an answer too). */
export async function codeSegment(
  db: Db,
  surveySlug: string,
  answerId: number,
  segmentId: number,
  themeIds: number[],
  codedBy: number | null,
  now: Date,
): Promise<SegmentCodingOutcome> {
  return db.transaction().execute(async (trx) => {
    if (!(await codingRepository.findTextAnswer(trx, surveySlug, answerId))) return { kind: 'answer_not_found' } as const;
    const segments = await segmentRepository.segmentsOf(trx, answerId);
    if (!segments.some((segment) => segment.id === segmentId)) return { kind: 'segment_not_found' } as const;
    const known = new Set((await codingRepository.themes(trx, surveySlug)).map((theme) => theme.id));
    const chosen = [...new Set(themeIds)];
    if (chosen.some((id) => !known.has(id))) return { kind: 'unknown_theme' } as const;
    await segmentRepository.saveSegmentCoding(trx, segmentId, chosen, codedBy, now);
    return { kind: 'coded', ...(await rollUp(trx, answerId, codedBy, now)) } as const;
  });
}

export type MergeOutcome = { kind: 'merged'; coded: boolean } | { kind: 'answer_not_found' } | { kind: 'not_split' };

/**
 * Back to one answer: the parts go; the answer keeps the whole-answer themes it has (the union of
 * its parts when all were reviewed, so nothing coded is lost), or stays uncoded when some part was not.
 */
export async function mergeAnswer(db: Db, surveySlug: string, answerId: number, actor: Actor, now: Date): Promise<MergeOutcome> {
  return db.transaction().execute(async (trx) => {
    if (!(await codingRepository.findTextAnswer(trx, surveySlug, answerId))) return { kind: 'answer_not_found' } as const;
    if (!(await segmentRepository.isSplit(trx, answerId))) return { kind: 'not_split' } as const;
    await segmentRepository.deleteSegments(trx, answerId);
    const coded = await codingRepository.isCoded(trx, answerId);
    await audit.record(trx, { action: 'answer.merged', ...audit.by(actor), target: `answer:${answerId}`, details: { survey: surveySlug, coded } }, now);
    return { kind: 'merged', coded } as const;
  });
}
