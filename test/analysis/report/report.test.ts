// The stakeholder analysis report over a small consultation counted by hand (test/helpers/report.ts):
// every table's cells, then the same numbers in the page, the DOCX, the XLSX and the PNG figures.
import { Image } from '@napi-rs/canvas';
import { DOMParser } from '@xmldom/xmldom';
import JSZip from 'jszip';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { figuresOf, tablesOf, type Report, type TableId } from '../../../server/analysis/report/report-model';
import * as reportSettings from '../../../server/analysis/report/report-settings';
import { createI18n } from '../../../server/platform/i18n/i18n';
import { responseRepository } from '../../../server/surveys';
import { addUser, csrfFrom, downloadBinary, downloadWorkbook, logIn } from '../../helpers/admin';
import { excelValue, readCsvAsExcel, type Regional } from '../../helpers/excel-csv';
import { htmlProblems } from '../../helpers/html';
import { builtReport, REPORT_DAY, REPORT_SURVEYS, type Seeded, seedReport } from '../../helpers/report';
import { createTestApp, type TestApp } from '../../helpers/test-app';

const i18n = createI18n();
let t: TestApp;
let seeded: Seeded;
let planner: TestAgent;

beforeAll(async () => {
  t = await createTestApp({ surveysDir: REPORT_SURVEYS });
  seeded = await seedReport(t);
  t.clock.now = REPORT_DAY;
  planner = await logIn(t, await addUser(t, 'planner'));
}, 60_000);
afterAll(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

async function build(changes: Partial<reportSettings.ReportSettings> = {}): Promise<Report> {
  return builtReport(t, changes);
}
const tableOf = (report: Report, id: TableId) => tablesOf(report).find((table) => table.id === id)!;
const rows = (report: Report, id: TableId) => tableOf(report, id).rows.map((row) => row.cells);

describe('the report built from the data', () => {
  let report: Report;
  beforeAll(async () => {
    report = await build();
  });

  it('numbers the tables and figures in order, with Turkish captions', () => {
    expect(tablesOf(report).map((table) => `${table.id}=${table.number}`)).toEqual([
      'T1=1', 'T2=2', 'T3=3', 'T4=4', 'T5=5', 'T6=6', 'T7=7', 'T8=8', 'T9=9', 'T10=10', 'T11=11', 'T12=12', 'T13=13', 'T14=14', 'T14b=15', 'T14c=16', 'T15=17', 'T15b=18', 'T16=19', 'T17=20',
    ]);
    expect(figuresOf(report).map((figure) => `${figure.id}=${figure.number}`)).toEqual(['F1=1', 'F2=2', 'F3=3']);
    expect(report.labels).toEqual({ table: 'Tablo', figure: 'Grafik' });
    expect(report.subtitle).toBe('Deneme Belediyesi 2025-2029 Stratejik Planı');
  });

  it('writes the introduction from the numbers', () => {
    const intro = report.sections[0]!.paragraphs;
    expect(intro[0]).toContain("5393 sayılı Belediye Kanunu'nun 41. maddesi");
    expect(intro).toContain('Görüş alma çalışmaları 10.11.2026 ile 06.12.2026 tarihleri arasında yürütülmüştür.');
    expect(intro).toContain('Rapor Deneme Anketi kapsamında 14 geçerli yanıt alınmıştır (Çevrim içi: 10, Kâğıt anket: 2, Yüz yüze anket: 2).');
    expect(intro).toContain('Kurumsal görüş formu 3 kuruma gönderilmiş, 2 kurum yanıt vermiştir (yanıt oranı %66,7).');
    expect(intro).toContain(
      '2 mahalle buluşması düzenlenmiştir. Buluşmalara toplam 2 kişi katılmıştır (girişte işaretlenenler, kapıda kaydolanlar dahil). Buluşmalarda 5 talep ve görüş kayda geçirilmiştir. Sayım (kafa sayısı) yapılan 2 buluşmada salonda toplam 37 kişi sayılmıştır.',
    );
    expect(intro).toContain('Bunlara ek olarak 2 odak grup, çalıştay veya görüşme yapılmış, bu çalışmalara 43 kişi katılmıştır.');
  });

  it('T1–T3 and F1 come from the register, archived entries left out', () => {
    expect(rows(report, 'T1')).toEqual([
      [1, 'Fen İşleri Müdürlüğü', 'Kamu kurumu', 'İç paydaş', '', 'Yollar', ''],
      [2, 'Deneme Üniversitesi', 'Üniversite', 'Dış paydaş', 'Stratejik ortak', 'Temizlik; Parklar', 'Bilimsel danışmanlık'],
      [3, 'Mimarlar Odası', 'Meslek odası', 'Dış paydaş', '', 'Yollar', ''],
      [4, 'Çevre Derneği', 'STK', 'Dış paydaş', 'Hizmet alan', 'Parklar', ''],
      [5, 'Merkez Muhtarlığı', 'Muhtarlık', 'Dış paydaş', '', 'Temizlik; Yollar', ''],
    ]);
    expect(rows(report, 'T2')).toEqual([
      [1, 'Fen İşleri Müdürlüğü', 'İç paydaş', 5, 5, 25, 'Birlikte çalış'],
      [2, 'Deneme Üniversitesi', 'Dış paydaş', 5, 4, 20, 'Birlikte çalış'],
      [3, 'Çevre Derneği', 'Dış paydaş', 2, 4, 8, 'Bilgilendir'],
      [4, 'Mimarlar Odası', 'Dış paydaş', 4, 2, 8, 'Çıkarlarını gözet'],
      [5, 'Merkez Muhtarlığı', 'Dış paydaş', 2, 1, 2, 'İzle'],
    ]);
    // The areas are numbered columns named by the legend, so sixteen of them fit a page without breaking a word.
    expect(tableOf(report, 'T3').columns.map((c) => c.label)).toEqual(['Paydaş', '1', '2', '3']);
    expect(tableOf(report, 'T3').notes).toEqual(['Sütun numaraları faaliyet alanlarıdır: 1 = Temizlik; 2 = Parklar; 3 = Yollar.']);
    expect(rows(report, 'T3')).toEqual([
      ['Fen İşleri Müdürlüğü', '', '', 'X'],
      ['Deneme Üniversitesi', 'X', 'X', ''],
      ['Mimarlar Odası', '', '', 'X'],
      ['Çevre Derneği', '', 'X', ''],
      ['Merkez Muhtarlığı', 'X', '', 'X'],
    ]);
    const f1 = figuresOf(report).find((f) => f.id === 'F1')!.data;
    expect(f1).toMatchObject({ type: 'matrix', threshold: 3, quadrants: ['İzle', 'Çıkarlarını gözet', 'Bilgilendir', 'Birlikte çalış'] });
    expect(f1 && f1.type === 'matrix' && f1.points).toContainEqual({ label: 'Mimarlar Odası', tag: '4', x: 2, y: 4 });
  });

  it('T4 lists every consultation activity, the hand-recorded ones included', () => {
    expect(rows(report, 'T4')).toEqual([
      ['Çevrim içi anket', 'Rapor Deneme Anketi (Vatandaş)', '21.11.2026', 10, '2/3 mahalle'],
      ['Kâğıt anket', 'Rapor Deneme Anketi (Vatandaş)', '21.11.2026', 2, '2/3 mahalle'],
      ['Yüz yüze anket', 'Rapor Deneme Anketi (Vatandaş)', '21.11.2026', 2, '2/3 mahalle'],
      ['Kurumsal görüş formu', "Üniversiteler, meslek odaları, STK'lar ve kamu kurumları", '21.11.2026', '2/3', ''],
      ['Mahalle buluşması (2 buluşma)', 'Mahalle sakinleri', '05.12.2026 – 06.12.2026', 2, 'Cami, İstasyon, Merkez'],
      ['Çalıştay: Gençlik Çalıştayı', 'Gençler', '10.11.2026', 40, 'Merkez'],
      ['Yüz yüze görüşme (mülakat): Muhtar görüşmeleri', 'Muhtarlar', '12.11.2026 – 14.11.2026', 3, 'Cami, İstasyon'],
    ]);
  });

  it('T5 counts complete and partial responses per survey; the excluded one is only in the note', () => {
    expect(rows(report, 'T5')).toEqual([
      ['Rapor Deneme Anketi', 'Vatandaş', 'Çevrim içi, Kâğıt anket, Yüz yüze anket: 21.11.2026', 'Çevrim içi, Kâğıt anket, Yüz yüze anket', 7, 14, 1, 'Gönüllü katılım (olasılığa dayalı olmayan)', 'Uygulanmaz'],
      ['Rapor Deneme Kurum Formu', 'Kurum', 'Çevrim içi: 21.11.2026', 'Çevrim içi', 5, 2, 0, 'Tam sayım (tüm davetliler)', 'Uygulanmaz'],
    ]);
    expect(tableOf(report, 'T5').notes[0]).toContain('1 yanıt sayılara katılmamıştır');
  });

  it('T6–T9 profile the respondents, hiding small counts and what would give them away', () => {
    // 7 women, 5 men, 2 who did not say: the 2 is small, and the 5 would reveal it from the total.
    expect(rows(report, 'T6')).toEqual([
      ['Kadın', 7, 50],
      ['Erkek', null, null],
      ['Belirtmek istemiyorum', '<5', null],
    ]);
    expect(tableOf(report, 'T6').total).toEqual(['Toplam', 14, 100]);
    expect(rows(report, 'T7')).toEqual([
      ['18-34', 6, 42.9],
      ['35-54', 8, 57.1],
      ['55 ve üzeri', 0, 0],
    ]);
    // The survey asks nothing about education: the table says so instead of disappearing.
    expect(rows(report, 'T8')).toEqual([]);
    expect(tableOf(report, 'T8').empty).toBe('Ankette bu bölümü besleyen bir soru yok (rol: profile.education).');
    expect(rows(report, 'T9')).toEqual([
      ['Merkez', 8, 57.1, 57.1, 1],
      ['Cami', 6, 42.9, 28.6, 1.5],
      ['İstasyon', 0, 0, 14.3, 0],
    ]);
    expect(tableOf(report, 'T9').total).toEqual(['Toplam', 14, 100, 100, 1]);
  });

  it('T10 and F2: satisfaction without "Bilgim yok", a row of three answers suppressed', () => {
    expect(tableOf(report, 'T10').columns.map((c) => c.label)).toEqual([
      'Hizmet alanı', 'n ("Bilgim yok" hariç)', '1 Hiç memnun değilim (%)', '2 Memnun değilim (%)', '3 Kararsızım (%)', '4 Memnunum (%)', '5 Çok memnunum (%)',
      'Bilgim yok (%)', 'Ortalama (1–5)', 'Memnuniyet oranı (%)', 'Sıra',
    ]);
    expect(rows(report, 'T10')).toEqual([
      // Temizlik: 1, 1, 2, 5 and 3 answers and 2 "Bilgim yok": only the 5 may show as a share. Parklar:
      // the 2 undecided are hidden, and so is the 5 beside them, or 100 − the rest would give them away.
      // Both rates are hidden, so neither area is ranked: the ranking follows the rate.
      ['Temizlik', 12, null, null, null, 41.7, null, null, 3.67, null, null],
      ['Parklar', 14, 0, 0, null, 50, null, 0, 4.21, null, null],
      ['Yollar', '<5', null, null, null, null, null, null, null, null, null],
    ]);
    const f2 = figuresOf(report).find((f) => f.id === 'F2')!.data;
    expect(f2).toEqual({
      type: 'diverging',
      categories: ['Temizlik', 'Parklar'],
      series: [
        { label: 'Hiç memnun değilim', values: [null, 0] },
        { label: 'Memnun değilim', values: [null, 0] },
        { label: 'Kararsızım', values: [null, null] },
        { label: 'Memnunum', values: [41.7, 50] },
        { label: 'Çok memnunum', values: [null, null] },
      ],
      axis: 'Yanıtların yüzdesi',
      locale: 'tr-TR',
    });
  });

  it('T11 and F3: priorities with the 2-1 weighted score', () => {
    expect(rows(report, 'T11')).toEqual([
      // A weighted score with 2-1 points is first choices plus times chosen: 12 − 8 would reveal
      // Yollar's 4 first choices, so the score and the rank go with them, in the figure too.
      ['Temizlik', 12, 85.7, 8, 20, 1],
      ['Yollar', 8, 57.1, '<5', null, null],
      ['Parklar', 8, 57.1, '<5', null, null],
    ]);
    expect(figuresOf(report).find((f) => f.id === 'F3')!.data).toEqual({ type: 'bars', categories: ['Temizlik'], values: [20], axis: 'Ağırlıklı puan (2-1)', locale: 'tr-TR' });
  });

  it('T12: the image, one adjective suppressed', () => {
    expect(rows(report, 'T12')).toEqual([
      // 4 of the 14 gave 5 points: below the threshold, so the positive share (4 + 5) is hidden.
      ['Güvenilir', 14, 3.64, null],
      ['Şeffaf', '<5', null, null],
    ]);
  });

  it('T13: coded themes with their masked quote, small counts hidden', () => {
    expect(rows(report, 'T13')).toEqual([
      ['Atık toplama', 'Temizlik', '<5', null, 'ÇÖP konteynerleri yetersiz, beni arayın [telefon]'],
      ['Park bakımı', 'Parklar', '<5', null, ''],
      ['Kaldırımlar', 'Yollar', '<5', null, ''],
    ]);
    expect(tableOf(report, 'T13').notes[0]).toContain('6 açık uçlu yanıttan 6 tanesi kodlanmıştır');
  });

  it('T14: every institution asked, what it answered (masked), and who came to a workshop instead', () => {
    expect(rows(report, 'T14')).toEqual([
      ['Üniversite', 'Deneme Üniversitesi', '21.11.2026', 'Yanıt verdi', 'G: Genç nüfus; Üniversite varlığı\nT: Deprem riski', '1. Yollar; 2. Temizlik', 'Ulaşım planı hazırlanmalı. İletişim: [e-posta]', 'Ortak proje; Veri paylaşımı'],
      ['Meslek odası', 'Mimarlar Odası', '21.11.2026', 'Yanıt verdi', 'G: Tarihi doku\nT: Deprem riski', '1. Yollar', 'Kentsel dönüşümde oda ile çalışılmalı', 'Eğitim'],
      ['STK', 'Çevre Derneği', '21.11.2026', 'Toplantıya katıldı', '', '', '', ''],
      ['Muhtarlık', 'Merkez Muhtarlığı', '', 'Toplantıya katıldı', '', '', '', ''],
    ]);
    expect(rows(report, 'T14b')).toEqual([
      ['Üniversite', 1, 1, 100, 0],
      ['Meslek odası', 1, 1, 100, 0],
      ['STK', 1, 0, 0, 0],
    ]);
    expect(tableOf(report, 'T14b').total).toEqual(['Toplam', 3, 2, 66.7, 0]);
  });

  it('T15 and T15b: the meetings held, the cancelled one left out and said so; attended is who was checked in, the head count apart', () => {
    expect(tableOf(report, 'T15').columns.map((c) => c.label).slice(4, 7)).toEqual(['Kayıtlı', 'Katılan', 'Sayım (kafa sayısı)']);
    expect(rows(report, 'T15')).toEqual([
      ['Merkez Buluşması', '05.12.2026 19:00–21:00', 'Merkez Kültür Evi', 'Merkez', 3, 2, 25, 3, 'Parklar; Temizlik; Yollar'],
      ['Cami Buluşması', '06.12.2026 19:00–21:00', 'Cami Lokali', 'Cami, İstasyon', 0, 0, 12, 2, 'Temizlik; Yollar'],
    ]);
    expect(tableOf(report, 'T15').total).toEqual(['Toplam', '', '', '', 3, 2, 37, 5, '']);
    expect(tableOf(report, 'T15').notes).toEqual([
      'Katılan: girişte (yoklamada) işaretlenen kişiler, kapıda kaydolanlar dahil. Sayım (kafa sayısı): salonda sayılan kişi sayısı; ayrı gösterilir, Katılan sayısına eklenmez.',
      'İptal edilen 1 buluşma bu tablolarda yer almıyor.',
    ]);
    expect(rows(report, 'T15b')).toEqual([
      ['Temizlik', 1, 1, 2],
      ['Parklar', 1, 0, 1],
      ['Yollar', 1, 1, 2],
    ]);
    expect(tableOf(report, 'T15b').total).toEqual(['Toplam', 3, 2, 5]);
  });

  it('T16: only the coded themes until a planner reviews the candidate statements; the note says how many wait', () => {
    const t16 = tableOf(report, 'T16');
    expect(t16.rows.map((row) => [row.group ?? '', row.key, ...row.cells])).toEqual([
      ['Zayıf yönler', 'weakness:theme:atik toplama', 'Atık toplama', '<5', 'Vatandaş anketi (<5 kişi)'],
      ['', 'weakness:theme:kaldirimlar', 'Kaldırımlar', '<5', 'Vatandaş anketi (<5 kişi)'],
    ]);
    // Five institution lines, three meeting requests with a GZFT kind and the one top priority T11
    // ranks; no rated area, since T10 hides both rates (a candidate never quotes what a table hides).
    expect(t16.notes[1]).toBe('9 aday ifadeden 0 tanesi gözden geçirilmiştir; 9 tanesi gözden geçirilmeyi beklemektedir ve tabloda yer almaz.');
  });

  it('T17 is empty until a planner writes a finding, and says so', () => {
    expect(rows(report, 'T17')).toEqual([]);
    expect(tableOf(report, 'T17').empty).toBe('Henüz tespit yazılmadı.');
  });
});

describe('the settings', () => {
  it('a lower suppression threshold shows the theme counts; a random sample gets a margin of error', async () => {
    const report = await build({ suppression: 2, sampling: { 'rapor-anketi': 'random', 'rapor-kurum-formu': 'census' } });
    expect(rows(report, 'T13').map((row) => row.slice(0, 4))).toEqual([
      ['Atık toplama', 'Temizlik', 3, 50],
      ['Park bakımı', 'Parklar', 2, 33.3],
      ['Kaldırımlar', 'Yollar', '<2', null],
    ]);
    expect(rows(report, 'T6')).toEqual([
      ['Kadın', 7, 50],
      ['Erkek', 5, 35.7],
      ['Belirtmek istemiyorum', 2, 14.3],
    ]);
    expect(rows(report, 'T11')).toEqual([
      ['Temizlik', 12, 85.7, 8, 20, 1],
      ['Yollar', 8, 57.1, 4, 12, 2],
      ['Parklar', 8, 57.1, 2, 10, 3],
    ]);
    expect(rows(report, 'T10')[0]).toEqual(['Temizlik', 12, null, null, 16.7, 41.7, 25, 14.3, 3.67, 66.7, 2]);
    // ±1.96 · √(0.25/14) · √((1750−14)/(1750−1)) = ±26.1 %
    expect(rows(report, 'T5')[0]![8]).toBe('±%26,1');
  });

  it('in English the captions and labels are English', async () => {
    const report = await build({ language: 'en' });
    expect(report.title).toBe('External Stakeholder Analysis');
    expect(tableOf(report, 'T2').title).toBe('Stakeholder Prioritisation');
    expect(rows(report, 'T6')[0]).toEqual(['Kadın', 7, 50]);
  });

  it('are saved through the form, refused with every error when wrong, and nothing changes then', async () => {
    const page = await planner.get('/admin/report/settings');
    expect(page.status).toBe(200);
    const bad = await planner.post('/admin/report/settings').type('form').send({
      _csrf: csrfFrom(page.text), municipality_name: '', plan_start: '2029', plan_end: '2025', surveys: 'rapor-anketi', citizen_survey: 'rapor-kurum-formu', threshold: '9', suppression: '0', language: 'tr',
    });
    expect(bad.status).toBe(422);
    for (const text of ['Belediyenin adını yazın.', 'Önem/etki eşiği 2 ile 5 arasında', 'Gizleme eşiği 1 ile 50 arasında']) expect(bad.text).toContain(text);
    expect(await t.db.selectFrom('settings').select('value').where('key', '=', 'report_settings').executeTakeFirst()).toBeUndefined();
    const order = await planner.post('/admin/report/settings').type('form').send({
      _csrf: csrfFrom(page.text), municipality_name: 'X', plan_start: '2029', plan_end: '2025', surveys: 'rapor-anketi', citizen_survey: 'rapor-kurum-formu', threshold: '3', suppression: '5', language: 'tr',
    });
    expect(order.status).toBe(422);
    expect(order.text).toContain('son yılı ilk yılından sonra olmalı');
    expect(order.text).toContain('hedef kitlesi vatandaş olan');

    const good = await planner.post('/admin/report/settings').type('form').send(
      `_csrf=${encodeURIComponent(csrfFrom(page.text))}&municipality_name=Deneme+Belediyesi&plan_start=2025&plan_end=2029&surveys=rapor-anketi&surveys=rapor-kurum-formu&citizen_survey=rapor-anketi&threshold=4&suppression=5&language=tr&sampling_rapor-anketi=random&sampling_rapor-kurum-formu=census`,
    );
    expect(good.status).toBe(303);
    const report = await build();
    expect(rows(report, 'T5')[0]![8]).toBe('±%26,1');
    // The önem/etki threshold is the register's: 4 moves the university (influence 4) but not the chamber.
    expect(rows(report, 'T2').map((row) => row[6])).toEqual(['Birlikte çalış', 'Birlikte çalış', 'Bilgilendir', 'Çıkarlarını gözet', 'İzle']);
    expect(rows(report, 'T2')[3]).toEqual([4, 'Mimarlar Odası', 'Dış paydaş', 4, 2, 8, 'Çıkarlarını gözet']);
    await planner.post('/admin/report/settings').type('form').send(
      `_csrf=${encodeURIComponent(csrfFrom(page.text))}&municipality_name=Deneme+Belediyesi&plan_start=2025&plan_end=2029&surveys=rapor-anketi&surveys=rapor-kurum-formu&citizen_survey=rapor-anketi&threshold=3&suppression=5&language=tr&sampling_rapor-anketi=convenience&sampling_rapor-kurum-formu=census`,
    );
  });
});

describe('findings (T17)', () => {
  it('cite the table rows they rest on by number', async () => {
    const form = await planner.get('/admin/report/findings/new');
    expect(form.status).toBe(200);
    expect(form.text).toContain(`value="T13|${seeded.themes.atik}"`);
    const bad = await planner.post('/admin/report/findings').type('form').send({ _csrf: csrfFrom(form.text), finding: '', need: 'x', evidence: 'T99|nope' });
    expect(bad.status).toBe(422);
    expect(await t.db.selectFrom('findings').selectAll().execute()).toEqual([]);
    const saved = await planner
      .post('/admin/report/findings')
      .type('form')
      .send(
        `_csrf=${encodeURIComponent(csrfFrom(form.text))}&finding=${encodeURIComponent('Atık toplama en sık dile getirilen sorun')}&need=${encodeURIComponent('Toplama sıklığı artırılmalı')}&area=temizlik&evidence=${encodeURIComponent(`T13|${seeded.themes.atik}`)}&evidence=${encodeURIComponent('T11|temizlik')}`,
      );
    expect(saved.status).toBe(303);
    const report = await build();
    expect(rows(report, 'T17')).toEqual([[1, 'Atık toplama en sık dile getirilen sorun', 'Tablo 11 (Temizlik); Tablo 13 (Atık toplama)', 'Toplama sıklığı artırılmalı', 'Temizlik']]);
  });
});

describe('the outputs', () => {
  it('the page shows every table and figure, valid HTML, with print CSS and no inline script', async () => {
    const page = await planner.get('/admin/report');
    expect(page.status).toBe(200);
    for (let n = 1; n <= 19; n++) expect(page.text).toContain(`Tablo ${n}: `);
    for (let n = 1; n <= 3; n++) expect(page.text).toContain(`Grafik ${n}: `);
    expect(page.text).toContain('<td class="num">3,67</td>');
    expect(page.text).toContain('src="/admin/report/figures/F2.png"');
    expect(page.text).not.toMatch(/<script>(?!<\/script>)/);
    expect(await htmlProblems(page.text)).toEqual([]);
  });

  it('the DOCX has real Word tables with header rows and captions, and the figures as images', async () => {
    const res = await downloadBinary(planner, '/admin/report.docx');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('wordprocessingml');
    const zip = await JSZip.loadAsync(res.body as Buffer);
    const xml = new DOMParser().parseFromString(await zip.file('word/document.xml')!.async('string'), 'text/xml');
    const textOf = (node: Element) => Array.from(node.getElementsByTagName('w:t')).map((n) => n.textContent).join('');
    const paragraphs = Array.from(xml.getElementsByTagName('w:p'));
    const captions = paragraphs
      .filter((p) => Array.from(p.getElementsByTagName('w:pStyle')).some((s) => s.getAttribute('w:val') === 'Caption'))
      .map(textOf);
    expect(captions).toHaveLength(23);
    expect(captions).toContain('Tablo 10: Hizmet Alanlarına Göre Memnuniyet');
    expect(captions).toContain('Grafik 2: Hizmet Alanlarına Göre Memnuniyet Dağılımı');
    const headings = paragraphs.filter((p) => Array.from(p.getElementsByTagName('w:pStyle')).some((s) => s.getAttribute('w:val') === 'Heading3')).map(textOf);
    expect(headings[0]).toBe('1. Giriş');
    const tables = Array.from(xml.getElementsByTagName('w:tbl'));
    expect(tables).toHaveLength(20);
    const cells = (table: Element) => Array.from(table.getElementsByTagName('w:tr')).map((tr) => Array.from(tr.getElementsByTagName('w:tc')).map(textOf));
    const t10 = cells(tables[9]!);
    expect(t10[0]![0]).toBe('Hizmet alanı');
    expect(tables[9]!.getElementsByTagName('w:tblHeader').length).toBe(1);
    expect(t10[1]).toEqual(['Temizlik', '12', '–', '–', '–', '41,7', '–', '–', '3,67', '–', '–']);
    expect(t10[3]).toEqual(['Yollar', '<5', '–', '–', '–', '–', '–', '–', '–', '–', '–']);
    expect(cells(tables[7]!)[1]![0]).toBe('Ankette bu bölümü besleyen bir soru yok (rol: profile.education).');
    expect(cells(tables[19]!)[1]![2]).toBe('Tablo 11 (Temizlik); Tablo 13 (Atık toplama)');
    const images = Object.keys(zip.files).filter((name) => name.startsWith('word/media/'));
    expect(images).toHaveLength(3);
    for (const name of images) expect(isPng(await zip.file(name)!.async('nodebuffer'))).toBe(true);
  });

  it('the XLSX has one sheet per table, numbers as numbers', async () => {
    const { status, book } = await downloadWorkbook(planner, '/admin/report.xlsx');
    expect(status).toBe(200);
    expect(book.worksheets.map((sheet) => sheet.name).filter((name) => !name.startsWith('Grafik'))).toEqual(['Giriş', ...Array.from({ length: 20 }, (_, i) => `Tablo ${i + 1}`)]);
    const t11 = book.getWorksheet('Tablo 11')!;
    expect(t11.getRow(1).getCell(1).value).toBe('Tablo 11: Öncelikli Hizmet Alanları');
    expect(t11.getRow(3).values).toEqual([undefined, 'Temizlik', 12, 85.7, 8, 20, 1]);
    expect(t11.getRow(4).values).toEqual([undefined, 'Yollar', 8, 57.1, '<5']);
  });

  it('each figure is a PNG that decodes to its size', async () => {
    for (const id of ['F1', 'F2', 'F3']) {
      const res = await downloadBinary(planner, `/admin/report/figures/${id}.png`);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      const image = new Image();
      image.src = res.body as Buffer;
      expect(image.width).toBe(1200);
      expect(image.height).toBeGreaterThan(200);
    }
    expect((await planner.get('/admin/report/figures/F9.png')).status).toBe(404);
  });

  it('a table downloads as CSV', async () => {
    const res = await planner.get('/admin/report/tables/tablo-9-excel.csv');
    expect(res.status).toBe(200);
    const [header, ...data] = readCsvAsExcel(res.text, 'tr');
    expect(data).toContainEqual(['Merkez', '8', '57,1', '57,1', '1']);
    // One header row: the columns, as a spreadsheet expects; the caption is the page's and the sheet's.
    expect(header).toEqual(['Mahalle', 'Sayı', '%', 'Nüfus payı (%)', 'Temsil oranı']);
  });

  describe('a table\'s CSV opens right in the reader\'s Excel', () => {
    const T10_COLUMNS = 11;
    const meanOfTemizlik = (rows: string[][], regional: Regional) => {
      const [header, ...data] = rows;
      const temizlik = data.find((row) => row[0] === 'Temizlik')!;
      return excelValue(temizlik[header!.indexOf('Ortalama (1–5)')]!, regional);
    };

    it('in Turkish: fields split at semicolons, the mean a number with a decimal comma', async () => {
      const res = await downloadBinary(planner, '/admin/report/tables/tablo-10-excel.csv');
      expect(res.status).toBe(200);
      const text = (res.body as Buffer).toString('utf8');
      const rows = readCsvAsExcel(text, 'tr');
      expect(rows.map((row) => row.length)).toEqual([T10_COLUMNS, T10_COLUMNS, T10_COLUMNS, T10_COLUMNS]);
      expect(rows[1]![0]).toBe('Temizlik');
      expect(rows[1]![8]).toBe('3,67');
      expect(meanOfTemizlik(rows, 'tr')).toBe(3.67);
      expect(text).toMatch(/^\uFEFF[^\n]*\r\n/);
    });

    it('in English (?lang=en): fields split at commas, the mean with a decimal point', async () => {
      const english = await logIn(t, await addUser(t, 'planner'));
      const res = await downloadBinary(english, '/admin/report/tables/tablo-10-excel.csv?lang=en');
      expect(res.status).toBe(200);
      const text = (res.body as Buffer).toString('utf8');
      const rows = readCsvAsExcel(text, 'en');
      expect(rows.map((row) => row.length)).toEqual([T10_COLUMNS, T10_COLUMNS, T10_COLUMNS, T10_COLUMNS]);
      expect(rows[1]![8]).toBe('3.67');
      expect(meanOfTemizlik(rows, 'en')).toBe(3.67);
      expect(text).toMatch(/^\uFEFF[^\n]*\r\n/);
    });
  });

  it('viewers read the report but cannot change settings or findings; nobody else sees it', async () => {
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    expect((await viewer.get('/admin/report')).status).toBe(200);
    expect((await viewer.get('/admin/report/settings')).status).toBe(403);
    expect((await viewer.get('/admin/report.docx')).status).toBe(403);
    expect((await viewer.get('/admin/report/figures/F2.png')).status).toBe(200);
    expect((await viewer.get('/admin/report/figures/F2.png?download')).status).toBe(403);
    const anonymous = await request(t.app).get('/admin/report');
    expect(anonymous.status).toBe(303);
  });
});

function isPng(buffer: Buffer): boolean {
  return buffer.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
}

describe('what is left out', () => {
  it('"no citizen survey" stays chosen, and a survey taken out of the report is no longer its source', async () => {
    const stored = { ...(await reportSettings.load(t.db, t.catalog.municipality, t.catalog.surveys)) };
    expect(reportSettings.reconcile({ ...stored, citizenSurvey: null }, t.catalog.municipality, t.catalog.surveys).citizenSurvey).toBeNull();
    expect(reportSettings.reconcile({ ...stored, surveys: ['rapor-kurum-formu'] }, t.catalog.municipality, t.catalog.surveys).citizenSurvey).toBeNull();
    const report = await build({ citizenSurvey: null });
    expect(tableOf(report, 'T6').empty).toBe('Rapor ayarlarında bir vatandaş anketi seçilmemiş.');
  });

  it('a quote disappears with the response it came from when that response is excluded', async () => {
    const quoted = await t.db.selectFrom('theme_quotes as q').innerJoin('answers as a', 'a.id', 'q.answer_id').select('a.response_id').where('q.theme_id', '=', seeded.themes.atik).executeTakeFirstOrThrow();
    await responseRepository.setExclusion(t.db, quoted.response_id, { at: t.clock.now.toISOString(), by: null, reason: 'other', note: 'removal request' });
    try {
      expect(rows(await build({ suppression: 2 }), 'T13')[0]).toEqual(['Atık toplama', 'Temizlik', 2, 40, '']);
    } finally {
      await responseRepository.setExclusion(t.db, quoted.response_id, null);
    }
    expect(rows(await build(), 'T13')[0]![4]).toBe('ÇÖP konteynerleri yetersiz, beni arayın [telefon]');
  });
});
