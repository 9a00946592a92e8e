// All SQL about consultation activities recorded by hand (report table T4): the activity, the
// mahalles it covered and the register's institutions that took part.
import type { Selectable } from 'kysely';
import type { Executor } from '../../platform/db/connection';
import type { ActivityMethod, ConsultationActivityTable } from './report.table';

export interface ConsultationActivity {
  id: number;
  method: ActivityMethod;
  title: string;
  targetGroup: string;
  /** ISO dates (2026-11-21). */
  startsOn: string;
  endsOn: string | null;
  participants: number;
  notes: string | null;
  mahalleIds: string[];
  stakeholderIds: number[];
}

export type ActivityInput = Omit<ConsultationActivity, 'id'>;

export async function list(db: Executor): Promise<ConsultationActivity[]> {
  const rows = await db.selectFrom('consultation_activities').selectAll().orderBy('starts_on').orderBy('id').execute();
  return withLinks(db, rows);
}

export async function find(db: Executor, id: number): Promise<ConsultationActivity | undefined> {
  const rows = await db.selectFrom('consultation_activities').selectAll().where('id', '=', id).execute();
  return (await withLinks(db, rows))[0];
}

export async function create(trx: Executor, input: ActivityInput, now: Date): Promise<number> {
  const { id } = await trx
    .insertInto('consultation_activities')
    .values({ ...columns(input), created_at: now.toISOString(), updated_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await replaceLinks(trx, id, input);
  return id;
}

/** False when there is no such activity. */
export async function update(trx: Executor, id: number, input: ActivityInput, now: Date): Promise<boolean> {
  const result = await trx
    .updateTable('consultation_activities')
    .set({ ...columns(input), updated_at: now.toISOString() })
    .where('id', '=', id)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return false;
  await replaceLinks(trx, id, input);
  return true;
}

/** False when there is no such activity; its mahalle and stakeholder links go with it. */
export async function remove(trx: Executor, id: number): Promise<boolean> {
  await trx.deleteFrom('consultation_activity_mahalles').where('activity_id', '=', id).execute();
  await trx.deleteFrom('consultation_activity_stakeholders').where('activity_id', '=', id).execute();
  const result = await trx.deleteFrom('consultation_activities').where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Institutions of the register that took part in at least one activity. */
export async function stakeholderIdsInActivities(db: Executor): Promise<Set<number>> {
  const rows = await db.selectFrom('consultation_activity_stakeholders').select('stakeholder_id').distinct().execute();
  return new Set(rows.map((row) => row.stakeholder_id));
}

const columns = (input: ActivityInput) => ({
  method: input.method,
  title: input.title,
  target_group: input.targetGroup,
  starts_on: input.startsOn,
  ends_on: input.endsOn,
  participants: input.participants,
  notes: input.notes,
});

async function replaceLinks(trx: Executor, id: number, input: Pick<ActivityInput, 'mahalleIds' | 'stakeholderIds'>): Promise<void> {
  await trx.deleteFrom('consultation_activity_mahalles').where('activity_id', '=', id).execute();
  await trx.deleteFrom('consultation_activity_stakeholders').where('activity_id', '=', id).execute();
  const mahalles = [...new Set(input.mahalleIds)];
  if (mahalles.length > 0) await trx.insertInto('consultation_activity_mahalles').values(mahalles.map((mahalle_id) => ({ activity_id: id, mahalle_id }))).execute();
  const stakeholders = [...new Set(input.stakeholderIds)];
  if (stakeholders.length > 0) {
    await trx.insertInto('consultation_activity_stakeholders').values(stakeholders.map((stakeholder_id) => ({ activity_id: id, stakeholder_id }))).execute();
  }
}

async function withLinks(db: Executor, rows: Selectable<ConsultationActivityTable>[]): Promise<ConsultationActivity[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const mahalles = await db.selectFrom('consultation_activity_mahalles').select(['activity_id', 'mahalle_id']).where('activity_id', 'in', ids).orderBy('mahalle_id').execute();
  const stakeholders = await db
    .selectFrom('consultation_activity_stakeholders')
    .select(['activity_id', 'stakeholder_id'])
    .where('activity_id', 'in', ids)
    .orderBy('stakeholder_id')
    .execute();
  return rows.map((row) => toActivity(row, mahalles.filter((m) => m.activity_id === row.id).map((m) => m.mahalle_id), stakeholders.filter((s) => s.activity_id === row.id).map((s) => s.stakeholder_id)));
}

function toActivity(row: Selectable<ConsultationActivityTable>, mahalleIds: string[], stakeholderIds: number[]): ConsultationActivity {
  return {
    id: row.id,
    method: row.method,
    title: row.title,
    targetGroup: row.target_group,
    startsOn: row.starts_on,
    endsOn: row.ends_on,
    participants: row.participants,
    notes: row.notes,
    mahalleIds,
    stakeholderIds,
  };
}
