// All SQL about the stakeholder register.
import type { Selectable } from 'kysely';
import type { Executor } from '../platform/db/connection';
import { byName } from '../platform/text';
import type { StakeholderGroup, StakeholderScope, StakeholderTable, StakeholderType } from './stakeholder.table';
import type { Category } from './stakeholder-rules';

export interface Stakeholder {
  id: number;
  name: string;
  group: StakeholderGroup;
  scope: StakeholderScope;
  type: StakeholderType | null;
  contactPerson: string | null;
  reason: string | null;
  importance: number;
  influence: number;
  language: string;
  source: 'register' | 'self';
  archived: boolean;
  emails: string[];
  areas: string[];
  createdAt: string;
}

export type StakeholderInput = Omit<Stakeholder, 'id' | 'archived' | 'createdAt' | 'source'>;

export interface StakeholderFilter {
  group?: StakeholderGroup;
  /** Needs the threshold the categories are cut at. */
  category?: { category: Category; threshold: number };
  archived?: boolean;
  ids?: number[];
}

export async function list(db: Executor, filter: StakeholderFilter = {}): Promise<Stakeholder[]> {
  let query = db.selectFrom('stakeholders').selectAll();
  if (filter.group) query = query.where('group_id', '=', filter.group);
  query = query.where('archived_at', filter.archived ? 'is not' : 'is', null);
  if (filter.ids) query = query.where('id', 'in', filter.ids.length > 0 ? filter.ids : [-1]);
  if (filter.category) {
    const { category, threshold } = filter.category;
    const important = category === 'birlikte_calis' || category === 'cikarlarini_gozet';
    const influential = category === 'birlikte_calis' || category === 'bilgilendir';
    query = query.where('importance', important ? '>=' : '<', threshold).where('influence', influential ? '>=' : '<', threshold);
  }
  const rows = (await query.execute()).sort(byName);
  return withDetails(db, rows);
}

export async function find(db: Executor, id: number): Promise<Stakeholder | undefined> {
  const rows = await db.selectFrom('stakeholders').selectAll().where('id', '=', id).execute();
  return (await withDetails(db, rows))[0];
}

async function withDetails(
  db: Executor,
  rows: Selectable<StakeholderTable>[],
): Promise<Stakeholder[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((row) => row.id);
  const emails = await db.selectFrom('stakeholder_emails').select(['stakeholder_id', 'email']).where('stakeholder_id', 'in', ids).orderBy('position').execute();
  const areas = await db.selectFrom('stakeholder_areas').select(['stakeholder_id', 'area_id']).where('stakeholder_id', 'in', ids).execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    group: row.group_id,
    scope: row.scope,
    type: row.type,
    contactPerson: row.contact_person,
    reason: row.reason,
    importance: row.importance,
    influence: row.influence,
    language: row.language,
    source: row.source,
    archived: row.archived_at !== null,
    emails: emails.filter((e) => e.stakeholder_id === row.id).map((e) => e.email),
    areas: areas.filter((a) => a.stakeholder_id === row.id).map((a) => a.area_id),
    createdAt: row.created_at,
  }));
}

async function replaceDetails(db: Executor, id: number, input: Pick<StakeholderInput, 'emails' | 'areas'>): Promise<void> {
  await db.deleteFrom('stakeholder_emails').where('stakeholder_id', '=', id).execute();
  await db.deleteFrom('stakeholder_areas').where('stakeholder_id', '=', id).execute();
  const emails = [...new Set(input.emails)];
  if (emails.length > 0) {
    await db.insertInto('stakeholder_emails').values(emails.map((email, position) => ({ stakeholder_id: id, email, position }))).execute();
  }
  const areas = [...new Set(input.areas)];
  if (areas.length > 0) await db.insertInto('stakeholder_areas').values(areas.map((area_id) => ({ stakeholder_id: id, area_id }))).execute();
}

const columns = (input: StakeholderInput) => ({
  name: input.name,
  group_id: input.group,
  scope: input.scope,
  type: input.type,
  contact_person: input.contactPerson,
  reason: input.reason,
  importance: input.importance,
  influence: input.influence,
  language: input.language,
});

export async function insert(db: Executor, input: StakeholderInput, source: 'register' | 'self', now: Date): Promise<number> {
  const { id } = await db
    .insertInto('stakeholders')
    .values({ ...columns(input), source, created_at: now.toISOString(), updated_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow();
  await replaceDetails(db, id, input);
  return id;
}

export async function update(db: Executor, id: number, input: StakeholderInput, now: Date): Promise<void> {
  await db.updateTable('stakeholders').set({ ...columns(input), updated_at: now.toISOString() }).where('id', '=', id).execute();
  await replaceDetails(db, id, input);
}

export async function setArchived(db: Executor, id: number, archived: boolean, now: Date): Promise<void> {
  await db
    .updateTable('stakeholders')
    .set({ archived_at: archived ? now.toISOString() : null, updated_at: now.toISOString() })
    .where('id', '=', id)
    .execute();
}

/** Names already in the register (folded for comparison by the caller). */
export async function names(db: Executor): Promise<{ id: number; name: string }[]> {
  return db.selectFrom('stakeholders').select(['id', 'name']).execute();
}

/**
 * Moves invitations and e-mail addresses of one stakeholder to another, then removes the first.
 * It reaches into the invitations table: a merge must carry an institution's record along.
 */
export async function mergeInto(db: Executor, fromId: number, intoId: number): Promise<void> {
  await db.updateTable('invitations').set({ stakeholder_id: intoId }).where('stakeholder_id', '=', fromId).execute();
  const have = new Set((await db.selectFrom('stakeholder_emails').select('email').where('stakeholder_id', '=', intoId).execute()).map((e) => e.email));
  const moving = (await db.selectFrom('stakeholder_emails').select('email').where('stakeholder_id', '=', fromId).execute()).filter((e) => !have.has(e.email));
  if (moving.length > 0) {
    await db
      .insertInto('stakeholder_emails')
      .values(moving.map((e, i) => ({ stakeholder_id: intoId, email: e.email, position: have.size + i })))
      .execute();
  }
  // Activities the merged-away entry took part in (T4, T14) now count for the one kept.
  const joined = new Set((await db.selectFrom('consultation_activity_stakeholders').select('activity_id').where('stakeholder_id', '=', intoId).execute()).map((r) => r.activity_id));
  const activities = (await db.selectFrom('consultation_activity_stakeholders').select('activity_id').where('stakeholder_id', '=', fromId).execute()).filter((r) => !joined.has(r.activity_id));
  if (activities.length > 0) {
    await db
      .insertInto('consultation_activity_stakeholders')
      .values(activities.map((r) => ({ activity_id: r.activity_id, stakeholder_id: intoId })))
      .execute();
  }
  await db.deleteFrom('consultation_activity_stakeholders').where('stakeholder_id', '=', fromId).execute();
  await db.deleteFrom('stakeholders').where('id', '=', fromId).execute();
}
