// One number, one meaning: "Katılan" is the people checked in (walk-ins included) on every screen,
// in the exports and in the report; the planner's head count is shown apart, under its own name.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { buildReport } from '../../server/analysis/report/report-builder';
import { loadReportData } from '../../server/analysis/report/report-data';
import { tablesOf } from '../../server/analysis/report/report-model';
import * as reportSettings from '../../server/analysis/report/report-settings';
import { reportWords } from '../../server/analysis/report/report-words';
import { createI18n } from '../../server/platform/i18n/i18n';
import { addUser, downloadWorkbook, logIn, postForm } from '../helpers/admin';
import { scheduleMeeting, signUp } from '../helpers/meetings';
import { createTestApp, type TestApp } from '../helpers/test-app';

const i18n = createI18n();
let t: TestApp;
let planner: TestAgent;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

async function at(iso: string): Promise<void> {
  t.clock.now = new Date(iso);
  planner = await logIn(t, await addUser(t, 'planner'));
}

const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim();

/** A table's rows as cell texts, header row first. */
function cellsOf(table: string): string[][] {
  return [...table.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map((row) => [...row[1]!.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => text(cell[1]!)));
}

/** The cell under a column in the row that starts with `first`. */
function cell(table: string, first: string, column: string): string | undefined {
  const [header, ...rows] = cellsOf(table);
  const at = header!.indexOf(column);
  if (at < 0) return `no column ${column}`;
  return rows.find((row) => row[0] === first)?.[at];
}

/** What a definition list says for a term. */
const fact = (html: string, term: string) => new RegExp(`<dt>${term}</dt><dd>([\\s\\S]*?)</dd>`).exec(html)?.[1];

it('counts the people checked in as "Katılan" on the meeting page, the list, the outcome pages, the export and the report, and the head count apart', async () => {
  // Tonight 19:00–21:00 in Istanbul; the test clock is 10:00 the same day.
  const id = await scheduleMeeting(t, { title_tr: 'Gazi Buluşması', starts_at: '2026-11-21T16:00:00.000Z', ends_at: '2026-11-21T18:00:00.000Z', signup_deadline_at: '2026-11-21T15:00:00.000Z', capacity: null });
  for (const [name, email] of [['Ayşe Yılmaz', 'ayse'], ['Mehmet Öz', 'mehmet'], ['Hasan Kaya', 'hasan']]) {
    expect((await signUp(request.agent(t.app), id, { name: name!, email: `${email}@example.org` })).status).toBe(303);
  }

  // At the door: two of the three signed-up residents come, and two neighbours walk in.
  await at('2026-11-21T16:10:00.000Z');
  const signedUp = await t.db.selectFrom('meeting_registrations').select(['id', 'name']).orderBy('id').execute();
  for (const resident of signedUp.slice(0, 2)) {
    expect((await postForm(planner, `/admin/meetings/${id}/check-in`, `/admin/meetings/${id}/check-in/${resident.id}`, { attended: '1' })).status).toBe(303);
  }
  for (const name of ['Kapıdan Gelen', 'Komşu Hanım']) {
    expect((await postForm(planner, `/admin/meetings/${id}/check-in`, `/admin/meetings/${id}/walk-ins`, { name, mahalle: 'gazi' })).status).toBe(303);
  }
  // The planner counted the hall: more than signed in.
  expect((await postForm(planner, `/admin/meetings/${id}/outcomes`, `/admin/meetings/${id}/outcome`, { attendance_count: '30', notes: '' })).status).toBe(303);
  const checkIn = await planner.get(`/admin/meetings/${id}/check-in`);

  await at('2026-11-22T09:00:00.000Z');
  const show = await planner.get(`/admin/meetings/${id}`);
  const list = await planner.get('/admin/meetings');
  const listTable = /<h2>Yapılmış buluşmalar<\/h2>[\s\S]*?<table>([\s\S]*?)<\/table>/.exec(list.text)![1]!;
  const own = await planner.get(`/admin/meetings/${id}/outcomes`);
  const overall = await planner.get('/admin/meetings/outcomes');
  const t15 = /<table id="t15"[\s\S]*?<\/table>/.exec(overall.text)![0];
  const { book } = await downloadWorkbook(planner, '/admin/meetings/requests.xlsx');
  const sheet = book.worksheets.find((s) => s.name === 'Mahalle buluşmaları')!;
  const sheetHeader = (sheet.getRow(1).values as unknown[]).slice(1);
  const sheetRow = (sheet.getRow(2).values as unknown[]).slice(1);
  const settings = await reportSettings.load(t.db, t.catalog.municipality, t.catalog.surveys);
  const report = buildReport(await loadReportData(t.db, t.catalog, settings, t.clock.now), reportWords(i18n, 'tr', 'Europe/Istanbul'));
  const table = (tableId: string) => tablesOf(report).find((tb) => tb.id === tableId)!;
  const column = (tableId: string, label: string) => table(tableId).columns.findIndex((c) => c.label === label);
  const t4 = table('T4').rows.find((r) => r.key === 'meetings')!;
  const reportT15 = table('T15').rows[0]!;

  // The same number everywhere it is called "Katılan"; the head count only under its own name.
  expect({
    checkIn: /<p>(Katılan[^<]*)<\/p>/.exec(checkIn.text)?.[1],
    page: fact(show.text, 'Katılan') && text(fact(show.text, 'Katılan')!),
    pageHeadCount: fact(show.text, 'Sayım \\(kafa sayısı\\)'),
    list: cell(listTable, 'Gazi Buluşması', 'Katılan'),
    listHeadCount: cell(listTable, 'Gazi Buluşması', 'Sayım (kafa sayısı)'),
    outcomePage: fact(own.text, 'Katılan') && text(fact(own.text, 'Katılan')!),
    outcomePageHeadCount: fact(own.text, 'Sayım \\(kafa sayısı\\)'),
    t15Registered: cell(t15, 'Gazi Buluşması', 'Kayıtlı'),
    t15: cell(t15, 'Gazi Buluşması', 'Katılan'),
    t15HeadCount: cell(t15, 'Gazi Buluşması', 'Sayım (kafa sayısı)'),
    export: sheetRow[sheetHeader.indexOf('Katılan')],
    exportHeadCount: sheetRow[sheetHeader.indexOf('Sayım (kafa sayısı)')],
    reportT4: t4.cells[column('T4', 'Katılımcı/yanıt sayısı')],
    reportT15: reportT15.cells[column('T15', 'Katılan')],
    reportT15HeadCount: reportT15.cells[column('T15', 'Sayım (kafa sayısı)')],
    intro: /toplam (\d+) kişi/.exec(report.sections[0]!.paragraphs.find((p) => p.includes('mahalle buluşması')) ?? '')?.[1],
  }).toEqual({
    checkIn: 'Katılan: 4 · Kesin kayıt: 3',
    page: '4 (2 kapıda kayıt)',
    pageHeadCount: '30',
    list: '4',
    listHeadCount: '30',
    outcomePage: '4 (2 kapıda kayıt)',
    outcomePageHeadCount: '30',
    t15Registered: '3',
    t15: '4',
    t15HeadCount: '30',
    export: 4,
    exportHeadCount: 30,
    reportT4: 4,
    reportT15: 4,
    reportT15HeadCount: 30,
    intro: '4',
  });
  // The pages say what the number counts.
  for (const html of [show.text, own.text]) expect(html).toContain('Girişte (yoklamada) işaretlenen kişiler; kapıda kaydolanlar dahil.');
  expect(table('T15').notes.join(' ')).toContain('Katılan: girişte (yoklamada) işaretlenen kişiler');
  expect(sheet.getRow(4).getCell(1).value).toContain('Katılan: girişte (yoklamada) işaretlenen kişiler');
});
