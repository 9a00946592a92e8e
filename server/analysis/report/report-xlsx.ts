// The report as a workbook: the introduction (wrapped, one paragraph a row), then one sheet per
// table ("Tablo 7") and per figure ("Grafik 1") in the report's order. A table's sheet has its
// caption, its header, its rows and total as numbers (not formatted text), and its notes; a
// figure's sheet has its caption and the same PNG as the DOCX.
// Built in memory, not streamed like the generic writer: ExcelJS's streaming writer cannot place
// images, and the report is a few hundred rows. Texts are typed string cells, never formulas.
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { uniqueSheetName, type Cell } from '../../platform/export/writers';
import { XLSX_NUMBER_FORMATS } from '../../platform/number-format';
import { captionOf, type Report, type ReportFigure, type ReportTable } from './report-model';
import { renderFigure } from './report-charts';

/** The introduction's column, in characters: a paragraph reads as a block, not one long line. */
export const INTRO_WIDTH = 100;
/** Points per line of the default 11 pt font. */
const LINE_HEIGHT = 15;
/** The figures are drawn 1200 px wide; half that fits a screen beside the sheet's names. */
const FIGURE_SCALE = 0.5;

/** Excel does not size a row to wrapped text it did not lay out itself: the height is set from the text's length. */
function wrappedHeight(text: string, width: number): number {
  const lines = text.split('\n').reduce((sum, line) => sum + Math.max(1, Math.ceil((line.length * 0.9) / width)), 0);
  return lines * LINE_HEIGHT;
}

function addRow(sheet: ExcelJS.Worksheet, cells: Cell[], bold = false): ExcelJS.Row {
  const row = sheet.addRow(cells);
  if (bold) row.font = { bold: true };
  return row;
}

function introSheet(book: ExcelJS.Workbook, report: Report, names: Set<string>): void {
  const intro = report.sections[0]!;
  const sheet = book.addWorksheet(uniqueSheetName(intro.heading, names));
  sheet.columns = [{ width: INTRO_WIDTH }];
  addRow(sheet, [`${report.title} – ${report.subtitle}`], true);
  for (const paragraph of intro.paragraphs) {
    const row = addRow(sheet, [paragraph]);
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    row.height = wrappedHeight(paragraph, INTRO_WIDTH);
  }
}

function tableSheet(book: ExcelJS.Workbook, report: Report, table: ReportTable, names: Set<string>): void {
  const sheet = book.addWorksheet(uniqueSheetName(`${report.labels.table} ${table.number}`, names));
  // Number columns carry the same digits as the page and the DOCX (platform/number-format.ts).
  sheet.columns = table.columns.map((c, i) => (c.type === 'text' ? { width: i === 0 ? 40 : 30 } : { width: 14, style: { numFmt: XLSX_NUMBER_FORMATS[c.type] } }));
  addRow(sheet, [captionOf(report, table)], true);
  addRow(sheet, table.columns.map((c) => c.label), true);
  if (table.rows.length === 0) addRow(sheet, [table.empty ?? '']);
  for (const { cells, group } of table.rows) {
    // A GZFT quadrant's name on its own row above its items, as in the DOCX and on the page.
    if (group) addRow(sheet, [group], true);
    const row = addRow(sheet, cells);
    // Lines within a cell (T14's one line per quadrant) stay lines.
    cells.forEach((cell, i) => {
      if (typeof cell === 'string' && cell.includes('\n')) row.getCell(i + 1).alignment = { wrapText: true, vertical: 'top' };
    });
  }
  if (table.total) addRow(sheet, table.total);
  if (table.notes.length > 0) {
    addRow(sheet, []);
    for (const note of table.notes) addRow(sheet, [note]);
  }
}

function figureSheet(book: ExcelJS.Workbook, report: Report, figure: ReportFigure, names: Set<string>): void {
  const sheet = book.addWorksheet(uniqueSheetName(`${report.labels.figure} ${figure.number}`, names));
  sheet.columns = [{ width: INTRO_WIDTH }];
  addRow(sheet, [captionOf(report, figure)], true);
  if (!figure.data) {
    addRow(sheet, [figure.empty ?? '']);
    return;
  }
  const description = addRow(sheet, [figure.description]);
  description.getCell(1).alignment = { wrapText: true, vertical: 'top' };
  description.height = wrappedHeight(figure.description, INTRO_WIDTH);
  const image = renderFigure(figure.data);
  const id = book.addImage({ buffer: image.png as unknown as ExcelJS.Buffer, extension: 'png' });
  sheet.addImage(id, { tl: { col: 0, row: 2 }, ext: { width: image.width * FIGURE_SCALE, height: image.height * FIGURE_SCALE } });
}

export function reportWorkbook(report: Report): ExcelJS.Workbook {
  const book = new ExcelJS.Workbook();
  const names = new Set<string>();
  introSheet(book, report, names);
  for (const block of report.sections.flatMap((s) => s.blocks)) {
    if (block.kind === 'table') tableSheet(book, report, block, names);
    else figureSheet(book, report, block, names);
  }
  return book;
}

export async function writeReportXlsx(out: Writable, report: Report): Promise<void> {
  const buffer = await reportWorkbook(report).xlsx.writeBuffer();
  await pipeline(Readable.from([Buffer.from(buffer)]), out);
}
