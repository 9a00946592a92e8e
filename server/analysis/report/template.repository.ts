// The municipality's Word template for the report (docx-template.ts): one, replaced by a new upload.
import type { Executor } from '../../platform/db/connection';

export interface StoredTemplate {
  fileName: string;
  content: Buffer;
  uploadedAt: string;
}

export async function find(db: Executor): Promise<StoredTemplate | undefined> {
  const row = await db.selectFrom('report_templates').select(['file_name', 'content_base64', 'uploaded_at']).where('kind', '=', 'docx').executeTakeFirst();
  return row && { fileName: row.file_name, content: Buffer.from(row.content_base64, 'base64'), uploadedAt: row.uploaded_at };
}

/** Its name and date only: the settings page does not need the file. */
export async function describe(db: Executor): Promise<Omit<StoredTemplate, 'content'> | undefined> {
  const row = await db.selectFrom('report_templates').select(['file_name', 'uploaded_at']).where('kind', '=', 'docx').executeTakeFirst();
  return row && { fileName: row.file_name, uploadedAt: row.uploaded_at };
}

export async function save(trx: Executor, template: { fileName: string; content: Buffer }, uploadedBy: number | null, now: Date): Promise<void> {
  await trx.deleteFrom('report_templates').where('kind', '=', 'docx').execute();
  await trx
    .insertInto('report_templates')
    .values({ kind: 'docx', file_name: template.fileName, content_base64: template.content.toString('base64'), uploaded_by: uploadedBy, uploaded_at: now.toISOString() })
    .execute();
}

export async function remove(trx: Executor): Promise<boolean> {
  const result = await trx.deleteFrom('report_templates').where('kind', '=', 'docx').executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
