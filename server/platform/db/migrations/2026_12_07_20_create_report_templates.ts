import { sql, type Kysely } from 'kysely';

// The municipality's own Word template for the report's DOCX (its page, header, footer and
// styles): one per kind, replaced by a new upload, removed to go back to the plain export.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_templates')
    .addColumn('kind', 'text', (col) => col.primaryKey().check(sql`kind in ('docx')`))
    .addColumn('file_name', 'text', (col) => col.notNull())
    // Base64 text: one column type every database has (a blob is bytea in PostgreSQL).
    .addColumn('content_base64', 'text', (col) => col.notNull())
    .addColumn('uploaded_by', 'integer', (col) => col.references('users.id'))
    .addColumn('uploaded_at', 'text', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_templates').execute();
}
