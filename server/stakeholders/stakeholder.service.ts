// Keeping the register: entries are created, edited, archived and merged in one transaction each,
// with an audit entry; the prioritisation threshold is a setting.
import * as audit from '../platform/audit/audit.repository';
import type { Actor } from '../platform/audit/audit.repository';
import type { Db, Executor } from '../platform/db/connection';
import * as settingsRepository from '../platform/db/settings.repository';
import * as stakeholderRepository from './stakeholder.repository';
import type { StakeholderInput } from './stakeholder.repository';
import { DEFAULT_THRESHOLD } from './stakeholder-rules';

const THRESHOLD_KEY = 'stakeholder_threshold';

export async function threshold(db: Executor): Promise<number> {
  const stored = Number(await settingsRepository.find(db, THRESHOLD_KEY));
  return Number.isInteger(stored) && stored >= 2 && stored <= 5 ? stored : DEFAULT_THRESHOLD;
}

export async function setThreshold(db: Db, value: number, actor: Actor, now: Date): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await settingsRepository.upsert(trx, THRESHOLD_KEY, String(value), now);
    await audit.record(trx, { action: 'stakeholder.threshold_changed', ...audit.by(actor), details: { threshold: value } }, now);
  });
}

export async function create(db: Db, input: StakeholderInput, actor: Actor, now: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const id = await stakeholderRepository.insert(trx, input, 'register', now);
    await audit.record(trx, { action: 'stakeholder.created', ...audit.by(actor), target: input.name }, now);
    return id;
  });
}

export type ChangeOutcome = { kind: 'changed' } | { kind: 'not_found' };

export async function update(db: Db, id: number, input: StakeholderInput, actor: Actor, now: Date): Promise<ChangeOutcome> {
  return db.transaction().execute(async (trx) => {
    if (!(await stakeholderRepository.find(trx, id))) return { kind: 'not_found' } as const;
    await stakeholderRepository.update(trx, id, input, now);
    await audit.record(trx, { action: 'stakeholder.changed', ...audit.by(actor), target: input.name }, now);
    return { kind: 'changed' } as const;
  });
}

export async function setArchived(db: Db, id: number, archived: boolean, actor: Actor, now: Date): Promise<ChangeOutcome> {
  return db.transaction().execute(async (trx) => {
    const stakeholder = await stakeholderRepository.find(trx, id);
    if (!stakeholder) return { kind: 'not_found' } as const;
    await stakeholderRepository.setArchived(trx, id, archived, now);
    await audit.record(trx, { action: archived ? 'stakeholder.archived' : 'stakeholder.restored', ...audit.by(actor), target: stakeholder.name }, now);
    return { kind: 'changed' } as const;
  });
}

export type MergeOutcome = { kind: 'merged' } | { kind: 'not_found' } | { kind: 'same' };

/** A self-registered institution turns out to be in the register already: one entry remains. */
export async function merge(
  db: Db,
  fromId: number,
  intoId: number,
  actor: Actor,
  now: Date,
  /** What other features must put right in the same transaction (the consultation's invitations). */
  afterMerge?: (trx: Executor, intoId: number, now: Date) => Promise<void>,
): Promise<MergeOutcome> {
  if (fromId === intoId) return { kind: 'same' };
  return db.transaction().execute(async (trx) => {
    const from = await stakeholderRepository.find(trx, fromId);
    const into = await stakeholderRepository.find(trx, intoId);
    if (!from || !into) return { kind: 'not_found' } as const;
    await stakeholderRepository.mergeInto(trx, fromId, intoId);
    await afterMerge?.(trx, intoId, now);
    await audit.record(trx, { action: 'stakeholder.merged', ...audit.by(actor), target: into.name, details: { merged: from.name } }, now);
    return { kind: 'merged' } as const;
  });
}

/** Stores the rows of an import that passed validation, all or nothing. */
export async function importRows(db: Db, rows: StakeholderInput[], actor: Actor, now: Date): Promise<number> {
  return db.transaction().execute(async (trx) => {
    for (const row of rows) await stakeholderRepository.insert(trx, row, 'register', now);
    await audit.record(trx, { action: 'stakeholder.imported', ...audit.by(actor), details: { rows: rows.length } }, now);
    return rows.length;
  });
}
