// A planner's decisions on drafted findings (finding-drafts.ts). Each runs in the caller's
// transaction: the finding, its evidence, the decision and the audit entry are written together
// or not at all, and a draft decided once is never decided again (a retried accept adds nothing).
import * as audit from '../../platform/audit/audit.repository';
import type { Actor } from '../../platform/audit/audit.repository';
import type { Executor } from '../../platform/db/connection';
import * as decisionRepository from './finding-draft.repository';
import type { DraftDecision } from './finding-draft.repository';
import * as findingRepository from './finding.repository';
import type { FindingInput } from './finding.repository';

export type AcceptOutcome = { kind: 'accepted'; findingId: number } | { kind: 'already_decided'; decision: DraftDecision };
export type DismissOutcome = { kind: 'dismissed' } | { kind: 'already_decided'; decision: DraftDecision };
export type RestoreOutcome = { kind: 'restored' } | { kind: 'not_dismissed' };

async function alreadyDecided(trx: Executor, key: string): Promise<{ kind: 'already_decided'; decision: DraftDecision }> {
  return { kind: 'already_decided', decision: (await decisionRepository.find(trx, key))!.decision };
}

/** The draft as offered, or as the planner edited it, becomes a finding that keeps the draft's key. */
export async function acceptDraft(trx: Executor, key: string, input: FindingInput, actor: Actor, now: Date): Promise<AcceptOutcome> {
  if (!(await decisionRepository.claim(trx, key, 'accepted', now))) return alreadyDecided(trx, key);
  const findingId = await findingRepository.insert(trx, { ...input, draftKey: key }, now);
  await decisionRepository.linkFinding(trx, key, findingId);
  await audit.record(trx, { action: 'finding.created', ...audit.by(actor), target: input.finding.slice(0, 80), details: { draft: key } }, now);
  return { kind: 'accepted', findingId };
}

export async function dismissDraft(trx: Executor, key: string, actor: Actor, now: Date): Promise<DismissOutcome> {
  if (!(await decisionRepository.claim(trx, key, 'dismissed', now))) return alreadyDecided(trx, key);
  await audit.record(trx, { action: 'finding.draft_dismissed', ...audit.by(actor), target: key.slice(0, 80), details: { draft: key } }, now);
  return { kind: 'dismissed' };
}

/** A dismissal taken back: the draft is offered again. */
export async function restoreDraft(trx: Executor, key: string, actor: Actor, now: Date): Promise<RestoreOutcome> {
  if (!(await decisionRepository.removeDismissal(trx, key))) return { kind: 'not_dismissed' };
  await audit.record(trx, { action: 'finding.draft_restored', ...audit.by(actor), target: key.slice(0, 80), details: { draft: key } }, now);
  return { kind: 'restored' };
}
