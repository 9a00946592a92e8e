// Run as its own process by export-memory.test.ts: exports every response of a database file as
// CSV into nothing, and prints how many rows went out and the process's peak memory.
import { Writable } from 'node:stream';
import { exportColumns, exportedResponses, exportHeader, exportRow } from '../../server/analysis/response-export';
import { writeCsv } from '../../server/platform/export/writers';
import { openDatabase } from '../../server/platform/db/connection';
import { loadCatalog } from '../../server/surveys';
import { BUNDLED_SURVEYS } from '../helpers/test-app';

async function main() {
  const [file, slug] = process.argv.slice(2) as [string, string];
  const { db } = openDatabase(file);
  const survey = loadCatalog(BUNDLED_SURVEYS).find(slug)!;
  const columns = exportColumns(survey, {
    text: (value) => value.tr,
    fixed: { id: 'id', submittedAt: 'submitted', channel: 'channel', language: 'language' },
    chosen: '', rank: '', notApplicable: 'na', other: 'other',
  });
  let rows = 0;
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done();
    },
  });
  async function* counted() {
    for await (const response of exportedResponses(db, slug, { answers: [] })) {
      rows++;
      yield exportRow(columns, response);
    }
  }
  await writeCsv(sink, exportHeader(columns), counted());
  await db.destroy();
  console.log(JSON.stringify({ rows, bytes, maxRssKb: process.resourceUsage().maxRSS }));
}

void main();
