// The earlier questions a condition may compare with, as the condition fields list them.
import type { TFunction } from 'i18next';
import { localize } from '../../platform/i18n/localize';
import { conditionValues, OTHER_OPTION_ID, type Survey } from '../survey-definition';

export interface EarlierQuestion {
  id: string;
  text: string;
  values: { id: string; label: string }[];
}

/** The questions before a place in the draft that a condition may refer to. */
export function earlierQuestions(survey: Survey, before: string | undefined, sectionId: string, t: TFunction, lang: string): EarlierQuestion[] {
  const list: EarlierQuestion[] = [];
  for (const section of survey.sections) {
    for (const question of section.questions) {
      if (question.id === before) return list;
      const ids = conditionValues(question);
      if (ids) {
        // A banded number is compared by its bands, named by their labels.
        const options = 'options' in question ? question.options : question.kind === 'number' ? (question.bands ?? []) : [];
        list.push({
          id: question.id,
          text: localize(question.text, lang).text,
          values: ids.map((id) => ({ id, label: id === OTHER_OPTION_ID ? t('surveys:other_option') : localize(options.find((o) => o.id === id)?.label ?? { tr: id }, lang).text })),
        });
      }
    }
    if (!before && section.id === sectionId) return list;
  }
  return list;
}

/** The questions of the sections before a section (all sections for a new one, given no id). */
export function questionsBeforeSection(survey: Survey, sectionId: string | undefined, t: TFunction, lang: string): EarlierQuestion[] {
  const index = sectionId === undefined ? survey.sections.length : survey.sections.findIndex((section) => section.id === sectionId);
  if (index <= 0) return [];
  const lastBefore = survey.sections[index - 1]!;
  return earlierQuestions(survey, undefined, lastBefore.id, t, lang);
}
