// Helpers the editor's forms share: side-by-side language fields and whole-draft problems placed
// at the field they concern.
import type { TFunction } from 'i18next';
import type { LocalizedText } from '../../platform/schema';
import { problemText } from '../definition-problems';
import type { DraftProblem } from './survey-editor.service';

/** A localized text from form fields `<name>.tr` and `<name>.en`; undefined when Turkish is empty. */
export function localizedOf(data: Record<string, unknown>, name: string): LocalizedText | undefined {
  const tr = String(data[`${name}.tr`] ?? '').trim();
  const en = String(data[`${name}.en`] ?? '').trim();
  if (!tr) return undefined;
  return en ? { tr, en } : { tr };
}

/** Form values of a localized text, for the side-by-side fields. */
export const textValues = (name: string, text: LocalizedText | undefined) => ({ [`${name}.tr`]: text?.tr ?? '', [`${name}.en`]: text?.en ?? '' });

/** Whole-draft problems inside one part of the draft, by the field they belong to, in the language of t; the rest at the top. */
export function problemsAt(problems: DraftProblem[], prefix: (string | number)[], fieldOf: (rest: (string | number)[]) => string, t: TFunction) {
  const errors: Record<string, string> = {};
  for (const problem of problems) {
    const inside = prefix.every((part, i) => problem.path[i] === part);
    const field = inside ? fieldOf(problem.path.slice(prefix.length)) : '_form';
    const message = t('admin:editor.messages.rule', { message: problemText(problem, t), path: problem.path.join('.') });
    errors[field] = errors[field] ? `${errors[field]} ${message}` : message;
  }
  return errors;
}

