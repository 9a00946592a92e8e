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
