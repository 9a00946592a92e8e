// All SQL about responses, answers and stored survey definitions.
import type { Executor } from '../platform/db/connection';
import type { AnswerRow, FormFields } from './survey-answers';
import type { ResponseChannel } from './response.table';
import type { Survey } from './survey-definition';

export interface Draft {
  id: number;
  fields: FormFields;
  updatedAt: string;
}

export interface CompletedResponse {
  id: number;
  surveySlug: string;
}

function toDraft(row: { id: number; draft_fields: string | null; updated_at: string }): Draft {
  return { id: row.id, fields: parseFields(row.draft_fields), updatedAt: row.updated_at };
}

function parseFields(json: string | null): FormFields {
  if (!json) return {};
  const parsed: unknown = JSON.parse(json);
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as FormFields) : {};
}

/** The draft of a survey behind a cookie token, if it was saved after `notBefore`. */
export async function findDraft(db: Executor, surveySlug: string, tokenHash: string, notBefore: Date): Promise<Draft | undefined> {
  const row = await db
    .selectFrom('responses')
    .select(['id', 'draft_fields', 'updated_at'])
    .where('draft_token_hash', '=', tokenHash)
    .where('survey_slug', '=', surveySlug)
    .where('status', '=', 'draft')
    .where('updated_at', '>=', notBefore.toISOString())
    .executeTakeFirst();
  return row ? toDraft(row) : undefined;
}

export async function insertDraft(
  db: Executor,
  values: { survey: Survey; tokenHash: string | null; fields: FormFields; language: string; channel: ResponseChannel; now: Date },
): Promise<number> {
  const now = values.now.toISOString();
  const row = await db
    .insertInto('responses')
    .values({
      survey_slug: values.survey.slug,
      definition_hash: values.survey.hash,
      language: values.language,
      channel: values.channel,
      status: 'draft',
      draft_token_hash: values.tokenHash,
      draft_fields: JSON.stringify(values.fields),
      started_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateDraft(db: Executor, id: number, fields: FormFields, language: string, now: Date): Promise<void> {
  await db
    .updateTable('responses')
    .set({ draft_fields: JSON.stringify(fields), language, updated_at: now.toISOString() })
    .where('id', '=', id)
    .where('status', '=', 'draft')
    .execute();
}

export async function findByIdempotencyKey(db: Executor, key: string): Promise<CompletedResponse | undefined> {
  const row = await db
    .selectFrom('responses')
    .select(['id', 'survey_slug'])
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
  return row ? { id: row.id, surveySlug: row.survey_slug } : undefined;
}

/** Marks a draft complete; the draft's token and saved fields are dropped, the answers now live in rows. */
export async function markComplete(
  db: Executor,
  id: number,
  values: { idempotencyKey: string; language: string; definitionHash: string; now: Date },
): Promise<void> {
  const now = values.now.toISOString();
  await db
    .updateTable('responses')
    .set({
      status: 'complete',
      idempotency_key: values.idempotencyKey,
      language: values.language,
      definition_hash: values.definitionHash,
      draft_token_hash: null,
      draft_fields: null,
      updated_at: now,
      submitted_at: now,
    })
    .where('id', '=', id)
    .execute();
}

export async function insertAnswers(db: Executor, responseId: number, rows: AnswerRow[]): Promise<void> {
  // SQLite allows 32766 bound variables; 7 columns a row keeps chunks well below that.
  const chunk = 500;
  for (let i = 0; i < rows.length; i += chunk) {
    await db
      .insertInto('answers')
      .values(rows.slice(i, i + chunk).map((row) => ({ ...row, response_id: responseId })))
      .execute();
  }
}

/** Records a definition version the first time it is loaded, so responses can always be read with it. */
export async function saveDefinition(db: Executor, survey: Survey, now: Date): Promise<void> {
  const { hash, ...definition } = survey;
  await db
    .insertInto('survey_definitions')
    .values({ hash, slug: survey.slug, definition: JSON.stringify(definition), first_loaded_at: now.toISOString() })
    .onConflict((oc) => oc.column('hash').doNothing())
    .execute();
}

/** Stored definitions other than the current ones, that complete responses were given under. */
export async function definitionsInUse(db: Executor): Promise<{ hash: string; slug: string; definition: string }[]> {
  return db
    .selectFrom('survey_definitions as d')
    .select(['d.hash', 'd.slug', 'd.definition'])
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('responses as r')
          .select('r.id')
          .whereRef('r.definition_hash', '=', 'd.hash')
          .where('r.status', '=', 'complete'),
      ),
    )
    .execute();
}

/** How many stored answers of a survey use a question id, optionally one of its option ids or values. */
export async function countAnswersUsing(
  db: Executor,
  surveySlug: string,
  usage: { questionId: string; optionId?: string; value?: number },
): Promise<number> {
  let query = db
    .selectFrom('answers as a')
    .innerJoin('responses as r', 'r.id', 'a.response_id')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('r.survey_slug', '=', surveySlug)
    .where('r.status', '=', 'complete')
    .where('a.question_id', '=', usage.questionId);
  if (usage.optionId !== undefined) query = query.where('a.option_id', '=', usage.optionId);
  if (usage.value !== undefined) query = query.where('a.value', '=', usage.value);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.count);
}

export async function countComplete(db: Executor, surveySlug: string): Promise<number> {
  const row = await db
    .selectFrom('responses')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('survey_slug', '=', surveySlug)
    .where('status', '=', 'complete')
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Slugs with complete responses, to notice a survey file that disappeared. */
export async function slugsWithResponses(db: Executor): Promise<string[]> {
  const rows = await db.selectFrom('responses').select('survey_slug').where('status', '=', 'complete').distinct().execute();
  return rows.map((row) => row.survey_slug);
}
