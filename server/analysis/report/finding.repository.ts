// Findings (T17, Tespitler ve İhtiyaçlar) and the table rows that support them.
import type { Executor } from '../../platform/db/connection';

export interface Evidence {
  tableKey: string;
  rowKey: string;
}

export interface Finding {
  id: number;
  finding: string;
  need: string;
  areaId: string | null;
  position: number;
  evidence: Evidence[];
  /** The drafted finding (finding-drafts.ts) it was made from. */
  draftKey: string | null;
}

export type FindingInput = Omit<Finding, 'id' | 'position' | 'draftKey'> & { draftKey?: string | null };

export async function list(db: Executor): Promise<Finding[]> {
  const rows = await db.selectFrom('findings').selectAll().orderBy('position').orderBy('id').execute();
  const evidence = rows.length === 0 ? [] : await db.selectFrom('finding_evidence').selectAll().where('finding_id', 'in', rows.map((r) => r.id)).execute();
  return rows.map((row) => ({
    id: row.id,
    finding: row.finding,
    need: row.need,
    areaId: row.area_id,
    position: row.position,
    draftKey: row.draft_key,
    evidence: evidence.filter((e) => e.finding_id === row.id).map((e) => ({ tableKey: e.table_key, rowKey: e.row_key })),
  }));
}

export async function find(db: Executor, id: number): Promise<Finding | undefined> {
  return (await list(db)).find((f) => f.id === id);
}

async function writeEvidence(trx: Executor, id: number, evidence: Evidence[]): Promise<void> {
  await trx.deleteFrom('finding_evidence').where('finding_id', '=', id).execute();
  const unique = [...new Map(evidence.map((e) => [`${e.tableKey}\u0000${e.rowKey}`, e])).values()];
  if (unique.length > 0) {
    await trx
      .insertInto('finding_evidence')
      .values(unique.map((e) => ({ finding_id: id, table_key: e.tableKey, row_key: e.rowKey })))
      .execute();
  }
}

export async function insert(trx: Executor, input: FindingInput, now: Date): Promise<number> {
  const last = await trx.selectFrom('findings').select((eb) => eb.fn.max('position').as('position')).executeTakeFirst();
  const row = await trx
    .insertInto('findings')
    .values({
      finding: input.finding,
      need: input.need,
      area_id: input.areaId,
      position: Number(last?.position ?? 0) + 1,
      draft_key: input.draftKey ?? null,
      created_at: now.toISOString(),
      updated_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await writeEvidence(trx, row.id, input.evidence);
  return row.id;
}

export async function update(trx: Executor, id: number, input: FindingInput, now: Date): Promise<void> {
  await trx
    .updateTable('findings')
    .set({ finding: input.finding, need: input.need, area_id: input.areaId, updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
  await writeEvidence(trx, id, input.evidence);
}

export async function remove(trx: Executor, id: number): Promise<void> {
  await trx.deleteFrom('finding_evidence').where('finding_id', '=', id).execute();
  await trx.deleteFrom('findings').where('id', '=', id).execute();
}
