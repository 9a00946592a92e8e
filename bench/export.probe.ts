// Run by bench/run.ts as its own process: exports every response of a database file as CSV or
// XLSX (the same columns and writers as the back office's download routes) into a sink that only
// counts bytes, then prints the time taken and the process's peak memory. It imports only what
// the export needs (not the whole app), so the peak is the export's plus the modules'.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { codebookRows, exportColumns, exportedResponses, exportHeader, exportRow } from '../server/analysis/response-export';
import { writeCsv, writeXlsx, type Cell } from '../server/platform/export/writers';
import { openDatabase } from '../server/platform/db/connection';
import { loadCatalog } from '../server/surveys';
import { projectRoot } from '../server/platform/paths';

async function main(): Promise<void> {
  const [file, slug, format] = process.argv.slice(2) as [string, string, 'csv' | 'xlsx'];
  const { db } = openDatabase(file);
  const survey = loadCatalog(path.join(projectRoot, 'surveys')).find(slug)!;
  const columns = exportColumns(survey, {
    text: (value) => value.tr,
    fixed: { id: 'Yanıt no', submittedAt: 'Gönderildi', channel: 'Kanal', language: 'Dil' },
    chosen: 'seçildi',
    rank: 'sıra',
    notApplicable: 'fikrim yok',
    other: 'diğer',
  });
  let rows = 0;
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done();
    },
  });
  async function* counted(): AsyncGenerator<Cell[]> {
    for await (const response of exportedResponses(db, slug, { answers: [] })) {
      rows++;
      yield exportRow(columns, response);
    }
  }
  // What the modules cost before any row is read; the export's own share is the peak minus this.
  const startRssKb = process.resourceUsage().maxRSS;
  const start = performance.now();
  if (format === 'csv') {
    await writeCsv(sink, exportHeader(columns), counted());
  } else {
    await writeXlsx(sink, [
      { name: 'Yanıtlar', header: exportHeader(columns), rows: counted() },
      { name: 'Kod kitabı', header: [['Sütun', 'Soru', 'Etiket', 'Tür', 'Kodlar']], rows: codebookRows(columns, survey), widths: [28, 24, 60, 16, 80] },
    ]);
  }
  const ms = performance.now() - start;
  await db.destroy();
  console.log(JSON.stringify({ rows, bytes, ms, startRssKb, maxRssKb: process.resourceUsage().maxRSS }));
}

void main();
