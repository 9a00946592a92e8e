import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Every e-mail is written here in the same transaction as the action that causes it; a worker
  // sends it later, so an SMTP outage delays mail but loses none.
  await db.schema
    .createTable('outbox_messages')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('to_address', 'text', (col) => col.notNull())
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('text_body', 'text', (col) => col.notNull())
    .addColumn('html_body', 'text')
    .addColumn('attachments', 'text')
    // Sealed values the bodies hold as placeholders (a personal link); dropped once sent.
    .addColumn('secrets', 'text')
    .addColumn('language', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('ref', 'text')
    .addColumn('status', 'text', (col) => col.notNull().check(sql`status in ('pending', 'sent', 'cancelled')`))
    .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('next_attempt_at', 'text', (col) => col.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('message_id', 'text')
    .execute();
  await db.schema.createIndex('outbox_messages_due').on('outbox_messages').columns(['status', 'next_attempt_at']).execute();
  await db.schema.createIndex('outbox_messages_ref').on('outbox_messages').columns(['kind', 'ref']).execute();

  await db.schema
    .createTable('outbox_attempts')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('message_id', 'integer', (col) => col.notNull().references('outbox_messages.id').onDelete('cascade'))
    .addColumn('at', 'text', (col) => col.notNull())
    .addColumn('ok', 'integer', (col) => col.notNull())
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('outbox_attempts_message').on('outbox_attempts').column('message_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('outbox_attempts').execute();
  await db.schema.dropTable('outbox_messages').execute();
}
