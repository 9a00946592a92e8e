// The results math on a small seeded dataset whose expected numbers were worked out by hand.
import ExcelJS from 'exceljs';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { crossTab, surveyResults } from '../../server/analysis/results.service';
import type { ResultFilter } from '../../server/analysis/results.repository';
import type { QuestionResult } from '../../server/analysis/survey-results';
import * as surveyAdminService from '../../server/surveys/survey-admin.service';
import { allQuestions } from '../../server/surveys/survey-definition';
import { addUser, downloadBinary, logIn } from '../helpers/admin';
import { readCsvAsExcel } from '../helpers/excel-csv';
import { answerSection } from '../helpers/forms';
import { htmlProblems } from '../helpers/html';
import { respond } from '../helpers/respond';
import { validSectionFields } from '../helpers/survey-walker';
import { createTestApp, FIXTURE_SURVEYS, type TestApp } from '../helpers/test-app';

let t: TestApp;
let ids: number[];

/**
 * Six counted responses (R1–R6), one excluded (R7) and one partial. R1–R3 come on 1 June,
 * R4–R7 on 10 June.
 */
async function seed() {
  const survey = t.catalog.find('tum-soru-tipleri')!;
  const likert = (temizlik: string, parklar: string, yollar: string) => ({
    'memnuniyet.temizlik': temizlik,
    'memnuniyet.parklar': parklar,
    'memnuniyet.yollar': yollar,
  });
  const rank = (first: string, second: string) => ({ 'oncelik.1': first, 'oncelik.2': second });
  t.clock.now = new Date('2026-06-01T10:00:00+03:00');
  const r1 = await respond(t, survey, {
    renk: 'kirmizi', ulasim: 'otobus', mahalle: 'merkez', evcil: 'hayir', ...likert('5', 'na', '4'), puan: '10', ...rank('yollar', 'temizlik'),
    yas: '30', tutar: '100', tarih: '2024-01-15', gorus: 'Parklar güzel', renk_nedeni: 'Sıcak',
  });
  const r2 = await respond(t, survey, {
    renk: 'mavi', ulasim: ['otobus', 'metro'], mahalle: 'merkez', evcil: 'evet', evcil_adi: 'Boncuk', ...likert('4', '3', '2'), puan: '9',
    ...rank('yollar', 'parklar'), yas: '40', tutar: '250,5', tarih: '2024-01-20', metro_yorum: 'Kalabalık',
  });
  const r3 = await respond(t, survey, {
    renk: 'mavi', ulasim: 'hicbiri', mahalle: 'cami', evcil: 'hayir', ...likert('2', 'na', '1'), puan: '6', ...rank('temizlik', 'yollar'),
    yas: '50', tarih: '2024-02-03',
  });
  t.clock.now = new Date('2026-06-10T10:00:00+03:00');
  const r4 = await respond(t, survey, {
    renk: 'other', 'renk.other': 'Yeşil', ulasim: 'bisiklet', mahalle: 'cami', evcil: 'evet', evcil_adi: 'Tekir', ...likert('3', '5', '5'), puan: '7',
    ...rank('parklar', 'temizlik'), yas: '25', tutar: '0', gorus: '=HYPERLINK("http://evil.example","tıkla")', renk_nedeni: 'Doğa', mavi_degil: 'Sıkıcı',
  });
  const r5 = await respond(t, survey, {
    renk: 'kirmizi', ulasim: 'metro', mahalle: 'istasyon', evcil: 'hayir', ...likert('5', '4', '3'), puan: '0', ...rank('yollar', 'temizlik'),
    yas: '60', tutar: '80', metro_yorum: 'İyi', renk_nedeni: 'Enerji',
  });
  const r6 = await respond(t, survey, {
    renk: 'mavi', ulasim: 'otobus', mahalle: 'merkez', evcil: 'hayir', ...likert('4', '4', 'na'), puan: '8', ...rank('temizlik', 'parklar'), yas: '35',
  });
  const r7 = await respond(t, survey, {
    renk: 'kirmizi', ulasim: 'otobus', mahalle: 'merkez', evcil: 'hayir', ...likert('1', '1', '1'), puan: '0', ...rank('parklar', 'yollar'),
    yas: '99', renk_nedeni: 'Deneme',
  });
  await surveyAdminService.setExcluded(t.db, survey.slug, r7, { reason: 'test', note: null }, { userId: null, email: 'test', ip: null }, t.clock.now);
  await answerSection(request.agent(t.app), '/anket/tum-soru-tipleri/1', validSectionFields(survey, 0));
  ids = [r1, r2, r3, r4, r5, r6, r7];
}

beforeAll(async () => {
  t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T10:00:00+03:00') });
  await seed();
});
afterAll(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const survey = () => t.catalog.find('tum-soru-tipleri')!;
const NO_FILTER: ResultFilter = { answers: [] };
const find = <K extends QuestionResult['kind']>(results: QuestionResult[], id: string, kind: K) => {
  const result = results.find((r) => r.question.id === id);
  if (!result || result.kind !== kind) throw new Error(`no ${kind} result for ${id}`);
  return result as Extract<QuestionResult, { kind: K }>;
};
const shares = (options: { id: string; count: number; percent: number }[]) => options.map((o) => [o.id, o.count, Math.round(o.percent * 10) / 10]);

describe('surveyResults over the seeded responses', () => {
  let results: QuestionResult[];
  let n: number;
  beforeAll(async () => {
    ({ n, results } = await surveyResults(t.db, survey(), NO_FILTER));
  });

  it('counts complete, not excluded responses only', () => {
    expect(n).toBe(6);
  });

  it('single choice: n, count and % per option, "other" included', () => {
    const renk = find(results, 'renk', 'choice');
    expect(renk.n).toBe(6);
    expect(shares(renk.options)).toEqual([
      ['kirmizi', 2, 33.3],
      ['mavi', 3, 50],
      ['other', 1, 16.7],
    ]);
    expect(shares(find(results, 'mahalle', 'choice').options)).toEqual([
      ['merkez', 3, 50],
      ['cami', 2, 33.3],
      ['istasyon', 1, 16.7],
    ]);
  });

  it('multiple choice: count per option and % of respondents, never combinations', () => {
    const ulasim = find(results, 'ulasim', 'choice');
    expect(ulasim.n).toBe(6);
    expect(shares(ulasim.options)).toEqual([
      ['otobus', 3, 50],
      ['metro', 2, 33.3],
      ['bisiklet', 1, 16.7],
      ['hicbiri', 1, 16.7],
      ['other', 0, 0],
    ]);
  });

  it('likert: distribution per row, "Bilgim yok" apart and out of n and the mean, top-two share', () => {
    const [temizlik, parklar, yollar] = find(results, 'memnuniyet', 'likert').rows;
    expect(temizlik).toMatchObject({ id: 'temizlik', n: 6, notApplicable: 0, notApplicablePercent: 0 });
    expect(temizlik!.points.map((p) => p.count)).toEqual([0, 1, 1, 2, 2]);
    expect(temizlik!.mean).toBeCloseTo(23 / 6, 10);
    expect(temizlik!.topTwoPercent).toBeCloseTo(400 / 6, 10);
    expect(parklar).toMatchObject({ id: 'parklar', n: 4, notApplicable: 2, mean: 4, topTwoPercent: 75 });
    expect(parklar!.notApplicablePercent).toBeCloseTo(100 / 3, 10);
    expect(parklar!.points.map((p) => p.percent)).toEqual([0, 0, 25, 50, 25]);
    expect(yollar).toMatchObject({ id: 'yollar', n: 5, notApplicable: 1, mean: 3, topTwoPercent: 40 });
    expect(yollar!.points.map((p) => p.percent)).toEqual([20, 20, 20, 20, 20]);
  });

  it('rating 0–10: mean, median, distribution and NPS', () => {
    const puan = find(results, 'puan', 'rating');
    expect(puan.n).toBe(6);
    expect(puan.mean).toBeCloseTo(40 / 6, 10);
    expect(puan.median).toBe(7.5);
    expect(puan.points.filter((p) => p.count > 0).map((p) => [p.value, p.count])).toEqual([
      [0, 1],
      [6, 1],
      [7, 1],
      [8, 1],
      [9, 1],
      [10, 1],
    ]);
    expect(puan.nps).toBeCloseTo(0, 10);
  });

  it('ranking: times chosen, first choices, weighted score (2-1) and rank, ties broken by first choices', () => {
    const oncelik = find(results, 'oncelik', 'ranking');
    expect(oncelik.items.map((i) => [i.id, i.chosen, Math.round(i.chosenPercent * 10) / 10, i.first, i.score, i.rank])).toEqual([
      ['temizlik', 5, 83.3, 2, 7, 2],
      ['parklar', 3, 50, 1, 4, 3],
      ['yollar', 4, 66.7, 3, 7, 1],
    ]);
  });

  it('number: n, mean, median, min, max', () => {
    expect(find(results, 'yas', 'number')).toMatchObject({ n: 6, mean: 40, median: 37.5, min: 25, max: 60 });
    expect(find(results, 'tutar', 'number')).toMatchObject({ n: 4, mean: 107.625, median: 90, min: 0, max: 250.5 });
  });

  it('date: range and a histogram by month', () => {
    expect(find(results, 'tarih', 'date')).toMatchObject({
      n: 3,
      min: '2024-01-15',
      max: '2024-02-03',
      months: [
        { month: '2024-01', count: 2 },
        { month: '2024-02', count: 1 },
      ],
    });
  });

  it('text: how many answered', () => {
    expect(find(results, 'gorus', 'text').n).toBe(2);
    expect(find(results, 'metro_yorum', 'text').n).toBe(2);
  });
});

describe('filters', () => {
  it('by a profile answer, a date range and a channel', async () => {
    const merkez = await surveyResults(t.db, survey(), { answers: [{ questionId: 'mahalle', optionId: 'merkez' }] });
    expect(merkez.n).toBe(3);
    expect(shares(find(merkez.results, 'renk', 'choice').options)).toEqual([
      ['kirmizi', 1, 33.3],
      ['mavi', 2, 66.7],
      ['other', 0, 0],
    ]);
    const late = await surveyResults(t.db, survey(), { from: '2026-06-05T00:00:00.000Z', answers: [] });
    expect(late.n).toBe(3);
    expect(find(late.results, 'yas', 'number')).toMatchObject({ n: 3, mean: 40, min: 25, max: 60 });
    const early = await surveyResults(t.db, survey(), { to: '2026-06-05T00:00:00.000Z', answers: [] });
    expect(early.n).toBe(3);
    expect((await surveyResults(t.db, survey(), { channel: 'paper', answers: [] })).n).toBe(0);
  });

  it('drop excluded responses, and count them again once restored', async () => {
    const actor = { userId: null, email: 'test', ip: null };
    await surveyAdminService.setExcluded(t.db, 'tum-soru-tipleri', ids[6]!, null, actor, t.clock.now);
    const withR7 = await surveyResults(t.db, survey(), NO_FILTER);
    expect(withR7.n).toBe(7);
    expect(find(withR7.results, 'yas', 'number').max).toBe(99);
    await surveyAdminService.setExcluded(t.db, 'tum-soru-tipleri', ids[6]!, { reason: 'test', note: null }, actor, t.clock.now);
    expect((await surveyResults(t.db, survey(), NO_FILTER)).n).toBe(6);
  });
});

describe('cross-tab', () => {
  it('counts a likert row by mahalle, with row n without "Bilgim yok" and the mean per group', async () => {
    const tab = (await crossTab(t.db, survey(), NO_FILTER, 'mahalle', 'memnuniyet.parklar'))!;
    const row = (group: string) => tab.rows.find((r) => r.group === group)!;
    // parklar: R1 merkez na, R2 merkez 3, R6 merkez 4; R3 cami na, R4 cami 5; R5 istasyon 4.
    expect(row('merkez')).toMatchObject({ n: 2, notApplicable: 1, mean: 3.5 });
    expect(row('merkez').cells.filter((c) => c.count > 0)).toEqual([
      { key: '3', count: 1, percent: 50 },
      { key: '4', count: 1, percent: 50 },
    ]);
    expect(row('cami')).toMatchObject({ n: 1, notApplicable: 1, mean: 5 });
    expect(row('istasyon')).toMatchObject({ n: 1, notApplicable: 0, mean: 4 });
    expect(row('total')).toMatchObject({ n: 4, notApplicable: 2, mean: 4 });
  });

  it('counts a multiple choice by another question, a respondent in every category they chose', async () => {
    const tab = (await crossTab(t.db, survey(), NO_FILTER, 'renk', 'ulasim'))!;
    const mavi = tab.rows.find((r) => r.group === 'mavi')!;
    expect(mavi.n).toBe(3);
    expect(mavi.cells.map((c) => [c.key, c.count])).toEqual([
      ['otobus', 2],
      ['metro', 1],
      ['bisiklet', 0],
      ['hicbiri', 1],
      ['other', 0],
    ]);
  });

  it('breaks numbers down by mean and median, and texts by how many answered', async () => {
    const yas = (await crossTab(t.db, survey(), NO_FILTER, 'mahalle', 'yas'))!;
    const group = (id: string) => yas.rows.find((r) => r.group === id)!;
    expect(group('merkez')).toMatchObject({ n: 3, mean: 35, median: 35 });
    expect(group('cami')).toMatchObject({ n: 2, mean: 37.5, median: 37.5 });
    expect(group('total')).toMatchObject({ n: 6, mean: 40, median: 37.5 });
    const gorus = (await crossTab(t.db, survey(), NO_FILTER, 'mahalle', 'gorus'))!;
    expect(gorus.rows.map((r) => [r.group, r.n])).toEqual([
      ['merkez', 1],
      ['cami', 1],
      ['istasyon', 0],
      ['total', 2],
    ]);
  });

  it('refuses what cannot be broken down', async () => {
    expect(await crossTab(t.db, survey(), NO_FILTER, 'ulasim', 'renk')).toBeUndefined();
    expect(await crossTab(t.db, survey(), NO_FILTER, 'mahalle', 'mahalle')).toBeUndefined();
    expect(await crossTab(t.db, survey(), NO_FILTER, 'mahalle', 'memnuniyet.yok')).toBeUndefined();
    expect(await crossTab(t.db, survey(), NO_FILTER, 'mahalle', 'yas.x')).toBeUndefined();
  });
});

describe('the results page', () => {
  let viewer: TestAgent;
  beforeAll(async () => {
    viewer = await logIn(t, await addUser(t, 'viewer'));
  });

  it('shows every question with formatted numbers, tables for charts, and is valid HTML', async () => {
    const page = await viewer.get('/admin/surveys/tum-soru-tipleri/results');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Bu süzgeçle 6 tamamlanmış yanıt');
    expect(page.text).toMatch(/<th scope="row">Temizlik<\/th><td class="num" data-value="6">6<\/td>/);
    expect(page.text).toContain('data-value="3.83">3,83</td>');
    expect(page.text).toContain('data-value="66.7">66,7</td>');
    expect(page.text).toContain('<table data-chart="stacked">');
    // NPS is a difference of percentages and is written like one.
    expect(page.text).toContain('<dt>Net tavsiye skoru (NPS)</dt><dd>0,0</dd>');
    expect(page.text).toContain('<li>Yeşil</li>');
    // The question's own "?" does not meet the caption's ":".
    expect(page.text).toContain('<caption>Evcil hayvanınız var mı: yanıt dağılımı</caption>');
    expect(page.text).not.toContain('?:');
    expect(page.text).toMatch(/<script src="\/static\/vendor\/chart\.umd\.[0-9a-f]{10}\.js" defer>/);
    expect(page.text).not.toContain('Ham yanıtları indir');
    expect(await htmlProblems(page.text)).toEqual([]);
  });

  it('shows nothing but a notice for a breakdown of fewer than five responses', async () => {
    for (const query of ['by.mahalle=merkez', 'from=2026-06-05', 'to=2026-06-01']) {
      const page = await viewer.get(`/admin/surveys/tum-soru-tipleri/results?${query}`);
      expect(page.text).toContain('Bu süzgeçle 5&#39;ten az tamamlanmış yanıt var');
      expect(page.text).not.toContain('<table');
      expect(page.text).not.toContain('Sıcak');
    }
  });

  it('hides small counts in any filtered view, and in cross-tabs with their totals', async () => {
    const filtered = await viewer.get('/admin/surveys/tum-soru-tipleri/results?channel=online');
    expect(filtered.text).toContain('Bu süzgeçle 6 tamamlanmış yanıt');
    expect(filtered.text).toContain('5&#39;ten az yanıta dayanan hücreler “&lt;5” olarak gösterilir');
    expect(filtered.text).toMatch(/<th scope="row">Mavi<\/th><td class="num">&lt;5<\/td><td class="num">–<\/td>/);
    expect(filtered.text).not.toContain('<li>Yeşil</li>');
    expect(filtered.text).toContain('<dt>En küçük</dt><dd>–</dd>');
    const cross = await viewer.get('/admin/surveys/tum-soru-tipleri/results?cross_by=mahalle&cross_q=memnuniyet.parklar');
    expect(cross.text).toContain('Mahalleniz × Hizmetlerden memnuniyetiniz – Parklar');
    const crossSection = /id="cross-heading"[\s\S]*?<\/section>/.exec(cross.text)![0];
    expect(crossSection).toMatch(/<th scope="row">Merkez<\/th><td class="num">&lt;5<\/td>/);
    // Every group here rests on fewer than five: no group row prints a count of 1–4. (The total
    // row is the whole survey, as on the unfiltered page.)
    const groupRows = crossSection.split('<tr>').filter((row) => /scope="row">(Merkez|Cami|İstasyon)</.test(row));
    expect(groupRows).toHaveLength(3);
    for (const row of groupRows) expect(row).not.toMatch(/data-value="[1-4]">[1-4]<\/td>/);
    expect(await htmlProblems(cross.text)).toEqual([]);
    // One format per kind of figure: the total row's counts whole, shares with one decimal, the mean with two (4 → "4,00", not "4").
    const totalRow = crossSection.split('<tr>').find((row) => row.includes('scope="row">Toplam<'))!;
    expect(totalRow).toContain('<td class="num" data-value="4">4</td>');
    expect(totalRow).toContain('<td class="num" data-value="50">50,0</td>');
    expect(totalRow).toMatch(/<td class="num" data-value="4">4,00<\/td><\/tr>/);
    const english = await viewer.get('/admin/surveys/tum-soru-tipleri/results?cross_by=mahalle&cross_q=memnuniyet.parklar&lang=en');
    expect(english.text).toMatch(/data-value="4">4\.00<\/td><\/tr>/);
    await viewer.get('/admin/surveys/tum-soru-tipleri/results?lang=tr');
    // Unfiltered, the whole survey's own table is not a breakdown: its small counts show.
    const whole = await viewer.get('/admin/surveys/tum-soru-tipleri/results');
    expect(whole.text).toMatch(/<th scope="row">Mavi<\/th><td class="num" data-value="3">3<\/td>/);
    expect(whole.text).toContain('<li>Yeşil</li>');
  });

  it('lists open answers with a Turkish-aware search', async () => {
    const all = await viewer.get('/admin/surveys/tum-soru-tipleri/results/texts/gorus');
    expect(all.text).toContain('2 yanıt');
    const found = await viewer.get('/admin/surveys/tum-soru-tipleri/results/texts/gorus?q=PARKLAR%20G%C3%9CZEL');
    expect(found.text).toContain('1 yanıt');
    expect(found.text).toContain('<li>Parklar güzel</li>');
    const dotless = await viewer.get('/admin/surveys/tum-soru-tipleri/results/texts/gorus?q=TIKLA');
    expect(dotless.text).toContain('=HYPERLINK(&#34;http://evil.example&#34;,&#34;tıkla&#34;)');
    expect((await viewer.get('/admin/surveys/tum-soru-tipleri/results/texts/renk')).status).toBe(404);
    expect(await htmlProblems(found.text)).toEqual([]);
  });
});

describe('exports', () => {
  let planner: TestAgent;
  beforeAll(async () => {
    planner = await logIn(t, await addUser(t, 'planner'));
  });
  it('CSV: BOM, one header row of labels, one row per counted response, ISO dates, codes, neutralised formulas', async () => {
    const response = await downloadBinary(planner, '/admin/surveys/tum-soru-tipleri/export/responses.csv');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toMatch(/^attachment; filename="?tum-soru-tipleri-yanitlar-\d{4}-\d{2}-\d{2}\.csv"?$/);
    const body = response.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // Read as Turkish Excel reads it: fields split at semicolons, every row as wide as the header.
    const rows = readCsvAsExcel(body, 'tr');
    const [labels, ...data] = rows;
    expect(labels!.slice(0, 8)).toEqual([
      'Yanıt no', 'Gönderilme zamanı (ISO 8601, UTC)', 'Kanal', 'Dil', 'En sevdiğiniz renk', 'En sevdiğiniz renk – Diğer (açıklama)',
      'Ulaşım araçlarınız – Otobüs', 'Ulaşım araçlarınız – Metro',
    ]);
    expect(new Set(labels).size).toBe(labels!.length);
    expect(data.map((row) => Number(row[0]))).toEqual(ids.slice(0, 6));

    // The codebook, a CSV of its own, gives each column's id, in the same order.
    const codebook = await downloadBinary(planner, '/admin/surveys/tum-soru-tipleri/export/codebook.csv');
    expect(codebook.status).toBe(200);
    expect(codebook.headers['content-disposition']).toMatch(/^attachment; filename="?tum-soru-tipleri-kod-kitabi-\d{4}-\d{2}-\d{2}\.csv"?$/);
    const [codebookHeader, ...entries] = readCsvAsExcel(codebook.body as Buffer, 'tr');
    expect(codebookHeader).toEqual(['Sütun', 'Soru no', 'Açıklama', 'Soru tipi', 'Kodlar']);
    expect(entries.map((entry) => entry[2])).toEqual(labels);
    const columnIds = entries.map((entry) => entry[0]!);
    expect(columnIds.slice(0, 6)).toEqual(['response_id', 'submitted_at', 'channel', 'language', 'renk', 'renk.other_text']);
    expect(columnIds).toEqual(expect.arrayContaining(['ulasim.other', 'ulasim.other_text']));

    const column = (name: string) => columnIds.indexOf(name);
    const r4 = data[3]!;
    expect(r4[column('submitted_at')]).toBe('2026-06-10T07:00:00.000Z');
    expect(r4[column('renk')]).toBe('other');
    expect(r4[column('renk.other_text')]).toBe('Yeşil');
    expect(r4[column('ulasim.bisiklet')]).toBe('1');
    expect(r4[column('ulasim.otobus')]).toBe('0');
    expect(r4[column('ulasim.other')]).toBe('0');
    expect(r4[column('memnuniyet.parklar')]).toBe('5');
    expect(r4[column('oncelik.parklar')]).toBe('1');
    expect(r4[column('oncelik.yollar')]).toBe('');
    expect(r4[column('gorus')]).toBe('\'=HYPERLINK("http://evil.example","tıkla")');
    expect(data[0]![column('memnuniyet.parklar')]).toBe('na');
    // A number with a decimal comma, which Turkish Excel takes as the number 250.5.
    expect(data[1]![column('tutar')]).toBe('250,5');
    expect(data[5]![column('tarih')]).toBe('');
    const audit = await t.db.selectFrom('audit_events').select(['action', 'target']).where('action', '=', 'export.downloaded').execute();
    expect(audit).toContainEqual({ action: 'export.downloaded', target: 'tum-soru-tipleri' });
    const page = await planner.get('/admin/surveys/tum-soru-tipleri/results?by.mahalle=cami');
    expect(page.text).toContain('href="/admin/surveys/tum-soru-tipleri/export/codebook.csv">Ham yanıtların kod kitabını indir (CSV)</a>');
  });

  it('CSV for an English reader (?lang=en): fields split at commas, numbers with a decimal point', async () => {
    const english = await logIn(t, await addUser(t, 'planner'));
    const response = await downloadBinary(english, '/admin/surveys/tum-soru-tipleri/export/responses.csv?lang=en');
    expect(response.status).toBe(200);
    const [labels, ...data] = readCsvAsExcel(response.body as Buffer, 'en');
    expect(labels!.slice(0, 4)).toEqual(['Response no.', 'Submitted (ISO 8601, UTC)', 'Channel', 'Language']);
    const codebook = await downloadBinary(english, '/admin/surveys/tum-soru-tipleri/export/codebook.csv');
    const columnIds = readCsvAsExcel(codebook.body as Buffer, 'en').slice(1).map((entry) => entry[0]!);
    expect(columnIds).toHaveLength(labels!.length);
    expect(data.map((row) => Number(row[0]))).toEqual(ids.slice(0, 6));
    expect(data[1]![columnIds.indexOf('tutar')]).toBe('250.5');
    expect(data[3]![columnIds.indexOf('gorus')]).toBe('\'=HYPERLINK("http://evil.example","tıkla")');
  });

  it('XLSX: the responses sheet matches the CSV, texts as typed, and a codebook describes every column', async () => {
    const response = await downloadBinary(planner, '/admin/surveys/tum-soru-tipleri/export/responses.xlsx?by.mahalle=cami');
    expect(response.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body as unknown as ArrayBuffer);
    const [responses, codebook] = workbook.worksheets;
    expect(responses!.name).toBe('Yanıtlar');
    expect(codebook!.name).toBe('Kod kitabı');
    const header = responses!.getRow(1).values as unknown[];
    expect(header).not.toContain('response_id');
    const idColumn = header.indexOf('Yanıt no');
    expect(responses!.rowCount).toBe(3);
    expect([responses!.getRow(2).getCell(idColumn).value, responses!.getRow(3).getCell(idColumn).value]).toEqual([ids[2], ids[3]]);
    // A typed text cell: shown as written, never run (no apostrophe needed, none added).
    const gorus = header.indexOf('Görüşünüz');
    expect(responses!.getRow(3).getCell(gorus).value).toBe('=HYPERLINK("http://evil.example","tıkla")');
    expect(responses!.getRow(3).getCell(gorus).type).toBe(ExcelJS.ValueType.String);
    const codes = codebook!.getColumn(1).values as unknown[];
    expect(codes).toEqual(expect.arrayContaining(['memnuniyet.parklar', 'oncelik.temizlik', 'renk.other_text', 'ulasim.other', 'ulasim.other_text']));
    const likertRow = codebook!.getRows(1, codebook!.rowCount)!.find((row) => row.getCell(1).value === 'memnuniyet.parklar')!;
    expect(likertRow.getCell(5).value).toBe('1 = Çok kötü; 2 = Kötü; 3 = Orta; 4 = İyi; 5 = Çok iyi; na = Bilgim yok');
  });

  it('results XLSX: one sheet per question with the same numbers as the page', async () => {
    const response = await downloadBinary(planner, '/admin/surveys/tum-soru-tipleri/export/results.xlsx?lang=en');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.body as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Summary', ...allQuestions(t.catalog.find('tum-soru-tipleri')!).map((q) => q.id)]);
    const memnuniyet = workbook.getWorksheet('memnuniyet')!;
    const rows = memnuniyet.getSheetValues().filter(Boolean).map((row) => (row as unknown[]).slice(1));
    expect(rows).toContainEqual(['Cleaning', 6, 0, 16.7, 16.7, 33.3, 33.3, 0, 3.83, 66.7]);
    expect(rows).toContainEqual(['Parklar', 4, 0, 0, 25, 50, 25, 33.3, 4, 75]);
    const oncelik = workbook.getWorksheet('oncelik')!.getSheetValues().filter(Boolean).map((row) => (row as unknown[]).slice(1));
    expect(oncelik).toContainEqual(['Roads', 4, 66.7, 3, 7, 1]);
    // The cells carry the page's digits: counts whole, percentages one decimal, means two.
    const cleaning = memnuniyet.getRows(1, memnuniyet.rowCount)!.find((row) => row.getCell(1).value === 'Cleaning')!;
    expect([cleaning.getCell(2).numFmt, cleaning.getCell(3).numFmt, cleaning.getCell(9).numFmt]).toEqual(['#,##0', '0.0', '0.00']);
  });

  it('is for planners: a viewer gets 403', async () => {
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    expect((await viewer.get('/admin/surveys/tum-soru-tipleri/export/responses.csv')).status).toBe(403);
  });
});
