// All SQL about access modes, code batches and the codes themselves.
import type { Executor } from '../../platform/db/connection';
import type { AccessMode } from './access-code.table';

export async function findMode(db: Executor, slug: string): Promise<AccessMode> {
  const row = await db.selectFrom('survey_access_modes').select('mode').where('slug', '=', slug).executeTakeFirst();
  return row?.mode ?? 'none';
}

export async function saveMode(db: Executor, slug: string, mode: AccessMode, userId: number | null, now: Date): Promise<void> {
  const values = { mode, updated_at: now.toISOString(), updated_by: userId };
  await db
    .insertInto('survey_access_modes')
    .values({ slug, ...values })
    .onConflict((oc) => oc.column('slug').doUpdateSet(values))
    .execute();
}

export async function insertBatch(db: Executor, values: { surveySlug: string; label: string; size: number; userId: number | null; now: Date }): Promise<number> {
  const row = await db
    .insertInto('access_code_batches')
    .values({ survey_slug: values.surveySlug, label: values.label, size: values.size, created_at: values.now.toISOString(), created_by: values.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Inserts the codes that are not taken yet (by any survey); returns how many were inserted. */
export async function insertCodes(db: Executor, batchId: number, surveySlug: string, codes: string[]): Promise<number> {
  let inserted = 0;
  // Four columns a row: 500 rows stay far below SQLite's bound-variable limit.
  for (let i = 0; i < codes.length; i += 500) {
    const result = await db
      .insertInto('access_codes')
      .values(codes.slice(i, i + 500).map((code) => ({ batch_id: batchId, survey_slug: surveySlug, code })))
      .onConflict((oc) => oc.column('code').doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

export interface BatchSummary {
  id: number;
  label: string;
  size: number;
  used: number;
  createdAt: string;
  createdBy: string | null;
}

export async function listBatches(db: Executor, surveySlug: string): Promise<BatchSummary[]> {
  const rows = await db
    .selectFrom('access_code_batches as b')
    .leftJoin('users as u', 'u.id', 'b.created_by')
    .select((eb) => [
      'b.id',
      'b.label',
      'b.size',
      'b.created_at',
      'u.name as created_by_name',
      eb
        .selectFrom('access_codes as c')
        .select((inner) => inner.fn.countAll<number>().as('n'))
        .whereRef('c.batch_id', '=', 'b.id')
        .where('c.used_at', 'is not', null)
        .as('used'),
    ])
    .where('b.survey_slug', '=', surveySlug)
    .orderBy('b.id', 'desc')
    .execute();
  return rows.map((row) => ({ id: row.id, label: row.label, size: row.size, used: Number(row.used ?? 0), createdAt: row.created_at, createdBy: row.created_by_name }));
}

export async function findBatch(db: Executor, surveySlug: string, id: number): Promise<BatchSummary | undefined> {
  return (await listBatches(db, surveySlug)).find((batch) => batch.id === id);
}

export async function codesOfBatch(db: Executor, batchId: number, page?: { limit: number; offset: number }): Promise<{ code: string; usedAt: string | null }[]> {
  let query = db.selectFrom('access_codes').select(['code', 'used_at']).where('batch_id', '=', batchId).orderBy('id');
  if (page) query = query.limit(page.limit).offset(page.offset);
  const rows = await query.execute();
  return rows.map((row) => ({ code: row.code, usedAt: row.used_at }));
}

export async function findCode(db: Executor, surveySlug: string, code: string): Promise<{ id: number; usedAt: string | null } | undefined> {
  const row = await db.selectFrom('access_codes').select(['id', 'used_at']).where('code', '=', code).where('survey_slug', '=', surveySlug).executeTakeFirst();
  return row && { id: row.id, usedAt: row.used_at };
}

/**
 * Takes the code for a response that is completing. The update states that the code was unused,
 * so of two completions racing for it exactly one changes a row.
 */
export async function takeCode(db: Executor, codeId: number, responseId: number, now: Date): Promise<boolean> {
  const result = await db.updateTable('access_codes').set({ used_at: now.toISOString() }).where('id', '=', codeId).where('used_at', 'is', null).executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return false;
  await db.updateTable('responses').set({ access_code_id: codeId }).where('id', '=', responseId).execute();
  return true;
}

/** Complete, included responses with and without a code. */
export async function countByCode(db: Executor, surveySlug: string): Promise<{ withCode: number; withoutCode: number }> {
  const row = await db
    .selectFrom('responses')
    .select((eb) => [
      eb.fn.sum<number>(eb.case().when('access_code_id', 'is not', null).then(1).else(0).end()).as('with_code'),
      eb.fn.sum<number>(eb.case().when('access_code_id', 'is', null).then(1).else(0).end()).as('without_code'),
    ])
    .where('survey_slug', '=', surveySlug)
    .where('status', '=', 'complete')
    .where('excluded_at', 'is', null)
    .executeTakeFirstOrThrow();
  return { withCode: Number(row.with_code ?? 0), withoutCode: Number(row.without_code ?? 0) };
}
