// Exports stream: memory stays flat however many responses there are, for CSV and for XLSX.
import path from 'node:path';
import { openDatabase } from '../../server/platform/db/connection';
import { migrateToLatest } from '../../server/platform/db/migrator';
import { loadCatalog, surveyDefinitionRepository } from '../../server/surveys';
import { insertSyntheticResponses } from '../../server/surveys/synthetic-responses';
import { probeExport } from '../helpers/export-probe';
import { BUNDLED_SURVEYS, tempDir } from '../helpers/test-app';

jest.setTimeout(120_000);

const RESPONSES = 10_000;
/**
 * What the export may add to the process's peak RSS (the probe's peak minus its peak before the
 * first row). Streamed, 10,000 responses take 30–45 MB (V8's young generation, a batch, the zip's
 * window). When the rows piled up they took 120 MB as CSV (each batch of 500 responses outlived
 * enough scavenges to be promoted, and the old generation grew fourfold before a full GC) and
 * 140 MB as XLSX (the sheet's XML waited uncompressed in front of the zip). No heap cap: a cap
 * would force the collections that hid the CSV's growth.
 */
const OWN_SHARE_BUDGET_MB = 70;

let file: string;

beforeAll(async () => {
  file = path.join(tempDir(), 'paydas.sqlite');
  const { db } = openDatabase(file);
  await migrateToLatest(db);
  const survey = loadCatalog(BUNDLED_SURVEYS).find('vatandas-anketi')!;
  await surveyDefinitionRepository.saveDefinition(db, survey, new Date());
  await insertSyntheticResponses(db, survey, { count: RESPONSES, seed: 7 });
  await db.destroy();
});

describe.each(['csv', 'xlsx'] as const)('%s export of 10,000 responses', (format) => {
  it('sends every response and keeps its own memory within the budget', () => {
    const probe = probeExport(file, 'vatandas-anketi', format);
    expect(probe.rows).toBe(RESPONSES);
    // ~50 answers a response: about 280 bytes a row as CSV, 320 as XLSX.
    expect(probe.bytes).toBeGreaterThan(RESPONSES * 200);
    const ownMb = Math.round((probe.maxRssKb - probe.startRssKb) / 1024);
    expect({ ownMb, within: ownMb < OWN_SHARE_BUDGET_MB }).toEqual({ ownMb, within: true });
  });
});
