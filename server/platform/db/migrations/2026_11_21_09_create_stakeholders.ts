import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // The stakeholder register (paydaş listesi) with önem and etki; priority and category are computed.
  await db.schema
    .createTable('stakeholders')
    .addColumn('id', 'integer', (col) => col.primaryKey().autoIncrement())
    .addColumn('name', 'text', (col) => col.notNull())
    .addColumn('group_id', 'text', (col) => col.notNull())
    .addColumn('scope', 'text', (col) => col.notNull().check(sql`scope in ('internal', 'external')`))
    .addColumn('type', 'text')
    .addColumn('contact_person', 'text')
    .addColumn('reason', 'text')
    .addColumn('importance', 'integer', (col) => col.notNull().check(sql`importance between 1 and 5`))
    .addColumn('influence', 'integer', (col) => col.notNull().check(sql`influence between 1 and 5`))
    .addColumn('language', 'text', (col) => col.notNull())
    .addColumn('source', 'text', (col) => col.notNull().check(sql`source in ('register', 'self')`))
    .addColumn('archived_at', 'text')
    .addColumn('created_at', 'text', (col) => col.notNull())
    .addColumn('updated_at', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('stakeholders_group').on('stakeholders').column('group_id').execute();

  await db.schema
    .createTable('stakeholder_emails')
    .addColumn('stakeholder_id', 'integer', (col) => col.notNull().references('stakeholders.id').onDelete('cascade'))
    .addColumn('email', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('stakeholder_emails_pk', ['stakeholder_id', 'email'])
    .execute();
  await db.schema.createIndex('stakeholder_emails_email').on('stakeholder_emails').column('email').execute();

  await db.schema
    .createTable('stakeholder_areas')
    .addColumn('stakeholder_id', 'integer', (col) => col.notNull().references('stakeholders.id').onDelete('cascade'))
    .addColumn('area_id', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('stakeholder_areas_pk', ['stakeholder_id', 'area_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('stakeholder_areas').execute();
  await db.schema.dropTable('stakeholder_emails').execute();
  await db.schema.dropTable('stakeholders').execute();
}
