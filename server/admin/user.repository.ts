// All SQL about planner accounts.
import type { Selectable } from 'kysely';
import type { Executor } from '../platform/db/connection';
import { byName } from '../platform/text';
import type { Role, UserTable } from './account.table';

export interface User {
  id: number;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
}

export function toUser(row: Pick<Selectable<UserTable>, 'id' | 'email' | 'name' | 'role' | 'disabled_at' | 'created_at'>): User {
  return { id: row.id, email: row.email, name: row.name, role: row.role, disabled: row.disabled_at !== null, createdAt: row.created_at };
}

const columns = ['id', 'email', 'name', 'role', 'disabled_at', 'created_at'] as const;

export async function findById(db: Executor, id: number): Promise<User | undefined> {
  const row = await db.selectFrom('users').select(columns).where('id', '=', id).executeTakeFirst();
  return row ? toUser(row) : undefined;
}

export async function findByEmailWithHash(db: Executor, email: string): Promise<(User & { passwordHash: string }) | undefined> {
  const row = await db.selectFrom('users').select([...columns, 'password_hash']).where('email', '=', email).executeTakeFirst();
  return row ? { ...toUser(row), passwordHash: row.password_hash } : undefined;
}

export async function list(db: Executor): Promise<User[]> {
  const rows = await db.selectFrom('users').select(columns).execute();
  return rows.map(toUser).sort(byName);
}

export async function count(db: Executor): Promise<number> {
  const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function countActiveAdmins(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role', '=', 'admin')
    .where('disabled_at', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insert(
  db: Executor,
  values: { email: string; name: string; role: Role; passwordHash: string; now: Date },
): Promise<number> {
  const now = values.now.toISOString();
  const row = await db
    .insertInto('users')
    .values({ email: values.email, name: values.name, role: values.role, password_hash: values.passwordHash, created_at: now, updated_at: now })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? 0;
}

export async function update(
  db: Executor,
  id: number,
  changes: { role?: Role; passwordHash?: string; disabledAt?: string | null },
  now: Date,
): Promise<void> {
  await db
    .updateTable('users')
    .set({
      ...(changes.role ? { role: changes.role } : {}),
      ...(changes.passwordHash ? { password_hash: changes.passwordHash } : {}),
      ...(changes.disabledAt !== undefined ? { disabled_at: changes.disabledAt } : {}),
      updated_at: now.toISOString(),
    })
    .where('id', '=', id)
    .execute();
}
