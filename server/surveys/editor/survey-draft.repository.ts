// All SQL about the editor's drafts: one definition per slug, replaced whole at every save.
import type { Executor } from '../../platform/db/connection';

export interface StoredDraft {
  slug: string;
  definition: string;
  updatedAt: string;
  updatedBy: number | null;
}

export async function findDraft(db: Executor, slug: string): Promise<StoredDraft | undefined> {
  const row = await db.selectFrom('survey_drafts').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row && { slug: row.slug, definition: row.definition, updatedAt: row.updated_at, updatedBy: row.updated_by };
}

export async function listDrafts(db: Executor): Promise<{ slug: string; updatedAt: string }[]> {
  const rows = await db.selectFrom('survey_drafts').select(['slug', 'updated_at']).orderBy('slug').execute();
  return rows.map((row) => ({ slug: row.slug, updatedAt: row.updated_at }));
}

export async function saveDraft(db: Executor, slug: string, definition: string, userId: number | null, now: Date): Promise<void> {
  const values = { definition, updated_at: now.toISOString(), updated_by: userId };
  await db
    .insertInto('survey_drafts')
    .values({ slug, ...values })
    .onConflict((oc) => oc.column('slug').doUpdateSet(values))
    .execute();
}

export async function deleteDraft(db: Executor, slug: string): Promise<boolean> {
  const result = await db.deleteFrom('survey_drafts').where('slug', '=', slug).executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** The text of a published upload, to start a draft from what respondents see. */
export async function findUploadText(db: Executor, slug: string): Promise<string | undefined> {
  const row = await db.selectFrom('uploaded_surveys').select('definition').where('slug', '=', slug).executeTakeFirst();
  return row?.definition;
}
