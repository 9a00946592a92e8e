// Issue 18 §3.4–3.5 in the results: a banded age counts by band on the results page, in cross-tabs
// and in the report's profile table (T7); "Diğer" on a drop-down and a ranking is counted and its
// texts are listed. Real responses in a real database, read back through the app.
import type TestAgent from 'supertest/lib/agent';
import { tablesOf } from '../../server/analysis/report/report-model';
import { crossTab, surveyResults } from '../../server/analysis/results.service';
import { addUser, logIn } from '../helpers/admin';
import { htmlProblems } from '../helpers/html';
import { builtReport, storeResponse } from '../helpers/report';
import type { Fields } from '../helpers/forms';
import { validSectionFields } from '../helpers/survey-walker';
import { createTestApp, FIXTURE_SURVEYS, type TestApp } from '../helpers/test-app';

let t: TestApp;
let planner: TestAgent;
const SLUG = 'tum-soru-tipleri';
const survey = () => t.catalog.find(SLUG)!;

// Ages: three 18–29, two 30–49, one 50+, two in no band (under 18).
const AGES = [20, 25, 29, 30, 49, 70, 12, 15];

beforeAll(async () => {
  t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });
  const base: Fields = Object.assign({}, ...survey().sections.map((_, i) => validSectionFields(survey(), i)));
  for (const [i, age] of AGES.entries()) {
    await storeResponse(t, survey(), {
      ...base,
      renk: i % 2 === 0 ? 'mavi' : 'kirmizi',
      renk_nedeni: 'Sevdiğim için',
      yas_grubu: String(age),
      genc_notu: age < 30 && age >= 18 ? 'Spor alanı' : '',
      calisma_yeri: i < 3 ? 'other' : 'kamu',
      'calisma_yeri.other': i < 3 ? `Kooperatif ${i}` : '',
      'hizmet_sirasi.1': i < 2 ? 'other' : 'park',
      'hizmet_sirasi.2': i < 2 ? 'park' : 'spor',
      'hizmet_sirasi.other': i < 2 ? `Pazar yeri ${i}` : '',
    });
  }
  planner = await logIn(t, await addUser(t, 'planner'));
}, 60_000);
afterAll(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

describe('a banded number', () => {
  it('counts its answers per band, those in no band apart, beside the mean', async () => {
    const { results } = await surveyResults(t.db, survey(), { answers: [] });
    const age = results.find((r) => r.question.id === 'yas_grubu')!;
    expect(age.kind).toBe('number');
    if (age.kind !== 'number') return;
    expect(age.n).toBe(8);
    expect(age.mean).toBeCloseTo(AGES.reduce((a, b) => a + b, 0) / 8);
    expect(age.bands!.map((b) => [b.id, b.count, b.percent])).toEqual([
      ['y18_29', 3, 37.5],
      ['y30_49', 2, 25],
      ['y50', 1, 12.5],
      ['outside_bands', 2, 25],
    ]);
  });

  it('shows the bands as a table on the results page, and breaks another question down by band', async () => {
    const page = await planner.get(`/admin/surveys/${SLUG}/results`);
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<th scope="row">18–29<\/th><td class="num" data-value="3">3<\/td>/);
    expect(page.text).toMatch(/<th scope="row">Aralıkların dışında<\/th><td class="num" data-value="2">2<\/td>/);
    // The band is no stored option: it breaks down, it does not filter.
    expect(page.text).toContain('<option value="yas_grubu"');
    expect(page.text).not.toContain('name="by.yas_grubu"');

    const tab = (await crossTab(t.db, survey(), { answers: [] }, 'yas_grubu', 'renk'))!;
    expect(tab.rows.map((row) => [row.group, row.n, row.cells.find((c) => c.key === 'mavi')!.count])).toEqual([
      ['y18_29', 3, 2],
      ['y30_49', 2, 1],
      ['y50', 1, 0],
      ['outside_bands', 2, 1],
      ['total', 8, 4],
    ]);
    const cross = await planner.get(`/admin/surveys/${SLUG}/results?cross_by=yas_grubu&cross_q=renk`);
    expect(cross.text).toContain('Kaç yaşındasınız? × En sevdiğiniz renk');
    const section = /id="cross-heading"[\s\S]*?<\/section>/.exec(cross.text)![0];
    expect(section).toContain('<th scope="row">50 ve üzeri</th>');
    expect(await htmlProblems(cross.text)).toEqual([]);
  });

  it('as a cross-tab target, gets a column per band', async () => {
    const tab = (await crossTab(t.db, survey(), { answers: [] }, 'renk', 'yas_grubu'))!;
    expect(tab.columns.map((c) => c.key)).toEqual(['y18_29', 'y30_49', 'y50', 'outside_bands']);
    const blue = tab.rows.find((row) => row.group === 'mavi')!;
    expect(blue.cells.map((c) => c.count)).toEqual([2, 1, 0, 1]);
  });

  it('fills the report\'s age table (T7) like a single choice of its bands', async () => {
    const report = await builtReport(t, { citizenSurvey: SLUG, surveys: [SLUG], suppression: 1 });
    const t7 = tablesOf(report).find((table) => table.id === 'T7')!;
    expect(t7.rows.map((row) => row.cells)).toEqual([
      ['18–29', 3, 37.5],
      ['30–49', 2, 25],
      ['50 ve üzeri', 1, 12.5],
      ['Aralıkların dışında', 2, 25],
    ]);
    expect(t7.total).toEqual(['Toplam', 8, 100]);
  });
});

describe('"Diğer" on a drop-down and a ranking', () => {
  it('is counted with the options and items', async () => {
    const { results } = await surveyResults(t.db, survey(), { answers: [] });
    const select = results.find((r) => r.question.id === 'calisma_yeri')!;
    const ranking = results.find((r) => r.question.id === 'hizmet_sirasi')!;
    if (select.kind !== 'choice' || ranking.kind !== 'ranking') throw new Error('unexpected kinds');
    expect(select.options.map((o) => [o.id, o.count])).toEqual([
      ['kamu', 5],
      ['ozel', 0],
      ['other', 3],
    ]);
    expect(ranking.items.find((i) => i.id === 'other')).toMatchObject({ chosen: 2, first: 2, score: 4 });
  });

  it('lists the texts under the results, escaped, as for single choice', async () => {
    const page = await planner.get(`/admin/surveys/${SLUG}/results`);
    expect(page.text).toContain('<li>Kooperatif 2</li>');
    expect(page.text).toContain('<li>Pazar yeri 1</li>');
    expect(page.text).toMatch(/<th scope="row">Diğer \(belirtiniz\)<\/th><td class="num" data-value="3">3<\/td>/);
  });

  it('exports the texts and the band in their own columns', async () => {
    const csv = await planner.get(`/admin/surveys/${SLUG}/export/codebook.csv`);
    expect(csv.status).toBe(200);
    for (const id of ['yas_grubu.band', 'calisma_yeri.other_text', 'hizmet_sirasi.other', 'hizmet_sirasi.other_text']) expect(csv.text).toContain(id);
  });
});
