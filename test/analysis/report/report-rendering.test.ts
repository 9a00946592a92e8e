// The report as a planner sees it, on the demo consultation: the DOCX rendered by LibreOffice
// and the page printed by Chromium, read back from the PDFs. Header words are whole, the matrix
// has every activity area, every caption is there, and no page but the last is half empty.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { buildReport } from '../../../server/analysis/report/report-builder';
import { loadReportData } from '../../../server/analysis/report/report-data';
import { captionOf, figuresOf, tablesOf, type Report, type ReportTable, type TableId } from '../../../server/analysis/report/report-model';
import * as reportSettings from '../../../server/analysis/report/report-settings';
import { reportWords } from '../../../server/analysis/report/report-words';
import { seedDemoData } from '../../../server/demo/demo-data';
import { createI18n } from '../../../server/platform/i18n/i18n';
import { addUser, downloadBinary, logIn } from '../../helpers/admin';
import { launchBrowser, logInPage, serve } from '../../helpers/browser';
import { blankBelow, docxToPdf, flowingText, pageCount, pageInk, pdfText } from '../../helpers/pdf';
import { createTestApp, TEST_BASE_URL, type TestApp } from '../../helpers/test-app';

const i18n = createI18n();
const SECRET = 'test-secret-that-is-long-enough-for-hmac-0123456789';
/** The DOCX's top and bottom margins (2 cm) and the print CSS's (15 mm), as shares of an A4 page's height. */
const DOCX_MARGIN = 2 / 29.7;
const PRINT_MARGIN = 1.5 / 29.7;

let t: TestApp;
let report: Report;
let dir: string;

beforeAll(async () => {
  t = await createTestApp();
  const outcome = await seedDemoData(t.db, t.catalog, { now: t.clock.now, mailer: t.mailer, baseUrl: TEST_BASE_URL, secret: SECRET, i18n, timeZone: 'Europe/Istanbul' });
  expect(outcome.kind).toBe('seeded');
  const settings = await reportSettings.load(t.db, t.catalog.municipality, t.catalog.surveys);
  report = buildReport(await loadReportData(t.db, t.catalog, settings, t.clock.now), reportWords(i18n, settings.language, 'Europe/Istanbul'));
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydas-render-'));
}, 120_000);
afterAll(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const tableOf = (id: TableId): ReportTable => tablesOf(report).find((table) => table.id === id)!;
const words = (text: string) => text.split(/\s+/).filter((w) => w !== '');
const format = reportWords(i18n, 'tr', 'Europe/Istanbul').formatCell;

/**
 * The words printed between a table's caption and its first row, which is where its header is:
 * a header word broken over two lines ("Kayıtl" / "ı") is not among them whole.
 */
function headerWords(pdf: string, table: ReportTable): string[] {
  const caption = `${report.labels.table} ${table.number}: `;
  const first = words(String(table.rows[0]!.cells[0]))[0]!;
  for (let page = 1; page <= pageCount(pdf); page++) {
    const lines = pdfText(pdf, page).split('\n');
    const start = lines.findIndex((line) => line.includes(caption));
    if (start < 0) continue;
    const end = lines.findIndex((line, i) => i > start && words(line).includes(first));
    return lines.slice(start + 1, end).flatMap(words);
  }
  throw new Error(`${caption} is not in the PDF`);
}

/** The words of a table's total row: the line after its caption that starts with the total's label. */
function totalWords(pdf: string, table: ReportTable): string[] {
  const text = pdfText(pdf);
  const from = text.indexOf(`${report.labels.table} ${table.number}: `);
  const line = text.slice(from).split('\n').find((l) => words(l)[0] === table.total![0]);
  return words(line ?? '');
}

describe('the numbers in its sentences', () => {
  it('are written as the tables write them: 1.500, never 1500, in the paragraphs and the notes', () => {
    const sentences = [...report.sections.flatMap((s) => s.paragraphs), ...tablesOf(report).flatMap((table) => table.notes)];
    // Years (2025-2029, 07.12.2026) and law numbers ("5393 sayılı") are not amounts; any other run of four digits is.
    const bare = sentences.flatMap((text) => [...text.matchAll(/(?<![\d.,])\d{4,}(?![\d,]|\.\d| sayılı)/g)].map((m) => m[0]).filter((n) => !(Number(n) >= 2000 && Number(n) <= 2100)).map((n) => `${n} in "${text}"`));
    expect(bare).toEqual([]);
    const responses = tablesOf(report).find((table) => table.id === 'T6')!.total![1] as number;
    expect(responses).toBeGreaterThanOrEqual(1000);
    expect(sentences.join(' ')).toContain(format(responses, 'count'));
  });
});

describe('the DOCX rendered by LibreOffice', () => {
  let pdf: string;
  beforeAll(async () => {
    const planner = await logIn(t, await addUser(t, 'planner'));
    const res = await downloadBinary(planner, '/admin/report.docx');
    expect(res.status).toBe(200);
    fs.writeFileSync(path.join(dir, 'report.docx'), res.body as Buffer);
    pdf = docxToPdf(path.join(dir, 'report.docx'));
  }, 150_000);

  it('prints every word of the matrix header and of the meetings table whole, and the meetings total unbroken', () => {
    const t3 = tableOf('T3');
    expect(t3.columns).toHaveLength(t.catalog.municipality.activityAreas.length + 1);
    expect(headerWords(pdf, t3)).toEqual(expect.arrayContaining(t3.columns.flatMap((c) => words(c.label))));
    const t15 = tableOf('T15');
    expect(headerWords(pdf, t15)).toEqual(expect.arrayContaining(t15.columns.flatMap((c) => words(c.label))));
    const totals = t15.total!.map((cell, i) => format(cell, t15.columns[i]!.type)).filter((cell) => cell !== '');
    expect(totals.length).toBeGreaterThan(2);
    expect(totalWords(pdf, t15)).toEqual(expect.arrayContaining(totals.flatMap(words)));
  });

  it('names every activity area in the matrix legend, and has every caption', () => {
    const text = flowingText(pdf);
    t.catalog.municipality.activityAreas.forEach((area, i) => expect(text).toContain(`${i + 1} = ${area.name.tr}`));
    for (const block of [...tablesOf(report), ...figuresOf(report)]) expect(text).toContain(captionOf(report, block));
  });

  it('leaves no page but the last more than half empty', () => {
    const pages = pageInk(pdf);
    expect(pages.length).toBe(pageCount(pdf));
    const blank = pages.slice(0, -1).map((ink) => ({ page: ink.page, blank: Math.round(blankBelow(ink, ink.landscape ? 2 / 21 : DOCX_MARGIN) * 100) / 100 }));
    expect(blank.filter((p) => p.blank > 0.5)).toEqual([]);
  });
});

describe('the page printed by Chromium', () => {
  let browser: Browser;
  let pdf: string;
  beforeAll(async () => {
    browser = await launchBrowser();
    const site = await serve(t);
    try {
      const context = await browser.newContext({ locale: 'tr-TR' });
      const page = await context.newPage();
      await logInPage({ t, url: site.url }, page);
      await page.goto(`${site.url}/admin/report`);
      await page.emulateMedia({ media: 'print' });
      pdf = path.join(dir, 'print.pdf');
      await page.pdf({ path: pdf, format: 'A4', preferCSSPageSize: true });
      await context.close();
    } finally {
      await site.close();
    }
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('prints the matrix whole: every numbered area column and every legend entry', () => {
    const t3 = tableOf('T3');
    expect(headerWords(pdf, t3)).toEqual(expect.arrayContaining(t3.columns.flatMap((c) => words(c.label))));
    const text = flowingText(pdf);
    t.catalog.municipality.activityAreas.forEach((area, i) => expect(text).toContain(`${i + 1} = ${area.name.tr}`));
  });

  it('starts the report on a full first page and leaves no page but the last more than half empty', () => {
    const blank = pageInk(pdf)
      .slice(0, -1)
      .map((ink) => ({ page: ink.page, blank: Math.round(blankBelow(ink, PRINT_MARGIN) * 100) / 100 }));
    expect(blank.filter((p) => p.blank > 0.5)).toEqual([]);
  });
});
