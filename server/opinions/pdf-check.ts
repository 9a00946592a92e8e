// Is an uploaded file really a PDF? Its envelope is checked at once (the header at byte 0, a
// trailer at the end), then pdf-lib parses it in a worker thread with a time limit: pdf-lib is
// quick on real documents (a 5 MB letter in about 0.15 s) but can spend minutes of CPU on crafted
// garbage (a "%PDF-" followed by 5 MB of random bytes), which must not stall the server.
import { Worker } from 'node:worker_threads';

/** How long a parse may take: real letters need well under a second. */
export const PDF_CHECK_TIMEOUT_MS = 10_000;
/** Parses at once; further uploads wait their turn, so hostile files cannot take every core. */
const MAX_PARALLEL_CHECKS = 2;

/**
 * "%PDF-1.x" at byte 0 exactly (the specification's leniency of a kilobyte of junk before it is
 * what let an HTML page through), and in the last kilobyte a "startxref" and the final "%%EOF":
 * a file cut short has no trailer.
 */
export function hasPdfEnvelope(content: Buffer): boolean {
  if (content.length < 32) return false;
  if (!/^%PDF-\d\.\d/.test(content.subarray(0, 8).toString('latin1'))) return false;
  const tail = content.subarray(Math.max(0, content.length - 1024)).toString('latin1');
  return /startxref\s+\d+\s+%%EOF[\s\0]*$/.test(tail);
}

export type PdfVerdict = 'pdf' | 'encrypted' | 'not_pdf' | 'too_slow';

// Plain JavaScript, run as the worker's script: it sees only the bytes and answers with a verdict.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// pdf-lib warns on the console about every broken object it skips; a refused file is not news.
console.warn = () => {};
console.log = () => {};
const { PDFDocument, PDFDict, PDFRef } = require(workerData.pdfLib);
(async () => {
  let document;
  try {
    document = await PDFDocument.load(workerData.bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: false });
  } catch {
    return 'not_pdf';
  }
  try {
    const pages = document.catalog instanceof PDFDict ? document.getPageCount() : 0;
    if (pages >= 1) return { verdict: document.isEncrypted ? 'encrypted' : 'pdf', pages };
  } catch {
    // No readable page tree: below.
  }
  // Encrypted object streams cannot be read without the key, so the catalogue may be out of
  // reach; the trailer still has to name it and the encryption dictionary has to be there.
  return document.isEncrypted && document.context.trailerInfo.Root instanceof PDFRef ? 'encrypted' : 'not_pdf';
})().then(
  (result) => parentPort.postMessage(typeof result === 'string' ? { verdict: result, pages: null } : result),
  () => parentPort.postMessage({ verdict: 'not_pdf', pages: null }),
);
`;

let running = 0;
const queue: (() => void)[] = [];

async function inTurn<T>(task: () => Promise<T>): Promise<T> {
  if (running >= MAX_PARALLEL_CHECKS) await new Promise<void>((resolve) => queue.push(resolve));
  running++;
  try {
    return await task();
  } finally {
    running--;
    queue.shift()?.();
  }
}

/** The verdict, and the number of pages when the page tree could be read (free: the parse counts them). */
export interface PdfInspection {
  verdict: PdfVerdict;
  pages: number | null;
}

function parseInWorker(content: Buffer, timeoutMs: number): Promise<PdfInspection> {
  return new Promise((resolve) => {
    const bytes = new Uint8Array(content);
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { pdfLib: require.resolve('pdf-lib'), bytes },
      transferList: [bytes.buffer],
      // A parse that builds a huge object graph fails inside the worker, not the server.
      resourceLimits: { maxOldGenerationSizeMb: 256 },
      stdout: true,
      stderr: true,
    });
    let settled = false;
    const settle = (result: PdfInspection) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(result);
    };
    const refused = (verdict: PdfVerdict): PdfInspection => ({ verdict, pages: null });
    const timer = setTimeout(() => settle(refused('too_slow')), timeoutMs);
    worker.once('message', (result: PdfInspection) => settle(result));
    // Out of memory or any other crash of the parse: not a file we take.
    worker.once('error', () => settle(refused('not_pdf')));
    worker.once('exit', () => settle(refused('not_pdf')));
  });
}

/**
 * What the file is: a PDF whose page tree pdf-lib reads ('pdf'), an encrypted PDF ('encrypted':
 * institutions' document systems often protect letters against editing, and those still open in
 * any viewer, so they are taken), or not a PDF, or one too slow to parse to be a real letter.
 */
export async function checkPdf(content: Buffer, options: { timeoutMs?: number } = {}): Promise<PdfVerdict> {
  return (await inspectPdf(content, options)).verdict;
}

/** checkPdf, with the page count when it could be read. */
export async function inspectPdf(content: Buffer, options: { timeoutMs?: number } = {}): Promise<PdfInspection> {
  if (!hasPdfEnvelope(content)) return { verdict: 'not_pdf', pages: null };
  return inTurn(() => parseInWorker(content, options.timeoutMs ?? PDF_CHECK_TIMEOUT_MS));
}

export function isAcceptedPdf(verdict: PdfVerdict): boolean {
  return verdict === 'pdf' || verdict === 'encrypted';
}
