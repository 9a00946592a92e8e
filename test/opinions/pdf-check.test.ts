// Institutions' letters are PDFs by their structure: a header at byte 0, a trailer, a document
// pdf-lib can parse with a catalogue and a page. Parsing happens in a worker with a time limit.
import { checkPdf, hasPdfEnvelope } from '../../server/opinions/pdf-check';
import { ENCRYPTED_PDF, LETTER_PDF, makePdf } from '../helpers/letter-pdf';

jest.setTimeout(60_000);

const TAIL = '\ntrailer\n<< /Root 1 0 R >>\nstartxref\n9\n%%EOF\n';

describe('the PDF check', () => {
  it('takes real PDFs: made by pdf-lib (with and without object streams), the fixture letter, an encrypted one', async () => {
    expect(await checkPdf(await makePdf())).toBe('pdf');
    expect(await checkPdf(await makePdf({ pages: 3, useObjectStreams: false }))).toBe('pdf');
    expect(await checkPdf(LETTER_PDF)).toBe('pdf');
    // Protected against editing, opened without a password: institutions' systems send these.
    expect(ENCRYPTED_PDF.toString('latin1')).toMatch(/\/Encrypt \d+ 0 R/);
    expect(await checkPdf(ENCRYPTED_PDF)).toBe('encrypted');
  });

  it('takes an encrypted PDF whose page tree sits in encrypted object streams, but not an unencrypted one like it', async () => {
    // pdf-lib cannot read encrypted object streams without the key; what it can read is that the
    // trailer names the catalogue and an encryption dictionary. Simulated: the object streams of a
    // real PDF replaced by noise, with and without /Encrypt.
    const pdf = (await makePdf({ useObjectStreams: true })).toString('latin1');
    expect(pdf).toContain('/Type /ObjStm');
    let noisy = pdf.replace(/(\/Type \/ObjStm[^]*?stream\n)([^]*?)(\nendstream)/g, (_all, head: string, body: string, tail: string) => head + 'x'.repeat(body.length) + tail);
    expect(noisy).not.toBe(pdf);
    expect(await checkPdf(Buffer.from(noisy, 'latin1'))).toBe('not_pdf');
    const encrypt = '999 0 obj\n<< /Filter /Standard /V 2 /R 3 /Length 128 /P -3904 /O <00> /U <00> >>\nendobj\n';
    noisy = noisy.replace('/Type /XRef', '/Type /XRef /Encrypt 999 0 R').replace(/\nstartxref\n/, `\n${encrypt}startxref\n`);
    expect(await checkPdf(Buffer.from(noisy, 'latin1'))).toBe('encrypted');
  });

  it.each([
    ['an HTML page holding %PDF- … %%EOF', Buffer.from(`<html><body>%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\nstartxref\n9\n%%EOF</body></html>`)],
    ['the same with %PDF- a few bytes in', Buffer.from(`  \n%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj${TAIL}`)],
    ['a text file', Buffer.from('Sayın yetkili,\ngörüşlerimiz aşağıdadır.\n'.repeat(50))],
    ['a header and a trailer around HTML', Buffer.from(`%PDF-1.4\n<html><script>alert(1)</script></html>${TAIL}`)],
    ['a catalogue without pages', Buffer.from(`%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj${TAIL}`)],
    ['the old check\'s idea of a PDF', Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n%%EOF\n')],
    ['nothing', Buffer.alloc(0)],
  ])('refuses %s', async (_what, content) => {
    expect(await checkPdf(content)).toBe('not_pdf');
  });

  it('refuses a PDF cut short, wherever it is cut', async () => {
    const pdf = await makePdf({ pages: 2, useObjectStreams: false });
    for (const at of [0.3, 0.6, 0.9, 0.99]) expect(await checkPdf(pdf.subarray(0, Math.floor(pdf.length * at)))).toBe('not_pdf');
    // Cut inside the objects, with the trailer pasted back on: the objects do not parse.
    const body = pdf.subarray(0, Math.floor(pdf.length / 2));
    expect(await checkPdf(Buffer.concat([body, Buffer.from(TAIL)]))).toBe('not_pdf');
  });

  it('checks the envelope at once: header at byte 0, startxref and %%EOF at the end', () => {
    expect(hasPdfEnvelope(LETTER_PDF)).toBe(true);
    expect(hasPdfEnvelope(Buffer.concat([Buffer.from(' '), LETTER_PDF]))).toBe(false);
    expect(hasPdfEnvelope(LETTER_PDF.subarray(0, LETTER_PDF.length - 8))).toBe(false);
    expect(hasPdfEnvelope(Buffer.from('%PDF-1.7\n' + 'x'.repeat(5000)))).toBe(false);
    expect(hasPdfEnvelope(Buffer.from('GIF89a' + '%%EOF'.padStart(100)))).toBe(false);
  });

  it('checks a 5 MB letter in well under the limit', async () => {
    const big = await makePdf({ pages: 20, padBytes: 4_900_000 });
    expect(big.length).toBeGreaterThan(4.5 * 1024 * 1024);
    expect(big.length).toBeLessThan(5 * 1024 * 1024);
    const started = performance.now();
    expect(await checkPdf(big)).toBe('pdf');
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('gives up on a file built to keep the parser busy, without stalling the server meanwhile', async () => {
    // "%PDF-" and a trailer around 5 MB of noise: pdf-lib spends minutes on this.
    const noise = Buffer.alloc(5 * 1024 * 1024 - 100);
    let x = 7;
    for (let i = 0; i < noise.length; i++) {
      x = (x * 1103515245 + 12345) & 0x7fffffff;
      noise[i] = x >> 16;
    }
    const hostile = Buffer.concat([Buffer.from('%PDF-1.4\n'), noise, Buffer.from(TAIL)]);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = performance.now();
    try {
      expect(await checkPdf(hostile, { timeoutMs: 1_000 })).toBe('too_slow');
    } finally {
      clearInterval(ticker);
    }
    const elapsed = performance.now() - started;
    expect(elapsed).toBeLessThan(3_000);
    // The event loop kept turning while the worker parsed.
    expect(ticks).toBeGreaterThan(elapsed / 10 / 4);
  });

  it('answers every check when many arrive at once (two parse, the rest wait their turn)', async () => {
    const pdf = await makePdf();
    expect(await Promise.all(Array.from({ length: 6 }, () => checkPdf(pdf)))).toEqual(Array(6).fill('pdf'));
  });
});
