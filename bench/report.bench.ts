// How long the stakeholder analysis report takes for 10,000 and 100,000 citizen responses of
// vatandas-anketi (aim: under 2 s at 100,000 on a 2-core machine). The baseline, measured in the
// same run on the same data, is the survey's results page alone: the report's ratio to it is what
// the report costs beyond aggregating the survey once. Run: npm run bench:report [-- 10000 100000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildReport } from '../server/analysis/report/report-builder';
import { loadReportData } from '../server/analysis/report/report-data';
import { reportDocx } from '../server/analysis/report/report-docx';
import * as reportSettings from '../server/analysis/report/report-settings';
import { reportWords } from '../server/analysis/report/report-words';
import { surveyResults } from '../server/analysis/results.service';
import { openDatabase, type Db } from '../server/platform/db/connection';
import { migrateToLatest } from '../server/platform/db/migrator';
import { createI18n, type I18n } from '../server/platform/i18n/i18n';
import { projectRoot } from '../server/platform/paths';
import { loadCatalog, surveyDefinitionRepository, SurveyRegistry } from '../server/surveys';
import { insertSyntheticResponses } from '../server/surveys/synthetic-responses';
import { allQuestions } from '../server/surveys';
import * as codingRepository from '../server/analysis/coding/coding.repository';
import * as batchRepository from '../server/analysis/coding/coding-batch.repository';
import * as batchService from '../server/analysis/coding/coding-batch.service';
import { matchAnswer, parseQuery, prepare } from '../server/analysis/coding/answer-search';

const RUNS = 5;

export async function timed(run: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
}

export interface ReportTimings {
  /** The survey's results, computed once (what the results page does). */
  resultsMs: number;
  reportMs: number;
  docxMs: number;
}

/** Median times of the results, the whole report and its DOCX, on a database already filled. */
export async function measureReport(db: Db, catalog: SurveyRegistry, i18n: I18n, slug = 'vatandas-anketi'): Promise<ReportTimings> {
  const survey = catalog.find(slug)!;
  const settings = await reportSettings.load(db, catalog.municipality, catalog.surveys);
  const words = reportWords(i18n, 'tr', 'Europe/Istanbul');
  const now = new Date();
  const resultsMs = await timed(() => surveyResults(db, survey, { answers: [] }));
  const reportMs = await timed(async () => buildReport(await loadReportData(db, catalog, settings, now), words));
  const built = buildReport(await loadReportData(db, catalog, settings, now), words);
  const docxMs = await timed(() => reportDocx(built, words));
  return { resultsMs, reportMs, docxMs };
}

/** One theme per topic of the synthetic answers, with the search a planner would apply. */
const CODEBOOK: Record<string, string> = {
  'Kaldırım ve yol': 'kaldırım* -otobüs',
  'Çöp ve temizlik': 'çöp',
  'Toplu taşıma': 'otobüs',
  'Otopark': 'otopark',
  'Parklar': 'park* -otopark',
  'Spor': 'spor',
  'Sokak hayvanları': 'hayvan*',
  'Engelli erişimi': 'engelli*',
  'Kültür': 'kültür',
  'İletişim': 'telefon*',
  'Deprem': 'deprem',
  'Su': 'su',
};

/** Codes the open answers of the survey as a planner would with search and apply, every match at once. */
async function codeOpenAnswers(db: Db, catalog: SurveyRegistry, slug: string): Promise<{ coded: number; ms: number }> {
  const survey = catalog.find(slug)!;
  const actor = { userId: null, email: 'bench', ip: null };
  const start = performance.now();
  let coded = 0;
  for (const [name, query] of Object.entries(CODEBOOK)) {
    const themeId = await codingRepository.insertTheme(db, slug, { name, areaId: null, swotKind: null, keywords: [] }, new Date());
    const parsed = parseQuery(query);
    if (!parsed.ok) throw new Error(`bench query does not parse: ${query}`);
    for (const question of allQuestions(survey).filter((q) => q.kind === 'long_text')) {
      const answers = await batchRepository.questionAnswers(db, slug, question.id, 'all');
      const ids = answers.filter((a) => matchAnswer(parsed.query, prepare(a.text))).map((a) => a.id);
      if (ids.length === 0) continue;
      const applied = await batchService.applyThemes(db, { surveySlug: slug, questionId: question.id, query, answerIds: ids, themeIds: [themeId] }, actor, new Date());
      if (applied.kind !== 'applied') throw new Error(`bench apply refused: ${applied.kind}`);
      coded += applied.count;
    }
  }
  return { coded, ms: performance.now() - start };
}

async function main(): Promise<void> {
  const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
  const counts = sizes.length > 0 ? sizes : [10_000, 100_000];
  const cpus = os.cpus();
  console.log(`Machine: ${cpus.length} × ${cpus[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`);
  console.log(`Median of ${RUNS} runs each.\n`);
  const i18n = createI18n();
  const rows: string[][] = [['responses', 'results page (baseline)', 'whole report', 'ratio', 'DOCX with 3 charts', 'report, open answers coded', 'target']];
  for (const count of counts) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydas-bench-'));
    try {
      const { db } = openDatabase(path.join(dir, 'bench.sqlite'));
      await migrateToLatest(db);
      const catalog = await SurveyRegistry.open(db, loadCatalog(path.join(projectRoot, 'surveys')));
      for (const each of catalog.surveys) await surveyDefinitionRepository.saveDefinition(db, each, new Date());
      const survey = catalog.find('vatandas-anketi')!;
      const filling = performance.now();
      await insertSyntheticResponses(db, survey, { count, seed: 7 });
      console.log(`${count} responses generated in ${((performance.now() - filling) / 1000).toFixed(1)} s`);
      const { resultsMs: baseline, reportMs: report, docxMs: docx } = await measureReport(db, catalog, i18n);
      // The same report once the open answers are coded (T13 and T16 count themes per person).
      const coding = await codeOpenAnswers(db, catalog, 'vatandas-anketi');
      console.log(`${coding.coded} open answers coded by search and apply in ${(coding.ms / 1000).toFixed(1)} s`);
      const { reportMs: codedReport } = await measureReport(db, catalog, i18n);
      const worst = Math.max(report, codedReport);
      rows.push([
        String(count),
        `${baseline.toFixed(0)} ms`,
        `${report.toFixed(0)} ms`,
        `${(report / baseline).toFixed(2)}×`,
        `${docx.toFixed(0)} ms`,
        `${codedReport.toFixed(0)} ms (${(codedReport / baseline).toFixed(2)}×)`,
        count >= 100_000 ? (worst < 2000 ? 'under 2 s: met' : 'under 2 s: MISSED') : '',
      ]);
      await db.destroy();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  console.log('');
  for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
}

// Also a module: bench/run.ts folds these timings into its table.
if (require.main === module) void main();
