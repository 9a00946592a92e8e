// Results of the matrix forms of issue 18 §3.1–3.3: "Bilgim yok" is never a scale point in a mean,
// whether its column is shown first or last, and a grouped matrix shows its headings before their
// rows on the results page, in the results workbook and on a stored response.
import ExcelJS from 'exceljs';
import type TestAgent from 'supertest/lib/agent';
import { surveyResults } from '../../server/analysis/results.service';
import { resultTable, rowsWithGroupHeadings } from '../../server/analysis/result-tables';
import type { QuestionResult } from '../../server/analysis/survey-results';
import { createI18n } from '../../server/platform/i18n/i18n';
import type { Survey } from '../../server/surveys/survey-definition';
import { addUser, downloadBinary, logIn } from '../helpers/admin';
import type { Fields } from '../helpers/forms';
import { htmlProblems } from '../helpers/html';
import { respond } from '../helpers/respond';
import { validSectionFields } from '../helpers/survey-walker';
import { createTestApp, FIXTURE_SURVEYS, type TestApp } from '../helpers/test-app';

const SLUG = 'tum-soru-tipleri';
let t: TestApp;
let ids: number[];
let planner: TestAgent;

const survey = () => t.catalog.find(SLUG)!;
const allValidFields = (s: Survey): Fields => Object.assign({}, ...s.sections.map((_, i) => validSectionFields(s, i)));
const words = { t: createI18n().translators.tr, text: (value: { tr: string }) => value.tr };

function likert(results: QuestionResult[], id: string) {
  const result = results.find((r) => r.question.id === id);
  if (result?.kind !== 'likert') throw new Error(`no likert result for ${id}`);
  return result;
}

beforeAll(async () => {
  t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T10:00:00+03:00') });
  const base = allValidFields(survey());
  // hizmet_kalitesi shows "Bilgim yok" first: an answer there must not count as the first scale point.
  const answers = [
    { zabita: 'na', itfaiye: '4', vizyon: '4', planlama: '2' },
    { zabita: '2', itfaiye: 'na', vizyon: '3', planlama: '2' },
    { zabita: '4', itfaiye: '4', vizyon: '4', planlama: '1' },
  ];
  ids = [];
  for (const a of answers) {
    ids.push(
      await respond(t, survey(), {
        ...base,
        'hizmet_kalitesi.zabita': a.zabita,
        'hizmet_kalitesi.itfaiye': a.itfaiye,
        'kurum_yonu.vizyon': a.vizyon,
        'kurum_yonu.planlama': a.planlama,
      }),
    );
  }
  planner = await logIn(t, await addUser(t, 'planner'));
});
afterAll(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

describe('a matrix with "Bilgim yok" first', () => {
  it('counts "Bilgim yok" apart, never in n, the shares or the mean', async () => {
    const { results } = await surveyResults(t.db, survey(), { answers: [] });
    const [zabita, itfaiye] = likert(results, 'hizmet_kalitesi').rows;
    expect(zabita).toMatchObject({ id: 'zabita', n: 2, notApplicable: 1, mean: 3 });
    expect(zabita!.points.map((p) => [p.value, p.count])).toEqual([[1, 0], [2, 1], [3, 0], [4, 1]]);
    expect(zabita!.notApplicablePercent).toBeCloseTo(33.33, 1);
    expect(itfaiye).toMatchObject({ id: 'itfaiye', n: 2, notApplicable: 1, mean: 4, topTwoPercent: 100 });
  });
});

describe('a matrix with row groups', () => {
  it('keeps its results per row and marks where each heading goes in its table', async () => {
    const { results } = await surveyResults(t.db, survey(), { answers: [] });
    const result = likert(results, 'kurum_yonu');
    expect(result.rows.map((row) => [row.id, row.n, row.mean === null ? null : Math.round(row.mean * 100) / 100])).toEqual([
      ['vizyon', 3, 3.67],
      ['seffaflik', 3, 1],
      ['planlama', 3, 1.67],
      ['koordinasyon', 3, 1],
    ]);
    const table = resultTable(result, words, false);
    expect(table.groups).toEqual([{ title: 'KURUMSAL', start: 0 }, { title: 'YÖNETSEL', start: 2 }]);
    expect(rowsWithGroupHeadings(table).map((row) => row[0])).toEqual(['KURUMSAL', 'Vizyon ve hedefler', 'Şeffaflık', 'YÖNETSEL', 'Planlama', 'Birimler arası koordinasyon']);
    // A matrix without groups gets no headings.
    const plain = resultTable(likert(results, 'hizmet_kalitesi'), words, false);
    expect(plain.groups).toBeUndefined();
    expect(rowsWithGroupHeadings(plain)).toBe(plain.rows);
  });

  it('shows each heading as a row group before its rows on the results page, which stays valid HTML', async () => {
    const page = await planner.get(`/admin/surveys/${SLUG}/results?lang=tr`);
    expect(page.status).toBe(200);
    const html = page.text;
    const start = html.indexOf('<th scope="rowgroup" colspan="9">KURUMSAL</th>');
    const positions = [
      start,
      html.indexOf('>Vizyon ve hedefler</th>', start),
      html.indexOf('>Şeffaflık</th>', start),
      html.indexOf('</tbody>\n<tbody>\n<tr class="group"><th scope="rowgroup" colspan="9">YÖNETSEL</th></tr>', start),
      html.indexOf('>Planlama</th>', start),
      html.indexOf('>Birimler arası koordinasyon</th>', start),
    ];
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(await htmlProblems(html)).toEqual([]);
  });

  it('writes each heading as a row of its own in the results workbook, in the reader\'s language', async () => {
    const response = await downloadBinary(planner, `/admin/surveys/${SLUG}/export/results.xlsx?lang=en`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body as unknown as ArrayBuffer);
    const rows = workbook.getWorksheet('kurum_yonu')!.getSheetValues().filter(Boolean).map((row) => (row as unknown[]).slice(1));
    const first = rows.findIndex((row) => row[0] === 'INSTITUTIONAL');
    expect(first).toBeGreaterThan(0);
    expect(rows.slice(first).map((row) => row[0])).toEqual(['INSTITUTIONAL', 'Vision and goals', 'Transparency', 'MANAGEMENT', 'Planning', 'Coordination between units']);
    expect(rows[first]).toEqual(['INSTITUTIONAL']);
    expect(rows[first + 1]!.slice(0, 2)).toEqual(['Vision and goals', 3]);
  });

  it('shows its headings among the answers of a stored response in the back office', async () => {
    const page = await planner.get(`/admin/surveys/${SLUG}/responses/${ids[0]}?lang=tr`);
    expect(page.status).toBe(200);
    const html = page.text;
    const positions = [
      '<div class="rgroup"><strong>KURUMSAL</strong></div>',
      '<div>Vizyon ve hedefler: 4 – Tamamen katılıyorum</div>',
      '<div>Şeffaflık: 1 – Hiç katılmıyorum</div>',
      '<div class="rgroup"><strong>YÖNETSEL</strong></div>',
      '<div>Planlama: 2 – Katılmıyorum</div>',
    ].map((text) => html.indexOf(text));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(html).toContain('<div>Zabıta: Bilgim yok</div>');
    expect(await htmlProblems(html)).toEqual([]);
  });
});
