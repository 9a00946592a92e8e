import type { TFunction } from 'i18next';
import { localizedOf, problemsAt } from '../../../server/surveys/editor/editor-forms';
import { pathParts } from '../../../server/surveys/editor/survey-editor.service';

const t = ((key: string, params: Record<string, unknown>) => (key.startsWith('admin:definition.') ? `${key}(${String(params.id)})` : `${key}|${String(params.path)}|${String(params.message)}`)) as unknown as TFunction;

describe('the editor forms', () => {
  it('read the rules\' JSON paths back into parts', () => {
    expect(pathParts('$.sections[1].questions[0].showWhen.question')).toEqual(['sections', 1, 'questions', 0, 'showWhen', 'question']);
    expect(pathParts('$.closesAt')).toEqual(['closesAt']);
    expect(pathParts('$')).toEqual([]);
  });

  it('place whole-draft problems at the field inside the edited part, the rest at the top', () => {
    const errors = problemsAt(
      [
        { path: ['sections', 0, 'questions', 2, 'showWhen', 'question'], message: 'must be earlier', key: 'admin:definition.rules.condition_not_earlier', params: { id: 'later' } },
        { path: ['sections', 1, 'questions', 0, 'id'], message: 'duplicate', key: 'admin:definition.rules.duplicate_question_id', params: { id: 'q' } },
      ],
      ['sections', 0, 'questions', 2],
      (rest) => rest.join('.'),
      t,
    );
    expect(errors).toEqual({
      'showWhen.question': 'admin:editor.messages.rule|sections.0.questions.2.showWhen.question|admin:definition.rules.condition_not_earlier(later)',
      _form: 'admin:editor.messages.rule|sections.1.questions.0.id|admin:definition.rules.duplicate_question_id(q)',
    });
  });

  it('make a localized text of side-by-side fields, Turkish required', () => {
    expect(localizedOf({ 'title.tr': ' Başlık ', 'title.en': '' }, 'title')).toEqual({ tr: 'Başlık' });
    expect(localizedOf({ 'title.tr': 'Başlık', 'title.en': 'Title' }, 'title')).toEqual({ tr: 'Başlık', en: 'Title' });
    expect(localizedOf({ 'title.en': 'Title' }, 'title')).toBeUndefined();
  });
});
