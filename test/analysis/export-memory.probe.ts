// Run as its own process by export-memory.test.ts: exports every response of a database file as
// CSV into nothing, checks every counted response went out, and prints how many rows went out and
// the process's peak memory (which the test judges).
import assert from 'node:assert/strict';
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
  const stored = await db
    .selectFrom('responses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('survey_slug', '=', slug)
    .where('status', '=', 'complete')
    .where('excluded_at', 'is', null)
    .executeTakeFirstOrThrow();
  // Streaming must not drop rows to save memory: one CSV line per counted response, plus the header.
  assert.equal(rows, Number(stored.n));
  assert.ok(bytes > rows, `${bytes} bytes for ${rows} rows`);
  await db.destroy();
  console.log(JSON.stringify({ rows, bytes, maxRssKb: process.resourceUsage().maxRSS }));
}

void main();
