import { BUNDLED_SURVEYS, FIXTURE_SURVEYS } from '../helpers/test-app';
import { loadCatalog, resolveSurvey } from '../../server/surveys/survey-catalog';
import type { Survey } from '../../server/surveys/survey-definition';
import { fromXlsForm, readXlsForm, toXlsForm, writeXlsForm } from '../../server/surveys/xlsform';

const bundledCatalog = loadCatalog(BUNDLED_SURVEYS);
const fixtureCatalog = loadCatalog(FIXTURE_SURVEYS);
const cases = [
  ...bundledCatalog.surveys.map((survey) => [survey.slug, survey, bundledCatalog.municipality] as const),
  ['tum-soru-tipleri', fixtureCatalog.find('tum-soru-tipleri')!, fixtureCatalog.municipality] as const,
];
/** Deliberately unlike any survey: the paydas column, not these, must give back audience, dates and intro. */
const otherMeta = { audience: 'meeting', opensAt: '2020-01-01T00:00:00+03:00', closesAt: '2020-01-02T00:00:00+03:00' } as const;

describe('XLSForm round trip', () => {
  it.each(cases)('%s exported to a workbook and imported again is the same survey, hash included', async (_slug, survey: Survey, municipality) => {
    const sheets = await readXlsForm(await writeXlsForm(toXlsForm(survey)));
    const imported = fromXlsForm(sheets, otherMeta);
    expect(imported).toEqual({ survey: expect.anything(), approximations: [] });
    if (!('survey' in imported)) return;
    const resolved = resolveSurvey(imported.survey, municipality);
    if (!('survey' in resolved)) throw new Error(JSON.stringify(resolved.problems));
    expect(resolved.survey).toEqual(survey);
    expect(resolved.survey.hash).toBe(survey.hash);
  });
});

describe('importing a workbook with a paydas column', () => {
  const [, fixture, municipality] = cases.at(-1)!;
  const rowOf = (rows: string[][], name: string) => rows.findIndex((row) => row[1] === name && row[0] !== 'end_group');
  const column = (rows: string[][], header: string) => rows[0]!.indexOf(header);

  it('lets what a planner changed in the standard columns win over the paydas JSON', () => {
    const sheets = toXlsForm(fixture);
    const label = column(sheets.survey, 'label::Türkçe (tr)');
    const paydas = column(sheets.survey, 'paydas');
    const yas = rowOf(sheets.survey, 'yas');
    sheets.survey[yas]![label] = 'Kaç yaşındasınız?';
    sheets.survey[yas]![column(sheets.survey, 'constraint')] = '. >= 16';
    // A stale paydas saying min 18 and another text must not undo the planner's edit.
    sheets.survey[yas]![paydas] = JSON.stringify({ min: 18, text: { tr: 'Eski' }, unit: { tr: 'yıl' } });
    sheets.settings[1]![0] = 'Yeni başlık';
    const imported = fromXlsForm(sheets, otherMeta);
    if (!('survey' in imported)) throw new Error(JSON.stringify(imported));
    const question = imported.survey.sections.flatMap((s) => s.questions).find((q) => q.id === 'yas')!;
    expect(question).toEqual({ kind: 'number', id: 'yas', text: { tr: 'Kaç yaşındasınız?', en: 'Your age' }, required: true, integer: true, min: 16, unit: { tr: 'yıl' } });
    expect(imported.survey.title).toEqual({ tr: 'Yeni başlık', en: 'Every question kind' });
    expect(imported.survey.audience).toBe(fixture.audience);
    const resolved = resolveSurvey(imported.survey, municipality);
    expect('survey' in resolved && resolved.survey.hash).not.toBe(fixture.hash);
  });

  it('reports a paydas cell that is not a JSON object by its sheet and row, and lists keys of another kind as left out', () => {
    const sheets = toXlsForm(fixture);
    const paydas = column(sheets.survey, 'paydas');
    const gorus = rowOf(sheets.survey, 'gorus');
    sheets.survey[gorus]![paydas] = '{role: open.improve';
    sheets.choices[3]![column(sheets.choices, 'paydas')] = '[1]';
    const refused = fromXlsForm(sheets, otherMeta);
    expect(refused).toEqual({
      problems: [
        { sheet: 'choices', row: 4, key: 'admin:xlsform.paydas_invalid' },
        { sheet: 'survey', row: gorus + 1, key: 'admin:xlsform.paydas_invalid' },
      ],
      approximations: [],
    });

    const other = toXlsForm(fixture);
    const tarih = rowOf(other.survey, 'tarih');
    other.survey[tarih]![paydas] = JSON.stringify({ maxLength: 20 });
    const imported = fromXlsForm(other, otherMeta);
    expect(imported).toMatchObject({ approximations: [{ sheet: 'survey', row: tarih + 1, key: 'admin:xlsform.paydas_key_ignored', params: { key: 'maxLength' } }] });
    expect('survey' in imported && imported.survey.sections.flatMap((s) => s.questions).find((q) => q.id === 'tarih')).not.toHaveProperty('maxLength');
  });
});
