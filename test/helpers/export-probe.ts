// One export of every included response of a survey, as CSV or XLSX with the same columns and
// writers as the back office's download routes, into a sink that only counts bytes, in a process
// of its own so that its peak memory is the export's. The memory test and npm run bench both run
// it: the figure the bench reports is the one the test guards. It imports only what the export
// needs, not the whole app.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { codebookRows, exportColumns, exportedResponses, exportHeader, exportRow } from '../../server/analysis/response-export';
import { countResponses } from '../../server/analysis/results.repository';
import { openDatabase } from '../../server/platform/db/connection';
import { writeCsv, writeXlsx, type Cell } from '../../server/platform/export/writers';
import { projectRoot } from '../../server/platform/paths';
import { loadCatalog } from '../../server/surveys';

export type ExportFormat = 'csv' | 'xlsx';

export interface ExportProbe {
  format: ExportFormat;
  rows: number;
  /** The size of the file a download would get. */
  bytes: number;
  ms: number;
  /** Peak RSS before the first row: node, the modules, the catalog. */
  startRssKb: number;
  maxRssKb: number;
}

/**
 * Exports every included response of the bundled survey `slug` in the database `file` in a child
 * process and returns what it measured. tsx is loaded with --require, not --import: the ESM hooks
 * of --import run in a worker thread with a V8 heap of its own, ~35 MB of RSS that the compiled
 * server does not have and that would hide a part of the export's own share.
 */
export function probeExport(file: string, slug: string, format: ExportFormat, node: { maxOldSpaceMb?: number } = {}): ExportProbe {
  const heap = node.maxOldSpaceMb ? [`--max-old-space-size=${node.maxOldSpaceMb}`] : [];
  const output = execFileSync(process.execPath, [...heap, '--require', 'tsx/cjs', __filename, file, slug, format], { cwd: projectRoot, encoding: 'utf8' });
  return JSON.parse(output.trim().split('\n').at(-1)!) as ExportProbe;
}

/**
 * This process's peak RSS. On Linux, getrusage's maxRSS survives exec: a child forked from a
 * parent that holds 240 MB reports at least 240 MB however little it uses itself. VmHWM belongs
 * to the process's own memory map and starts again at exec.
 */
function peakRssKb(): number {
  try {
    const status = fs.readFileSync('/proc/self/status', 'utf8');
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    if (match) return Number(match[1]);
  } catch {
    // Not Linux: getrusage is the best there is.
  }
  return process.resourceUsage().maxRSS;
}

async function main(): Promise<void> {
  const [file, slug, format] = process.argv.slice(2) as [string, string, ExportFormat];
  const { db } = openDatabase(file);
  const survey = loadCatalog(path.join(projectRoot, 'surveys')).find(slug)!;
  const columns = exportColumns(survey, {
    text: (value) => value.tr,
    fixed: { id: 'Yanıt no', submittedAt: 'Gönderildi', channel: 'Kanal', language: 'Dil' },
    chosen: 'seçildi',
    rank: 'sıra',
    notApplicable: 'fikrim yok',
    other: 'diğer',
    otherText: 'diğer (açıklama)',
    otherTextCodes: 'metin',
    band: 'aralık',
    outsideBands: 'aralık dışı',
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
  const startRssKb = peakRssKb();
  const start = performance.now();
  if (format === 'csv') {
    await writeCsv(sink, exportHeader(columns), counted(), 'tr');
  } else {
    await writeXlsx(sink, [
      { name: 'Yanıtlar', header: exportHeader(columns), rows: counted() },
      { name: 'Kod kitabı', header: [['Sütun', 'Soru', 'Etiket', 'Tür', 'Kodlar']], rows: codebookRows(columns, survey), widths: [28, 24, 60, 16, 80] },
    ]);
  }
  const ms = performance.now() - start;
  const maxRssKb = peakRssKb();
  // Streaming must not drop rows to save memory: one row per included response.
  assert.equal(rows, await countResponses(db, slug, { answers: [] }));
  assert.ok(bytes > rows, `${bytes} bytes for ${rows} rows`);
  await db.destroy();
  const probe: ExportProbe = { format, rows, bytes, ms, startRssKb, maxRssKb };
  console.log(JSON.stringify(probe));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
