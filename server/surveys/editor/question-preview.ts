// The live preview of a question being edited: the question on its own, resolved within the draft the
// way a published survey is, so the public partial draws it exactly as a respondent would see it.
// Pure: nothing here reads or writes the draft store.
import type { TFunction } from 'i18next';
import type { Municipality } from '../../municipality';
import { resolveSurvey } from '../survey-catalog';
import type { QuestionFile, Survey, SurveyFile } from '../survey-definition';
import type { FieldErrors } from './question-form';

/**
 * Prefixed to the question's id in the preview: the partial's ids (f-…, q-…, h-…) then cannot clash
 * with anything on the editor's page, whatever id the planner types.
 */
export const PREVIEW_ID_PREFIX = 'onizleme-';

/**
 * A one-section survey holding only the question (its condition dropped: the preview always shows it),
 * with the draft's titles and dates, and shared lists (mahalles …) filled in from the municipality.
 * Problems that only the whole-survey rules find come back as messages.
 */
export function previewSurvey(draft: SurveyFile, question: QuestionFile, municipality: Municipality): { survey: Survey } | { problems: string[] } {
  const { showWhen: _ignored, ...shown } = question;
  const section = draft.sections[0];
  const file: SurveyFile = {
    ...draft,
    sections: [{ id: section?.id ?? 'onizleme', title: section?.title ?? { tr: '' }, questions: [shown as QuestionFile] }],
  };
  const resolved = resolveSurvey(file, municipality);
  if ('problems' in resolved) return { problems: resolved.problems.map((p) => p.message) };
  const [only] = resolved.survey.sections;
  const renamed = { ...only!.questions[0]!, id: `${PREVIEW_ID_PREFIX}${question.id}` };
  return { survey: { ...resolved.survey, sections: [{ ...only!, questions: [renamed] }] } };
}

export interface PreviewProblem {
  /** The editor's id of the field to fix (question-fields' `qf-` scheme). */
  href: string;
  label: string;
  message: string;
}

/** The form's errors as a list the planner can follow to each field, labelled as the form labels them. */
export function previewProblems(errors: FieldErrors, t: TFunction): PreviewProblem[] {
  return Object.entries(errors).map(([field, message]) => {
    if (field === '_form') return { href: '', label: '', message };
    const [head = field, second] = field.split('.');
    const F = 'admin:editor.fields.';
    let label = ['options', 'rows', 'items'].includes(head) ? t(`${F}collections.${head}`) : t(`${F}${head}`, { defaultValue: head });
    if (typeof label !== 'string' || label.startsWith(F)) label = head;
    if (second !== undefined && /^\d+$/.test(second)) label = `${label}, ${t(`${F}row`, { number: Number(second) + 1 })}`;
    return { href: `#qf-${field.replace(/[^A-Za-z0-9_-]/g, '-')}`, label, message };
  });
}
