// All SQL of KVKK anonymisation: the adoption date setting, which records are due, anonymising
// them (shared by retention runs and erasure requests), and the log of runs.
//
// Anonymising is two steps: records are first marked in `anonymisations` (once per record, so a
// second run finds nothing), then every record marked by this batch is overwritten. Set-based
// statements, so a consultation of any size needs no list of ids in memory.
import { sql, type Selectable } from 'kysely';
import type { Executor } from '../platform/db/connection';
import * as settingsRepository from '../platform/db/settings.repository';
import { ANONYMOUS_NAME } from './retention-rules';
import type { AnonymisedKind, RetentionRunTable, RetentionTrigger } from './retention.table';

const ADOPTION_KEY = 'privacy.plan_adopted_on';

export async function findAdoptionDate(db: Executor): Promise<string | undefined> {
  return settingsRepository.find(db, ADOPTION_KEY);
}

export async function saveAdoptionDate(db: Executor, date: string, now: Date): Promise<void> {
  await settingsRepository.upsert(db, ADOPTION_KEY, date, now);
}

/** Which anonymisation a record belongs to: a retention run or a data-subject request. */
export type Batch = { runId: number } | { requestId: number };

const batchColumn = (batch: Batch) => ('runId' in batch ? ('run_id' as const) : ('request_id' as const));
const batchId = (batch: Batch) => ('runId' in batch ? batch.runId : batch.requestId);

/** Ids of the records of a kind marked by a batch. */
function marked(db: Executor, kind: AnonymisedKind, batch: Batch) {
  return db.selectFrom('anonymisations').select('record_id').where('kind', '=', kind).where(batchColumn(batch), '=', batchId(batch));
}

/** Which records of the three personal kinds a batch takes: those created before an instant, or given ids. */
export type Selection = { before: string } | { ids: number[] };

type PersonalTable = 'meeting_registrations' | 'invitations' | 'self_registrations';
const KIND_OF: Record<PersonalTable, AnonymisedKind> = { meeting_registrations: 'registration', invitations: 'invitation', self_registrations: 'self_registration' };

async function mark(db: Executor, table: PersonalTable, selection: Selection, batch: Batch, now: Date): Promise<number> {
  if ('ids' in selection && selection.ids.length === 0) return 0;
  const kind = KIND_OF[table];
  const which = 'before' in selection ? sql`t.created_at < ${selection.before}` : sql`t.id in (${sql.join(selection.ids)})`;
  const result = await sql`
    insert into anonymisations (kind, record_id, anonymised_at, run_id, request_id)
    select ${kind}, t.id, ${now.toISOString()}, ${'runId' in batch ? batch.runId : null}, ${'requestId' in batch ? batch.requestId : null}
    from ${sql.table(table)} as t
    where ${which} and not exists (select 1 from anonymisations as a where a.kind = ${kind} and a.record_id = t.id)`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export interface Counts {
  registrations: number;
  invitations: number;
  invitationTokens: number;
  selfRegistrations: number;
  outboxMessages: number;
}

/**
 * Anonymises the selected sign-ups, invitations and self-registrations not anonymised before,
 * and the mail sent to them. What counts stays: meeting, mahalle, status, attendance, the
 * invitation's institution, dates and answer; links in old mail stop working.
 */
export async function anonymise(trx: Executor, selection: { registrations: Selection; invitations: Selection; selfRegistrations: Selection }, batch: Batch, now: Date): Promise<Counts> {
  const registrations = await mark(trx, 'meeting_registrations', selection.registrations, batch, now);
  const invitations = await mark(trx, 'invitations', selection.invitations, batch, now);
  const selfRegistrations = await mark(trx, 'self_registrations', selection.selfRegistrations, batch, now);
  const outboxMessages = await markOutbox(trx, batch, selection.selfRegistrations, now);

  await trx
    .updateTable('meeting_registrations')
    .set({ name: ANONYMOUS_NAME, phone: null, email: null, accessibility_need: null })
    .where('id', 'in', marked(trx, 'registration', batch))
    .execute();
  // Invitations keep their row (institution, dates, answer); the address goes and every link dies.
  await trx.updateTable('invitations').set({ email: '' }).where('id', 'in', marked(trx, 'invitation', batch)).execute();
  const tokens = await trx.deleteFrom('invitation_tokens').where('invitation_id', 'in', marked(trx, 'invitation', batch)).executeTakeFirst();
  // The confirmation link's hash is replaced by a value no token hashes to, so it is dead too.
  await trx
    .updateTable('self_registrations')
    .set({ email: '', contact_person: null, token_hash: sql<string>`'anonymised:' || id` })
    .where('id', 'in', marked(trx, 'self_registration', batch))
    .execute();
  await trx
    .updateTable('outbox_messages')
    .set({
      to_address: '',
      text_body: '',
      html_body: null,
      attachments: null,
      secrets: null,
      last_error: null,
      // Mail still waiting would go to nobody: it is not sent.
      status: sql<'pending' | 'sent' | 'cancelled'>`case when status = 'pending' then 'cancelled' else status end`,
    })
    .where('id', 'in', marked(trx, 'outbox', batch))
    .execute();
  // An SMTP server's answer may quote the address.
  await trx.updateTable('outbox_attempts').set({ detail: null }).where('message_id', 'in', marked(trx, 'outbox', batch)).execute();
  return { registrations, invitations, invitationTokens: Number(tokens.numDeletedRows), selfRegistrations, outboxMessages };
}

/**
 * Mail about the records this batch marked (their ref), and self-registration confirmations
 * (which carry no ref) to the addresses of the self-registrations it marked, sent before the
 * cutoff when the selection is by date.
 */
async function markOutbox(trx: Executor, batch: Batch, selfSelection: Selection, now: Date): Promise<number> {
  const result = await trx
    .insertInto('anonymisations')
    .columns(['kind', 'record_id', 'anonymised_at', 'run_id', 'request_id'])
    .expression((eb) =>
      eb
        .selectFrom('outbox_messages as o')
        .select([
          sql<string>`'outbox'`.as('kind'),
          'o.id as record_id',
          sql<string>`${now.toISOString()}`.as('anonymised_at'),
          sql<number | null>`${'runId' in batch ? batch.runId : null}`.as('run_id'),
          sql<number | null>`${'requestId' in batch ? batch.requestId : null}`.as('request_id'),
        ])
        .where((w) => w.not(w.exists(w.selectFrom('anonymisations as a').select('a.record_id').where('a.kind', '=', 'outbox').whereRef('a.record_id', '=', 'o.id'))))
        .where((w) => {
          const selfMail = w.and([
            w('o.kind', '=', 'self_registration'),
            w(
              sql<string>`lower(o.to_address)`,
              'in',
              w
                .selectFrom('self_registrations as s')
                .select(sql<string>`lower(s.email)`.as('email'))
                .where('s.id', 'in', marked(trx, 'self_registration', batch)),
            ),
            ...('before' in selfSelection ? [w('o.created_at', '<', selfSelection.before)] : []),
          ]);
          return w.or([
            w('o.ref', 'in', marked(trx, 'registration', batch).clearSelect().select(sql<string>`'registration:' || record_id`.as('ref'))),
            w('o.ref', 'in', marked(trx, 'invitation', batch).clearSelect().select(sql<string>`'invitation:' || record_id`.as('ref'))),
            selfMail,
          ]);
        }),
    )
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

/** What a run with this cutoff would anonymise now (the admin page's preview). */
export async function dueCounts(db: Executor, cutoffAt: string): Promise<Omit<Counts, 'invitationTokens'>> {
  const count = async (table: PersonalTable) => {
    const kind = KIND_OF[table];
    const { rows } = await sql<{ n: number }>`
      select count(*) as n from ${sql.table(table)} as t
      where t.created_at < ${cutoffAt} and not exists (select 1 from anonymisations as a where a.kind = ${kind} and a.record_id = t.id)`.execute(db);
    return Number(rows[0]?.n ?? 0);
  };
  const outbox = await db
    .selectFrom('outbox_messages as o')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where((w) => w.not(w.exists(w.selectFrom('anonymisations as a').select('a.record_id').where('a.kind', '=', 'outbox').whereRef('a.record_id', '=', 'o.id'))))
    .where((w) =>
      w.or([
        w('o.ref', 'in', w.selectFrom('meeting_registrations').select(sql<string>`'registration:' || id`.as('ref')).where('created_at', '<', cutoffAt)),
        w('o.ref', 'in', w.selectFrom('invitations').select(sql<string>`'invitation:' || id`.as('ref')).where('created_at', '<', cutoffAt)),
        // As markOutbox: only mail to the address of a self-registration this run would take.
        w.and([
          w('o.kind', '=', 'self_registration'),
          w('o.created_at', '<', cutoffAt),
          w(
            sql<string>`lower(o.to_address)`,
            'in',
            w
              .selectFrom('self_registrations as s')
              .select(sql<string>`lower(s.email)`.as('email'))
              .where('s.created_at', '<', cutoffAt)
              .where((s) => s.not(s.exists(s.selectFrom('anonymisations as a').select('a.record_id').where('a.kind', '=', 'self_registration').whereRef('a.record_id', '=', 's.id')))),
          ),
        ]),
      ]),
    )
    .executeTakeFirstOrThrow();
  return {
    registrations: await count('meeting_registrations'),
    invitations: await count('invitations'),
    selfRegistrations: await count('self_registrations'),
    outboxMessages: Number(outbox.n),
  };
}

// The run log.

export type RetentionRun = Selectable<RetentionRunTable> & { userName: string | null };

export async function insertRun(db: Executor, run: { trigger: RetentionTrigger; userId: number | null; adoptedOn: string; cutoffAt: string }, now: Date): Promise<number> {
  const row = await db
    .insertInto('retention_runs')
    .values({
      ran_at: now.toISOString(),
      trigger: run.trigger,
      user_id: run.userId,
      adopted_on: run.adoptedOn,
      cutoff_at: run.cutoffAt,
      registrations: 0,
      invitations: 0,
      invitation_tokens: 0,
      self_registrations: 0,
      outbox_messages: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function saveRunCounts(db: Executor, runId: number, counts: Counts): Promise<void> {
  await db
    .updateTable('retention_runs')
    .set({
      registrations: counts.registrations,
      invitations: counts.invitations,
      invitation_tokens: counts.invitationTokens,
      self_registrations: counts.selfRegistrations,
      outbox_messages: counts.outboxMessages,
    })
    .where('id', '=', runId)
    .execute();
}

export async function listRuns(db: Executor, limit = 100): Promise<RetentionRun[]> {
  return db
    .selectFrom('retention_runs as r')
    .leftJoin('users as u', 'u.id', 'r.user_id')
    .selectAll('r')
    .select('u.name as userName')
    .orderBy('r.id', 'desc')
    .limit(limit)
    .execute();
}

/** When each of these records was anonymised, by kind and id. */
export async function anonymisedAt(db: Executor, kind: AnonymisedKind, ids: number[]): Promise<Map<number, string>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('anonymisations').select(['record_id', 'anonymised_at']).where('kind', '=', kind).where('record_id', 'in', ids).execute();
  return new Map(rows.map((row) => [row.record_id, row.anonymised_at]));
}
