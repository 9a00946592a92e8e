// Exports stream: ten times the responses must not take ten times the memory.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { openDatabase } from '../../server/platform/db/connection';
import { migrateToLatest } from '../../server/platform/db/migrator';
import { projectRoot } from '../../server/platform/paths';
import { loadCatalog, surveyDefinitionRepository } from '../../server/surveys';
import { insertSyntheticResponses } from '../../server/surveys/synthetic-responses';
import { BUNDLED_SURVEYS, tempDir } from '../helpers/test-app';

jest.setTimeout(120_000);

async function databaseWith(count: number): Promise<string> {
  const file = path.join(tempDir(), 'paydas.sqlite');
  const { db } = openDatabase(file);
  await migrateToLatest(db);
  const survey = loadCatalog(BUNDLED_SURVEYS).find('vatandas-anketi')!;
  await surveyDefinitionRepository.saveDefinition(db, survey, new Date());
  await insertSyntheticResponses(db, survey, { count, seed: 7 });
  await db.destroy();
  return file;
}

/** Runs the export with a small heap: holding the rows instead of streaming them would not fit. */
function exportIn(file: string): { rows: number; bytes: number; maxRssKb: number } {
  const output = execFileSync(process.execPath, ['--max-old-space-size=64', '--import', 'tsx', 'test/analysis/export-memory.probe.ts', file, 'vatandas-anketi'], {
    cwd: projectRoot,
    encoding: 'utf8',
  });
  return JSON.parse(output.trim().split('\n').at(-1)!);
}

describe('CSV export of many responses', () => {
  it('keeps the process memory flat as the row count grows tenfold', async () => {
    const small = exportIn(await databaseWith(1_000));
    const large = exportIn(await databaseWith(10_000));
    expect(small.rows).toBe(1_000);
    expect(large.rows).toBe(10_000);
    expect(large.bytes).toBeGreaterThan(small.bytes * 9);
    const growthMb = (large.maxRssKb - small.maxRssKb) / 1024;
    // 10,000 responses are ~700,000 answer rows and a 2.8 MB CSV; held in memory they would need
    // far more than the 64 MB heap the export runs with. Streaming by batches keeps the
    // difference to noise.
    expect({ growthMb, under: growthMb < 40 }).toEqual({ growthMb, under: true });
  });
});
