// Issue 16 §4–5: the report's tables agree with each other and with the rest of the back office
// (fieldwork dates, T10's ranking, one numbering, one name per channel, Turkish numbers in the
// introduction and the figures), and the CSV and XLSX exports open as a planner expects.
import { parse } from 'csv-parse/sync';
import type TestAgent from 'supertest/lib/agent';
import * as activityRepository from '../../../server/analysis/report/activity.repository';
import { figureConfig, type FigureData } from '../../../server/analysis/report/figure-config';
import { tablesOf, type Report, type TableId } from '../../../server/analysis/report/report-model';
import * as reportSettings from '../../../server/analysis/report/report-settings';
import { createI18n } from '../../../server/platform/i18n/i18n';
import en from '../../../server/platform/i18n/locales/en/admin.json';
import enReport from '../../../server/platform/i18n/locales/en/report.json';
import tr from '../../../server/platform/i18n/locales/tr/admin.json';
import trReport from '../../../server/platform/i18n/locales/tr/report.json';
import { addUser, downloadBinary, downloadWorkbook, logIn } from '../../helpers/admin';
import { excelValue, readCsvAsExcel } from '../../helpers/excel-csv';
import { acceptSwotCandidates, builtReport, REPORT_DAY, REPORT_SURVEYS, seedReport, storeResponse } from '../../helpers/report';
import { createTestApp, type TestApp } from '../../helpers/test-app';

const i18n = createI18n();
let t: TestApp;
let planner: TestAgent;

beforeAll(async () => {
  t = await createTestApp({ surveysDir: REPORT_SURVEYS });
  await seedReport(t);
  // Four days later, ten more answers taken face to face: cleaning gets many "4"s, parks are
  // split between "5" and "2", so parks have the higher mean and cleaning the higher rate.
  t.clock.now = new Date('2026-11-25T10:00:00Z');
  const citizen = t.catalog.find('rapor-anketi')!;
  for (let i = 0; i < 10; i++) {
    await storeResponse(
      t,
      citizen,
      { cinsiyet: 'kadin', yas: 'orta', mahalle: 'istasyon', 'memnuniyet.temizlik': '4', 'memnuniyet.parklar': i < 5 ? '5' : '2', 'imaj.guvenilir': '4', 'oncelik.1': 'temizlik', 'oncelik.2': 'parklar' },
      { channel: 'face_to_face' },
    );
  }
  // A large workshop, so the introduction has a number with thousands.
  await activityRepository.create(t.db, { method: 'workshop', title: 'Kent Forumu', targetGroup: 'Herkes', startsOn: '2026-11-15', endsOn: null, participants: 1500, notes: null, mahalleIds: [], stakeholderIds: [] }, t.clock.now);
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

describe('T5: the fieldwork dates', () => {
  it('are the first and last response of each channel, not the window the survey was open', async () => {
    const t5 = tableOf(await build(), 'T5');
    const dates = t5.columns.findIndex((c) => c.label === 'Tarih');
    expect(t5.rows.map((r) => r.cells[dates])).toEqual([
      'Çevrim içi, Kâğıt anket: 21.11.2026; Yüz yüze anket: 21.11.2026 – 25.11.2026',
      'Çevrim içi: 21.11.2026',
    ]);
  });
});

describe('T10: the ranking', () => {
  it('follows the satisfaction rate the table shows, the mean only breaking ties, and the note says so', async () => {
    const t10 = tableOf(await build({ suppression: 1 }), 'T10');
    const col = (label: string) => t10.columns.findIndex((c) => c.label === label);
    const byArea = Object.fromEntries(t10.rows.map((r) => [r.cells[0], { rate: r.cells[col('Memnuniyet oranı (%)')], mean: r.cells[col('Ortalama (1–5)')], rank: r.cells[col('Sıra')] }]));
    // Parks have the higher mean (3,92 > 3,82) but cleaning the higher rate (81,8 % > 70,8 %).
    expect(byArea).toEqual({
      Temizlik: { rate: 81.8, mean: 3.82, rank: 1 },
      Parklar: { rate: 70.8, mean: 3.92, rank: 2 },
      Yollar: { rate: 0, mean: 1.33, rank: 3 },
    });
    expect(t10.notes.join(' ')).toContain('Sıra memnuniyet oranına göredir; oranı eşit olan alanlar ortalamaya göre sıralanmıştır.');
  });
});

describe('the face-to-face channel', () => {
  it('has one name in both languages, the one of the consultation methods', async () => {
    expect(tr.channels.face_to_face).toBe(trReport.methods.survey_face_to_face);
    expect(en.channels.face_to_face).toBe(enReport.methods.survey_face_to_face);
    const report = await build();
    expect(tableOf(report, 'T5').rows[0]!.cells).toContain('Çevrim içi, Kâğıt anket, Yüz yüze anket');
    expect(report.sections[0]!.paragraphs).toContain('Rapor Deneme Anketi kapsamında 24 geçerli yanıt alınmıştır (Çevrim içi: 10, Kâğıt anket: 2, Yüz yüze anket: 12).');
  });
});

describe('the introduction', () => {
  it('says nothing about what is zero and writes numbers the Turkish way', async () => {
    const intro = (await build()).sections[0]!.paragraphs;
    expect(intro.join(' ')).not.toMatch(/(^|\s)0 (kurum|kişi|talep)/);
    expect(intro).toContain('Kurumsal görüş formu 3 kuruma gönderilmiş, 2 kurum yanıt vermiştir (yanıt oranı %66,7).');
    expect(intro).toContain('Bunlara ek olarak 3 odak grup, çalıştay veya görüşme yapılmış, bu çalışmalara 1.543 kişi katılmıştır.');
  });

  it('in English writes English numbers', async () => {
    const intro = (await build({ language: 'en' })).sections[0]!.paragraphs;
    expect(intro.join(' ')).toContain('with 1,543 participants');
    expect(intro.join(' ')).toContain('(response rate 66.7%)');
  });
});

describe('numbers in the figures', () => {
  const ticks = (data: FigureData, axis: 'x' | 'y', values: number[]) => {
    const config = figureConfig(data, { static: true, font: 'DejaVu Sans' });
    const scale = config.options.scales[axis];
    return { locale: config.options.locale, labels: values.map((v) => scale.ticks.callback.call({}, v, 0, [])) };
  };

  it('are Turkish in a Turkish report: 1.200 on F3\'s axis, %50 on F2\'s', () => {
    expect(ticks({ type: 'bars', categories: ['A', 'B'], values: [1000, 1200], axis: 'Puan', locale: 'tr-TR' }, 'x', [1000, 1200, 2.5])).toEqual({ locale: 'tr-TR', labels: ['1.000', '1.200', '2,5'] });
    expect(ticks({ type: 'diverging', categories: ['A'], series: [{ label: 'x', values: [50] }], axis: 'Yüzde', locale: 'tr-TR' }, 'x', [-50, 100]).labels).toEqual(['%50', '%100']);
  });

  it('are English in an English report', () => {
    expect(ticks({ type: 'bars', categories: ['A'], values: [1200], axis: 'Score', locale: 'en-GB' }, 'x', [1200]).labels).toEqual(['1,200']);
    expect(ticks({ type: 'diverging', categories: ['A'], series: [{ label: 'x', values: [50] }], axis: 'Share', locale: 'en-GB' }, 'x', [-50]).labels).toEqual(['50%']);
  });

  it('the report\'s figures carry the report\'s language', async () => {
    expect((await build()).sections.flatMap((s) => s.blocks).filter((b) => b.kind === 'figure').map((f) => f.kind === 'figure' && f.data?.locale)).toEqual(['tr-TR', 'tr-TR', 'tr-TR']);
  });
});

describe('F1, the etki/önem matrix', () => {
  /** Draws the figure's own labels onto a stand-in canvas that records the texts. */
  const labelsOf = (data: FigureData) => {
    const config = figureConfig(data, { static: true, font: 'DejaVu Sans' });
    const texts: string[] = [];
    const ctx = { save() {}, restore() {}, fillRect() {}, setLineDash() {}, beginPath() {}, moveTo() {}, lineTo() {}, stroke() {}, fillText: (text: string) => texts.push(text) };
    const chart = { ctx, width: 1200, height: 760, chartArea: { left: 0, right: 1200, top: 0, bottom: 760 }, scales: { x: { getPixelForValue: (v: number) => v * 200 }, y: { getPixelForValue: (v: number) => 760 - v * 130 } } };
    for (const plugin of config.plugins) plugin.afterDraw?.(chart);
    return { markers: config.data.datasets[0].data as { x: number; y: number; names: string[] }[], texts };
  };

  it('draws stakeholders with the same scores as one marker carrying all their numbers', () => {
    const point = (tag: string, x: number, y: number) => ({ label: `Paydaş ${tag}`, tag, x, y });
    const { markers, texts } = labelsOf({
      type: 'matrix',
      points: [point('1', 5, 5), point('3', 4, 4), point('7', 4, 4), point('12', 4, 4), point('2', 2, 1)],
      threshold: 3,
      axes: { x: 'Etki', y: 'Önem' },
      quadrants: ['İzle', 'Çıkarlarını gözet', 'Bilgilendir', 'Birlikte çalış'],
    });
    expect(markers.map((m) => [m.x, m.y])).toEqual([[5, 5], [4, 4], [2, 1]]);
    expect(markers[1]!.names).toEqual(['3. Paydaş 3', '7. Paydaş 7', '12. Paydaş 12']);
    expect(texts).toEqual(expect.arrayContaining(['1', '3, 7, 12', '2']));
  });

  it('on the register\'s analysis page is the report\'s figure: etki on x, önem on y, every stakeholder numbered', async () => {
    const report = await build();
    const f1 = report.sections.flatMap((s) => s.blocks).find((b) => b.id === 'F1')!;
    const page = await planner.get('/admin/stakeholders/analysis');
    expect(page.status).toBe(200);
    const attribute = /<figure data-figure="([^"]+)"/.exec(page.text)?.[1];
    expect(attribute).toBeDefined();
    const shown = JSON.parse(attribute!.replace(/&#34;/g, '"').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'));
    expect(f1.kind === 'figure' && f1.data).toEqual(shown);
    expect(shown).toMatchObject({ axes: { x: 'Etki', y: 'Önem' } });
    expect(shown.points).toHaveLength(5);
    expect(shown.points).toContainEqual({ label: 'Mimarlar Odası', tag: '4', x: 2, y: 4 });
    expect(page.text).not.toContain('data-chart="scatter"');
  });

  it('on the register\'s analysis page lists T1 in the report\'s order, so a stakeholder has the same number on both', async () => {
    const t1 = tableOf(await build(), 'T1');
    const page = (await planner.get('/admin/stakeholders/analysis')).text;
    const list = page.slice(page.indexOf('id="t1"'), page.indexOf('id="t2"'));
    const rows = [...list.matchAll(/<tr><td class="num">(\d+)<\/td><th scope="row">([^<]+)<\/th>/g)].map((m) => [Number(m[1]), m[2]!.replace(/&#39;/g, "'")]);
    expect(rows).toEqual(t1.rows.map((row) => [row.cells[0], row.cells[1]]));
    expect(rows.length).toBeGreaterThan(2);
  });

  it('on the register\'s analysis page carries the report\'s numbers, also when the report starts at another number', async () => {
    const before = (await planner.get('/admin/stakeholders/analysis')).text;
    expect(before).toContain('Tablo 1: Paydaş Listesi');
    expect(before).toContain('Grafik 1: Etki/Önem Matrisi');
    const settings = await reportSettings.load(t.db, t.catalog.municipality, t.catalog.surveys);
    await reportSettings.save(t.db, { ...settings, firstTable: 5, firstFigure: 3 }, t.clock.now);
    try {
      const page = (await planner.get('/admin/stakeholders/analysis')).text;
      expect(page).toContain('Tablo 5: Paydaş Listesi');
      expect(page).toContain('Tablo 6: Paydaşların Önceliklendirilmesi');
      expect(page).toContain('Grafik 3: Etki/Önem Matrisi');
      expect(page).toContain('(Tablo 6)');
      expect(page).not.toContain('Tablo 1:');
      const english = (await planner.get('/admin/stakeholders/analysis?lang=en')).text;
      expect(english).toContain('Table 5: Stakeholder List');
    } finally {
      await reportSettings.save(t.db, settings, t.clock.now);
      await planner.get('/admin/stakeholders/analysis?lang=tr'); // the language sticks to the session
    }
  });
});

describe('a table\'s CSV', () => {
  it('is named by the number the planner sees, in both forms, and the page links both', async () => {
    const report = await build();
    const t15 = tableOf(report, 'T15');
    // T14b and T14c come before it: the 17th table.
    expect(t15.number).toBe(17);
    const page = await planner.get('/admin/report');
    expect(page.text).toContain('href="/admin/report/tables/tablo-17.csv"');
    expect(page.text).toContain('href="/admin/report/tables/tablo-17-excel.csv"');
    const tools = await downloadBinary(planner, '/admin/report/tables/tablo-17.csv');
    expect(tools.status).toBe(200);
    expect(tools.headers['content-disposition']).toMatch(/filename="?dis-paydas-analizi-2025-2029-tablo-17\.csv"?$/);
    expect((tools.body as Buffer).toString('utf8')).toContain('Merkez Buluşması');
    const excel = await downloadBinary(planner, '/admin/report/tables/tablo-17-excel.csv');
    expect(excel.headers['content-disposition']).toMatch(/filename="?dis-paydas-analizi-2025-2029-tablo-17-excel\.csv"?$/);
  });

  it('serves a table numbered past 999 (a section that starts late in a long plan)', async () => {
    const settings = await reportSettings.load(t.db, t.catalog.municipality, t.catalog.surveys);
    await reportSettings.save(t.db, { ...settings, firstTable: 995 }, t.clock.now);
    try {
      const number = tableOf(await build(), 'T15').number;
      expect(number).toBeGreaterThan(999);
      expect((await downloadBinary(planner, `/admin/report/tables/tablo-${number}.csv`)).status).toBe(200);
    } finally {
      await reportSettings.save(t.db, settings, t.clock.now);
    }
  });

  it('keeps the old address by table id, sent on to the numbered file', async () => {
    const res = await planner.get('/admin/report/tables/T15.csv');
    expect(res.status).toBe(301);
    expect(res.headers.location).toBe('/admin/report/tables/tablo-17-excel.csv');
    expect((await planner.get('/admin/report/tables/tablo-99.csv')).status).toBe(404);
    expect((await planner.get('/admin/report/tables/T99.csv')).status).toBe(404);
  });

  it('for tools: comma-separated UTF-8 without a byte-order mark, numbers with a decimal point', async () => {
    const res = await downloadBinary(planner, '/admin/report/tables/tablo-10.csv');
    const text = (res.body as Buffer).toString('utf8');
    expect(text.charCodeAt(0)).not.toBe(0xfeff);
    const [header, ...rows] = parse(text) as string[][];
    expect(header![0]).toBe('Hizmet alanı');
    expect(rows.find((r) => r[0] === 'Parklar')![header!.indexOf('Ortalama (1–5)')]).toBe('3.92');
  });

  it('for Turkish Excel: opens by double-click, split at semicolons, the mean a number with a decimal comma', async () => {
    const res = await downloadBinary(planner, '/admin/report/tables/tablo-10-excel.csv');
    const text = (res.body as Buffer).toString('utf8');
    expect(text).toMatch(/^\uFEFF/);
    const [header, ...rows] = readCsvAsExcel(text, 'tr');
    expect(header).toHaveLength(11);
    const mean = rows.find((r) => r[0] === 'Parklar')![header!.indexOf('Ortalama (1–5)')]!;
    expect(mean).toBe('3,92');
    expect(excelValue(mean, 'tr')).toBe(3.92);
  });
});

describe('the consultation record page', () => {
  it('names the report\'s tables by the report\'s numbers', async () => {
    const report = await build();
    expect([tableOf(report, 'T14').number, tableOf(report, 'T14b').number]).toEqual([14, 15]);
    const page = await planner.get('/admin/opinions/rapor-kurum-formu/record');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('Tablo 14)');
    expect(page.text).toContain('Raporda: Tablo 15: Kurum Türlerine Göre Davet Edilen ve Yanıt Veren Kurumlar');
    expect(page.text).toContain('Raporda: Tablo 14: Kurumsal Paydaş Görüşleri');
  });
});

describe('the XLSX', () => {
  it('wraps the introduction in a wide column and shows each figure as an image on its sheet', async () => {
    const { status, book } = await downloadWorkbook(planner, '/admin/report.xlsx');
    expect(status).toBe(200);
    const intro = book.getWorksheet('Giriş')!;
    expect(intro.getColumn(1).width).toBeGreaterThanOrEqual(80);
    const paragraphs = intro.getColumn(1).values.slice(2) as string[];
    expect(paragraphs.length).toBeGreaterThan(3);
    for (let r = 2; r <= intro.rowCount; r++) expect(intro.getRow(r).getCell(1).alignment).toMatchObject({ wrapText: true, vertical: 'top' });
    // A long paragraph gets a row tall enough for its lines.
    const legal = intro.getRow(2);
    expect(legal.height).toBeGreaterThan(45);
    for (const [n, name] of [[1, 'Grafik 1'], [2, 'Grafik 2'], [3, 'Grafik 3']] as const) {
      const sheet = book.getWorksheet(name)!;
      expect(sheet).toBeDefined();
      expect(String(sheet.getRow(1).getCell(1).value)).toMatch(new RegExp(`^Grafik ${n}: `));
      const images = sheet.getImages();
      expect(images).toHaveLength(1);
      const media = book.getImage(Number(images[0]!.imageId));
      expect(media.extension).toBe('png');
      expect(Buffer.from(media.buffer as unknown as Uint8Array).subarray(1, 4).toString()).toBe('PNG');
      // Shown at half the rendered size (600 px wide), its proportions kept.
      expect((images[0]!.range as unknown as { ext?: { width: number } }).ext).toMatchObject({ width: 600 });
    }
    expect(book.worksheets.map((s) => s.name).slice(0, 5)).toEqual(['Giriş', 'Tablo 1', 'Tablo 2', 'Grafik 1', 'Tablo 3']);
  });

  it('heads each GZFT quadrant with its name on a row of its own and wraps the cells that hold several lines', async () => {
    expect(await acceptSwotCandidates(planner)).toBeGreaterThan(0);
    const report = await build();
    const t16 = tableOf(report, 'T16');
    const { book } = await downloadWorkbook(planner, '/admin/report.xlsx');
    const sheet = book.getWorksheet(`Tablo ${t16.number}`)!;
    const firstColumn = (sheet.getColumn(1).values as unknown[]).map((v) => String(v ?? ''));
    const groups = t16.rows.filter((row) => row.group !== undefined);
    expect(groups.length).toBeGreaterThanOrEqual(3);
    for (const row of groups) {
      const at = firstColumn.indexOf(row.group!);
      expect(at).toBeGreaterThan(2);
      // The quadrant's first item comes right under its name.
      expect(firstColumn[at + 1]).toBe(row.cells[0]);
      expect(sheet.getRow(at).font).toMatchObject({ bold: true });
    }
    const t14 = book.getWorksheet(`Tablo ${tableOf(report, 'T14').number}`)!;
    const multiline = [] as { text: string; wrap: boolean | undefined }[];
    t14.eachRow((row) => row.eachCell((cell) => {
      if (typeof cell.value === 'string' && cell.value.includes('\n')) multiline.push({ text: cell.value, wrap: cell.alignment?.wrapText });
    }));
    expect(multiline.length).toBeGreaterThan(0);
    expect(multiline.every((cell) => cell.wrap === true)).toBe(true);
  });
});
