import type { TFunction } from 'i18next';
import { localizedOf, problemsAt } from '../../../server/surveys/editor/editor-forms';
import { pathParts } from '../../../server/surveys/editor/survey-editor.service';

const t = ((key: string, params: Record<string, unknown>) => `${key}|${String(params.path)}|${String(params.message)}`) as unknown as TFunction;

describe('the editor forms', () => {
  it('read the rules\' JSON paths back into parts', () => {
    expect(pathParts('$.sections[1].questions[0].showWhen.question')).toEqual(['sections', 1, 'questions', 0, 'showWhen', 'question']);
    expect(pathParts('$.closesAt')).toEqual(['closesAt']);
    expect(pathParts('$')).toEqual([]);
  });

  it('place whole-draft problems at the field inside the edited part, the rest at the top', () => {
    const errors = problemsAt(
      [
        { path: ['sections', 0, 'questions', 2, 'showWhen', 'question'], message: 'must be earlier' },
        { path: ['sections', 1, 'questions', 0, 'id'], message: 'duplicate' },
      ],
      ['sections', 0, 'questions', 2],
      (rest) => rest.join('.'),
      t,
    );
    expect(errors).toEqual({
      'showWhen.question': 'admin:editor.messages.rule|sections.0.questions.2.showWhen.question|must be earlier',
      _form: 'admin:editor.messages.rule|sections.1.questions.0.id|duplicate',
    });
  });

  it('make a localized text of side-by-side fields, Turkish required', () => {
    expect(localizedOf({ 'title.tr': ' Başlık ', 'title.en': '' }, 'title')).toEqual({ tr: 'Başlık' });
    expect(localizedOf({ 'title.tr': 'Başlık', 'title.en': 'Title' }, 'title')).toEqual({ tr: 'Başlık', en: 'Title' });
    expect(localizedOf({ 'title.en': 'Title' }, 'title')).toBeUndefined();
  });
});
