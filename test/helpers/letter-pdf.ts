// Real PDFs for the letter upload: a small one-page letter (made with pdf-lib), the same letter
// encrypted against editing with an empty open password (made with Ghostscript, as institutions'
// document systems do), and fresh ones built with pdf-lib for a test.
import fs from 'node:fs';
import path from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'pdf');
export const LETTER_PDF = fs.readFileSync(path.join(FIXTURES, 'letter.pdf'));
export const ENCRYPTED_PDF = fs.readFileSync(path.join(FIXTURES, 'encrypted.pdf'));

/** A PDF with this many pages of text, and optionally a stream of this many incompressible bytes (to reach a size). */
export async function makePdf(options: { pages?: number; padBytes?: number; useObjectStreams?: boolean } = {}): Promise<Buffer> {
  const document = await PDFDocument.create();
  const font = await document.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < (options.pages ?? 1); i++) {
    const page = document.addPage([595, 842]);
    for (let line = 0; line < 40; line++) page.drawText(`Sayfa ${i + 1}, satir ${line + 1}: gorus ve oneriler`, { font, x: 50, y: 800 - line * 18, size: 11 });
  }
  if (options.padBytes) {
    // Pseudo-random, so the size is what it says whatever the writer does.
    const pad = Buffer.alloc(options.padBytes);
    let x = 12345;
    for (let i = 0; i < pad.length; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      pad[i] = x >> 16;
    }
    const stream = document.context.stream(pad);
    document.catalog.set(document.context.obj('PaydasPad') as never, document.context.register(stream));
  }
  return Buffer.from(await document.save({ useObjectStreams: options.useObjectStreams ?? true }));
}
