// Access codes: the planner sets a survey's mode and generates batches of single-use codes; a
// respondent's code is checked at the start and taken when the response completes, in the
// completion's transaction, so a code counts for one complete response at most.
import * as audit from '../../platform/audit/audit.repository';
import type { Actor } from '../../platform/audit/audit.repository';
import type { Db, Executor } from '../../platform/db/connection';
import * as accessCodeRepository from './access-code.repository';
import type { AccessMode } from './access-code.table';
import { generateCodes, MAX_BATCH_SIZE, normaliseCode } from './access-codes';

export type ModeOutcome = { kind: 'changed' } | { kind: 'unchanged' };

export async function setMode(db: Db, slug: string, mode: AccessMode, actor: Actor, now: Date): Promise<ModeOutcome> {
  return db.transaction().execute(async (trx): Promise<ModeOutcome> => {
    const previous = await accessCodeRepository.findMode(trx, slug);
    if (previous === mode) return { kind: 'unchanged' };
    await accessCodeRepository.saveMode(trx, slug, mode, actor.userId, now);
    await audit.record(trx, { action: 'survey.access_mode_changed', ...audit.by(actor), target: slug, details: { from: previous, to: mode } }, now);
    return { kind: 'changed' };
  });
}

export type BatchOutcome = { kind: 'created'; batchId: number } | { kind: 'too_many' };

export async function createBatch(db: Db, slug: string, batch: { label: string; size: number }, actor: Actor, now: Date): Promise<BatchOutcome> {
  if (!Number.isInteger(batch.size) || batch.size < 1 || batch.size > MAX_BATCH_SIZE) return { kind: 'too_many' };
  return db.transaction().execute(async (trx): Promise<BatchOutcome> => {
    const batchId = await accessCodeRepository.insertBatch(trx, { surveySlug: slug, label: batch.label, size: batch.size, userId: actor.userId, now });
    // A code already taken (by any survey) is skipped and replaced; at 50 bits this practically never happens.
    let missing = batch.size;
    while (missing > 0) missing -= await accessCodeRepository.insertCodes(trx, batchId, slug, generateCodes(missing));
    await audit.record(trx, { action: 'survey.access_codes_created', ...audit.by(actor), target: slug, details: { batch: batchId, label: batch.label, size: batch.size } }, now);
    return { kind: 'created', batchId };
  });
}

export type CodeCheck = { kind: 'valid'; code: string; codeId: number } | { kind: 'unknown' } | { kind: 'used' };

/** Whether a typed code can start (or complete) a response to this survey; nothing is written. */
export async function checkCode(db: Executor, slug: string, typed: string): Promise<CodeCheck> {
  const code = normaliseCode(typed);
  if (!code) return { kind: 'unknown' };
  const found = await accessCodeRepository.findCode(db, slug, code);
  if (!found) return { kind: 'unknown' };
  if (found.usedAt !== null) return { kind: 'used' };
  return { kind: 'valid', code, codeId: found.id };
}

export type CompletionCheck = { kind: 'taken' } | { kind: 'no_code' } | { kind: 'required' } | { kind: 'unknown' } | { kind: 'used' };

/**
 * Runs inside the completion's transaction: takes the respondent's code for the response, or says
 * why it cannot (then the caller rolls the completion back). Without a code, a survey whose mode
 * is 'required' refuses; 'none' ignores any code.
 */
export async function takeForCompletion(trx: Executor, slug: string, typed: string | undefined, responseId: number, now: Date): Promise<CompletionCheck> {
  const mode = await accessCodeRepository.findMode(trx, slug);
  if (mode === 'none') return { kind: 'no_code' };
  if (!typed) return mode === 'required' ? { kind: 'required' } : { kind: 'no_code' };
  const check = await checkCode(trx, slug, typed);
  if (check.kind !== 'valid') return check;
  return (await accessCodeRepository.takeCode(trx, check.codeId, responseId, now)) ? { kind: 'taken' } : { kind: 'used' };
}
