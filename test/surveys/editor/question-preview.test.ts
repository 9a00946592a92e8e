// The live preview's pure part: the question alone in a survey resolved like a published one, its
// condition dropped and its id prefixed; the form's errors as links to the fields to correct.
import fs from 'node:fs';
import path from 'node:path';
import { MunicipalityFile } from '../../../server/municipality';
import { createI18n } from '../../../server/platform/i18n/i18n';
import { projectRoot } from '../../../server/platform/paths';
import { PREVIEW_ID_PREFIX, previewProblems, previewSurvey } from '../../../server/surveys/editor/question-preview';
import { QuestionFile, SurveyFile } from '../../../server/surveys/survey-definition';

const fixtures = path.join(projectRoot, 'test', 'fixtures', 'surveys');
const municipality = MunicipalityFile.parse(JSON.parse(fs.readFileSync(path.join(fixtures, 'municipality.json'), 'utf8')));
const draft = SurveyFile.parse(JSON.parse(fs.readFileSync(path.join(fixtures, 'tum-soru-tipleri.json'), 'utf8')));
const { translators } = createI18n();

describe('previewSurvey', () => {
  it('holds only the question, its shared list resolved, its condition ignored, its id prefixed', () => {
    const question = QuestionFile.parse({
      kind: 'select', id: 'semt', text: { tr: 'Semtiniz' }, options: { list: 'mahalles' }, showWhen: { question: 'yok_boyle_soru', equals: 'x' },
    });
    const result = previewSurvey(draft, question, municipality);
    if (!('survey' in result)) throw new Error(JSON.stringify(result.problems));
    expect(result.survey.sections).toHaveLength(1);
    const [only, ...others] = result.survey.sections[0]!.questions;
    expect(others).toEqual([]);
    expect(only).toMatchObject({ id: `${PREVIEW_ID_PREFIX}semt`, kind: 'select' });
    expect(only!.showWhen).toBeUndefined();
    expect('options' in only! && only.options.map((o) => o.label.tr)).toEqual(municipality.mahalles.map((m) => m.name));
    // The draft itself is not touched.
    expect(draft.sections.flatMap((s) => s.questions).some((q) => q.id === 'semt')).toBe(false);
  });

  it('reports what only the survey rules find', () => {
    const question = QuestionFile.parse({
      kind: 'likert_matrix', id: 'm', text: { tr: 'M' }, rows: { list: 'mahalles' }, rowGroups: [{ title: { tr: 'G' }, rows: ['merkez'] }],
      scale: [{ value: 1, label: { tr: 'A' } }, { value: 2, label: { tr: 'B' } }],
    });
    const result = previewSurvey(draft, question, municipality);
    expect('problems' in result && result.problems.join(' ')).toMatch(/row groups/);
  });
});

describe('previewProblems', () => {
  it('names each field as the form does and links to it', () => {
    expect(previewProblems({ 'text.tr': 'Türkçe metin zorunludur.', 'options.1.id': 'Kimlik hatalı.', _form: 'Genel sorun.' }, translators.tr)).toEqual([
      { href: '#qf-text-tr', label: 'Soru metni', message: 'Türkçe metin zorunludur.' },
      { href: '#qf-options-1-id', label: 'Seçenekler, Satır 2', message: 'Kimlik hatalı.' },
      { href: '', label: '', message: 'Genel sorun.' },
    ]);
  });
});
