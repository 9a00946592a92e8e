// Reads documents as a planner sees them: a DOCX rendered to PDF by LibreOffice (with the Carlito
// font, Calibri's metrics), and any PDF read back with poppler (pdftotext, pdfinfo, pdftoppm).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/** Renders a DOCX to a PDF next to it with LibreOffice, in a profile of its own; returns the PDF's path. */
export function docxToPdf(docx: string): string {
  const dir = path.dirname(docx);
  const profile = path.join(dir, 'lo-profile');
  execFileSync('soffice', [`-env:UserInstallation=file://${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', dir, docx], { timeout: 120_000, stdio: 'pipe' });
  const pdf = docx.replace(/\.docx$/, '.pdf');
  if (!fs.existsSync(pdf)) throw new Error(`LibreOffice did not write ${pdf}`);
  return pdf;
}

export function pageCount(pdf: string): number {
  const info = execFileSync('pdfinfo', [pdf], { encoding: 'utf8' });
  return Number(/^Pages:\s+(\d+)/m.exec(info)![1]);
}

/** The text of one page (or all), laid out as on the page. */
export function pdfText(pdf: string, page?: number, layout = true): string {
  const range = page === undefined ? [] : ['-f', String(page), '-l', String(page)];
  return execFileSync('pdftotext', [...(layout ? ['-layout'] : []), ...range, pdf, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** The text with every run of white space as one space: a sentence reads whole across line ends. */
export const flowingText = (pdf: string): string => pdfText(pdf, undefined, false).replace(/\s+/g, ' ');

export interface PageInk {
  page: number;
  landscape: boolean;
  /** The first and last rows with ink, as fractions of the page's height from its top. */
  top: number;
  bottom: number;
}

/**
 * Where each page has ink, from a grey rendering at 30 dpi: text, table borders and images alike
 * (pdftotext sees only text, so a page holding one figure would look empty to it).
 */
export function pageInk(pdf: string): PageInk[] {
  const dir = fs.mkdtempSync(path.join(path.dirname(pdf), 'ink-'));
  execFileSync('pdftoppm', ['-gray', '-r', '30', pdf, path.join(dir, 'p')]);
  return fs
    .readdirSync(dir)
    .filter((name) => name.endsWith('.pgm'))
    .sort()
    .map((name, i) => {
      const data = fs.readFileSync(path.join(dir, name));
      // Binary PGM: "P5\n<width> <height>\n255\n" then one byte per pixel.
      const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 40).toString('latin1'))!;
      const [width, height] = [Number(header[1]), Number(header[2])];
      const pixels = data.subarray(header[0].length);
      const inked: number[] = [];
      for (let row = 0; row < height; row++) {
        const line = pixels.subarray(row * width, (row + 1) * width);
        if (line.some((value) => value < 200)) inked.push(row);
      }
      return { page: i + 1, landscape: width > height, top: (inked[0] ?? 0) / height, bottom: (inked.at(-1) ?? 0) / height };
    });
}

/**
 * The share of a page's text area left blank below its last ink, given the page's top and bottom
 * margins as fractions of its height.
 */
export function blankBelow(ink: PageInk, margin: number): number {
  const area = 1 - 2 * margin;
  return Math.max(0, Math.min(1, (1 - margin - ink.bottom) / area));
}
