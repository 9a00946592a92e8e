// Data access for explicit consents.
import type { Selectable } from 'kysely';
import type { Executor } from '../platform/db/connection';
import type { ConsentChannel, ConsentPurpose, ConsentTable } from './consent.table';

/** A consent as the rest of the application sees it. */
export interface Consent {
  id: number;
  purpose: ConsentPurpose;
  registrationId: number | null;
  noticeVersion: string;
  givenAt: string;
  withdrawnAt: string | null;
  /** 'phone': read out and recorded by `recordedBy` (a user id) while the resident was on the line. */
  channel: ConsentChannel;
  recordedBy: number | null;
}

/** With the hash its withdrawal link is found by (null until first needed, see the migration). */
export interface StoredConsent extends Consent {
  withdrawalTokenHash: string | null;
}

export function toConsent(row: Selectable<ConsentTable>): StoredConsent {
  return {
    id: row.id,
    purpose: row.purpose,
    registrationId: row.registration_id,
    noticeVersion: row.notice_version,
    givenAt: row.given_at,
    withdrawnAt: row.withdrawn_at,
    withdrawalTokenHash: row.withdrawal_token_hash,
    channel: row.channel,
    recordedBy: row.recorded_by,
  };
}

export async function insert(
  db: Executor,
  consent: { purpose: ConsentPurpose; registrationId: number | null; noticeVersion: string; givenAt: string; channel?: ConsentChannel; recordedBy?: number | null },
): Promise<number> {
  const row = await db
    .insertInto('consents')
    .values({
      purpose: consent.purpose,
      registration_id: consent.registrationId,
      notice_version: consent.noticeVersion,
      given_at: consent.givenAt,
      channel: consent.channel ?? 'online',
      recorded_by: consent.recordedBy ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function setTokenHash(db: Executor, id: number, hash: string): Promise<void> {
  await db.updateTable('consents').set({ withdrawal_token_hash: hash }).where('id', '=', id).execute();
}

export async function findByTokenHash(db: Executor, hash: string): Promise<StoredConsent | undefined> {
  const row = await db.selectFrom('consents').selectAll().where('withdrawal_token_hash', '=', hash).executeTakeFirst();
  return row && toConsent(row);
}

/** True when this call withdrew it; false when it was withdrawn already. */
export async function markWithdrawn(db: Executor, id: number, at: string): Promise<boolean> {
  const result = await db.updateTable('consents').set({ withdrawn_at: at }).where('id', '=', id).where('withdrawn_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/**
 * Erases the accessibility need of a registration (its consent was withdrawn). True when there was
 * one to erase.
 */
export async function eraseAccessibilityNeed(db: Executor, registrationId: number): Promise<boolean> {
  const result = await db.updateTable('meeting_registrations').set({ accessibility_need: null }).where('id', '=', registrationId).where('accessibility_need', 'is not', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Every consent given with these registrations, withdrawn ones included, oldest first. */
export async function ofRegistrations(db: Executor, registrationIds: readonly number[]): Promise<StoredConsent[]> {
  if (registrationIds.length === 0) return [];
  const rows = await db.selectFrom('consents').selectAll().where('registration_id', 'in', [...registrationIds]).orderBy('id').execute();
  return rows.map(toConsent);
}
