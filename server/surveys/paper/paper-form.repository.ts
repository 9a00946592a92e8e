// All SQL about paper forms typed in through the entry grid.
import type { Executor } from '../../platform/db/connection';
import * as responseRepository from '../response.repository';
import type { ResponseChannel } from '../response.table';
import type { AnswerRow } from '../survey-answers';
import type { Cells } from './grid-cells';
import type { EntryPass } from './paper-form.table';

export interface PaperForm {
  id: number;
  formNumber: string;
  pass: EntryPass;
  cells: Cells;
  responseId: number | null;
  settledAt: string | null;
}

function parseCells(json: string): Cells {
  const parsed: unknown = JSON.parse(json);
  return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Cells) : {};
}

const COLUMNS = ['id', 'form_number', 'pass', 'cells', 'response_id', 'settled_at'] as const;
const toForm = (row: { id: number; form_number: string; pass: EntryPass; cells: string; response_id: number | null; settled_at: string | null }): PaperForm => ({
  id: row.id,
  formNumber: row.form_number,
  pass: row.pass,
  cells: parseCells(row.cells),
  responseId: row.response_id,
  settledAt: row.settled_at,
});

export async function find(db: Executor, key: { surveySlug: string; batch: string; formNumber: string; pass: EntryPass }): Promise<PaperForm | undefined> {
  const row = await db
    .selectFrom('paper_forms')
    .select(COLUMNS)
    .where('survey_slug', '=', key.surveySlug)
    .where('batch', '=', key.batch)
    .where('form_number', '=', key.formNumber)
    .where('pass', '=', key.pass)
    .executeTakeFirst();
  return row ? toForm(row) : undefined;
}

export async function insert(
  db: Executor,
  values: { surveySlug: string; batch: string; formNumber: string; pass: EntryPass; channel: ResponseChannel; cells: Cells; responseId: number | null; enteredBy: number; now: Date },
): Promise<void> {
  await db
    .insertInto('paper_forms')
    .values({
      survey_slug: values.surveySlug,
      batch: values.batch,
      form_number: values.formNumber,
      pass: values.pass,
      channel: values.channel,
      cells: JSON.stringify(values.cells),
      response_id: values.responseId,
      entered_by: values.enteredBy,
      entered_at: values.now.toISOString(),
    })
    .execute();
}

export async function setCells(db: Executor, id: number, cells: Cells, settled: { by: number; now: Date }): Promise<void> {
  await db
    .updateTable('paper_forms')
    .set({ cells: JSON.stringify(cells), settled_by: settled.by, settled_at: settled.now.toISOString() })
    .where('id', '=', id)
    .execute();
}

/** The forms of one batch and pass. */
export async function listPass(db: Executor, surveySlug: string, batch: string, pass: EntryPass): Promise<PaperForm[]> {
  const rows = await db
    .selectFrom('paper_forms')
    .select(COLUMNS)
    .where('survey_slug', '=', surveySlug)
    .where('batch', '=', batch)
    .where('pass', '=', pass)
    .orderBy('id')
    .execute();
  return rows.map(toForm);
}

export async function countPass(db: Executor, surveySlug: string, batch: string, pass: EntryPass): Promise<number> {
  const row = await db
    .selectFrom('paper_forms')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('survey_slug', '=', surveySlug)
    .where('batch', '=', batch)
    .where('pass', '=', pass)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The batches of a survey with how many forms each pass holds, for choosing one to compare. */
export async function batches(db: Executor, surveySlug: string): Promise<{ batch: string; first: number; second: number }[]> {
  const rows = await db
    .selectFrom('paper_forms')
    .select((eb) => [
      'batch',
      eb.fn.sum<number>(eb.case().when('pass', '=', 1).then(1).else(0).end()).as('first'),
      eb.fn.sum<number>(eb.case().when('pass', '=', 2).then(1).else(0).end()).as('second'),
    ])
    .where('survey_slug', '=', surveySlug)
    .groupBy('batch')
    .orderBy('batch')
    .execute();
  return rows.map((row) => ({ batch: row.batch, first: Number(row.first), second: Number(row.second) }));
}

export async function isExcluded(db: Executor, responseId: number): Promise<boolean> {
  const row = await db.selectFrom('responses').select('excluded_at').where('id', '=', responseId).executeTakeFirstOrThrow();
  return row.excluded_at !== null;
}

/** A settled form's answers in place of the first pass's; the caller moves the counts. */
export async function replaceAnswers(db: Executor, responseId: number, rows: AnswerRow[], now: Date): Promise<void> {
  await db.deleteFrom('answers').where('response_id', '=', responseId).execute();
  await responseRepository.insertAnswers(db, responseId, rows);
  await db.updateTable('responses').set({ updated_at: now.toISOString() }).where('id', '=', responseId).execute();
}

/** The paper form behind a counted response, for its page: the number to find the paper by. */
export async function findByResponse(db: Executor, responseId: number): Promise<{ formNumber: string; batch: string; settledAt: string | null } | undefined> {
  const row = await db.selectFrom('paper_forms').select(['form_number', 'batch', 'settled_at']).where('response_id', '=', responseId).executeTakeFirst();
  return row ? { formNumber: row.form_number, batch: row.batch, settledAt: row.settled_at } : undefined;
}

export async function updateCells(db: Executor, id: number, cells: Cells): Promise<void> {
  await db.updateTable('paper_forms').set({ cells: JSON.stringify(cells) }).where('id', '=', id).execute();
}

/** The first-pass form behind a counted response of a survey. */
export async function findFirstPassOf(db: Executor, surveySlug: string, responseId: number): Promise<(PaperForm & { batch: string }) | undefined> {
  const row = await db
    .selectFrom('paper_forms')
    .select([...COLUMNS, 'batch'])
    .where('survey_slug', '=', surveySlug)
    .where('response_id', '=', responseId)
    .where('pass', '=', 1)
    .executeTakeFirst();
  return row ? { ...toForm(row), batch: row.batch } : undefined;
}
