// How a likert matrix's rows and columns are laid out, shared by the survey page, the response
// view and the results: row groups as headings between rows, "Bilgim yok" first or last. Pure.
import type { LocalizedText } from '../platform/schema';
import { DEFAULT_NOT_APPLICABLE_POSITION, type Option, type QuestionOf } from './survey-definition';

export interface MatrixRowGroup {
  /** Absent for a matrix without groups: its rows then form one group without a heading. */
  title?: LocalizedText;
  rows: Option[];
}

/** The matrix's rows under their headings, in the order of rows (the rules guarantee groups follow it). */
export function matrixRowGroups(question: QuestionOf<'likert_matrix'>): MatrixRowGroup[] {
  if (!question.rowGroups) return [{ rows: question.rows }];
  const byId = new Map(question.rows.map((row) => [row.id, row]));
  return question.rowGroups.map((group) => ({ title: group.title, rows: group.rows.map((id) => byId.get(id)!).filter(Boolean) }));
}

/** Where the "Bilgim yok" column is shown; null when the matrix has none. */
export function notApplicablePosition(question: QuestionOf<'likert_matrix'>): 'first' | 'last' | null {
  if (!question.notApplicable) return null;
  return question.notApplicablePosition ?? DEFAULT_NOT_APPLICABLE_POSITION;
}
