// Saving paper forms typed in the entry grid, and settling double entry. Each form is one
// transaction, opened by the caller; a form number re-posted with the same answers is the same
// form (a retried post), with other answers a refused duplicate.
import type { Transaction } from 'kysely';
import type { Actor } from '../../platform/audit/audit.repository';
import * as auditRepository from '../../platform/audit/audit.repository';
import type { Executor } from '../../platform/db/connection';
import type { Database } from '../../platform/db/database';
import * as answerTallyRepository from '../answer-tally.repository';
import { storeEnteredAnswers, type EntryChannel } from '../response.service';
import type { AnswerRow } from '../survey-answers';
import type { Survey } from '../survey-definition';
import { compareEntries, type Comparison } from './double-entry';
import { gridColumns, parseGridRow, readFormNumber, sameCells, type CellError, type Cells } from './grid-cells';
import * as paperFormRepository from './paper-form.repository';
import type { EntryPass } from './paper-form.table';

export interface GridRow {
  survey: Survey;
  channel: EntryChannel;
  batch: string;
  pass: EntryPass;
  /** As typed. */
  formNumber: string;
  cells: Cells;
  language: string;
  enteredBy: number;
  now: Date;
}

/** The key of the form-number cell in errors. */
export const FORM_CELL = 'form';

export type RowOutcome =
  | { kind: 'invalid'; errors: Record<string, CellError> }
  /** Another form with this number is already in the batch (and pass). */
  | { kind: 'duplicate'; formNumber: string }
  /** responseId: the counted response (first pass); null for a second-pass check. */
  | { kind: 'saved'; formNumber: string; responseId: number | null }
  /** The same form with the same answers, posted again: nothing new stored. */
  | { kind: 'already_saved'; formNumber: string; responseId: number | null };

export async function saveRow(trx: Transaction<Database>, row: GridRow): Promise<RowOutcome> {
  const number = readFormNumber(row.formNumber);
  const parsed = parseGridRow(row.survey, row.cells);
  if (!number.ok || !parsed.ok) {
    return { kind: 'invalid', errors: { ...(number.ok ? {} : { [FORM_CELL]: number.error }), ...(parsed.ok ? {} : parsed.errors) } };
  }
  const key = { surveySlug: row.survey.slug, batch: row.batch, formNumber: number.number, pass: row.pass };
  const earlier = await paperFormRepository.find(trx, key);
  if (earlier) {
    return sameCells(earlier.cells, parsed.cells)
      ? { kind: 'already_saved', formNumber: number.number, responseId: earlier.responseId }
      : { kind: 'duplicate', formNumber: number.number };
  }
  let responseId: number | null = null;
  if (row.pass === 1) {
    // The one path every clerk's questionnaire is stored through (see response.service).
    responseId = await storeEnteredAnswers(trx, {
      survey: row.survey,
      channel: row.channel,
      enteredBy: row.enteredBy,
      answers: parsed.answers,
      idempotencyKey: `paper:${row.survey.slug}:${row.batch}:${number.number}`,
      language: row.language,
      now: row.now,
    });
  }
  await paperFormRepository.insert(trx, { ...key, channel: row.channel, cells: parsed.cells, responseId, enteredBy: row.enteredBy, now: row.now });
  return { kind: 'saved', formNumber: number.number, responseId };
}

export interface BatchComparison extends Comparison {
  firstCount: number;
  secondCount: number;
}

export async function compareBatch(trx: Executor, survey: Survey, batch: string): Promise<BatchComparison> {
  const first = await paperFormRepository.listPass(trx, survey.slug, batch, 1);
  const second = await paperFormRepository.listPass(trx, survey.slug, batch, 2);
  const comparison = compareEntries(
    gridColumns(survey).map((c) => c.key),
    new Map(first.map((f) => [f.formNumber, f.cells])),
    new Map(second.map((f) => [f.formNumber, f.cells])),
  );
  return { ...comparison, firstCount: first.length, secondCount: second.length };
}

export type SettleOutcome =
  | { kind: 'not_found' }
  | { kind: 'invalid'; errors: Record<string, CellError> }
  | { kind: 'settled'; responseId: number };

/**
 * Settles one form of a double-entered batch: the chosen cells replace both passes' differing
 * ones, and the counted response takes the settled answers (its counts move with it).
 */
export async function settleForm(
  trx: Transaction<Database>,
  input: { survey: Survey; batch: string; formNumber: string; chosen: Cells; actor: Actor; now: Date },
): Promise<SettleOutcome> {
  const key = { surveySlug: input.survey.slug, batch: input.batch, formNumber: input.formNumber };
  const first = await paperFormRepository.find(trx, { ...key, pass: 1 });
  const second = await paperFormRepository.find(trx, { ...key, pass: 2 });
  if (!first || !second || first.responseId === null) return { kind: 'not_found' };
  const cells = { ...first.cells };
  for (const [column, value] of Object.entries(input.chosen)) {
    if ((first.cells[column] ?? '') === (second.cells[column] ?? '')) continue;
    if (value.trim() === '') delete cells[column];
    else cells[column] = value;
  }
  const parsed = parseGridRow(input.survey, cells);
  if (!parsed.ok) return { kind: 'invalid', errors: parsed.errors };
  const responseId = first.responseId;
  await replaceAnswers(trx, responseId, parsed.rows, input.now);
  const settledBy = input.actor.userId!;
  await paperFormRepository.setCells(trx, first.id, parsed.cells, { by: settledBy, now: input.now });
  await paperFormRepository.setCells(trx, second.id, parsed.cells, { by: settledBy, now: input.now });
  const changed = Object.keys({ ...first.cells, ...parsed.cells }).filter((c) => (first.cells[c] ?? '') !== (parsed.cells[c] ?? ''));
  await auditRepository.record(
    trx,
    {
      action: 'response.settled',
      ...auditRepository.by(input.actor),
      target: `${input.survey.slug}#${responseId}`,
      details: { batch: input.batch, form: input.formNumber, changed: changed.map((c) => `${c}: ${first.cells[c] ?? '—'} → ${parsed.cells[c] ?? '—'}`).join('; ') },
    },
    input.now,
  );
  return { kind: 'settled', responseId };
}

/** A counted response takes new answers; an excluded one is out of the counts, which then stay as they are. */
async function replaceAnswers(trx: Transaction<Database>, responseId: number, rows: AnswerRow[], now: Date): Promise<void> {
  const counted = !(await paperFormRepository.isExcluded(trx, responseId));
  if (counted) await answerTallyRepository.countResponse(trx, responseId, -1);
  await paperFormRepository.replaceAnswers(trx, responseId, rows, now);
  if (counted) await answerTallyRepository.countResponse(trx, responseId, 1);
}

export type CorrectOutcome =
  | { kind: 'not_found' }
  | { kind: 'invalid'; errors: Record<string, CellError> }
  | { kind: 'corrected'; responseId: number; changed: number };

/**
 * Corrects a form typed in through the grid, read again against its paper: the counted response
 * takes the corrected answers and the form its cells (a second pass, if any, is compared anew).
 */
export async function correctForm(
  trx: Transaction<Database>,
  input: { survey: Survey; responseId: number; cells: Cells; actor: Actor; now: Date },
): Promise<CorrectOutcome> {
  const form = await paperFormRepository.findFirstPassOf(trx, input.survey.slug, input.responseId);
  if (!form) return { kind: 'not_found' };
  const parsed = parseGridRow(input.survey, input.cells);
  if (!parsed.ok) return { kind: 'invalid', errors: parsed.errors };
  const changed = Object.keys({ ...form.cells, ...parsed.cells }).filter((c) => (form.cells[c] ?? '') !== (parsed.cells[c] ?? ''));
  if (changed.length === 0) return { kind: 'corrected', responseId: input.responseId, changed: 0 };
  await replaceAnswers(trx, input.responseId, parsed.rows, input.now);
  await paperFormRepository.updateCells(trx, form.id, parsed.cells);
  await auditRepository.record(
    trx,
    {
      action: 'response.corrected',
      ...auditRepository.by(input.actor),
      target: `${input.survey.slug}#${input.responseId}`,
      details: { form: form.formNumber, changed: changed.map((c) => `${c}: ${form.cells[c] ?? '—'} → ${parsed.cells[c] ?? '—'}`).join('; ') },
    },
    input.now,
  );
  return { kind: 'corrected', responseId: input.responseId, changed: changed.length };
}
