// How long search-and-preview takes over 20,000 open answers of one question (aim: under 300 ms on
// a 2-core machine): read the question's answers, match a Turkish query (stems, a phrase, an
// exclusion), cut the first page of matches for highlighting. The baseline, measured in the same
// run on the same data, is a plain folded substring scan of the same answers read the same way.
// Run: npx tsx bench/coding-search.bench.ts [-- 20000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import * as batchRepository from '../server/analysis/coding/coding-batch.repository';
import * as batchService from '../server/analysis/coding/coding-batch.service';
import { openDatabase, type Db } from '../server/platform/db/connection';
import { migrateToLatest } from '../server/platform/db/migrator';
import { projectRoot } from '../server/platform/paths';
import { foldTurkish } from '../server/platform/text';
import { loadCatalog, surveyDefinitionRepository, SurveyRegistry } from '../server/surveys';
import { randomSource } from '../server/surveys/synthetic-responses';

const RUNS = 7;
const SLUG = 'vatandas-anketi';
const QUESTION = 'iyilestirilmesi_gereken';
const QUERIES = ['çöpler', 'kaldırım -park', '"toplu taşıma" otobüs*'];

const SUBJECTS = ['Çöpler', 'Kaldırımlar', 'Parktaki ışıklar', 'Otobüs seferleri', 'Toplu taşıma', 'Sokak lambaları', 'Yolların asfaltı', 'Belediyenin kütüphanesi', 'Çocuk parkları', 'Su kesintileri', 'Trafik ışıkları', 'Kaldırım taşları', 'Çöp konteynerleri', 'Yeşil alanlar', 'Sahipsiz köpekler'];
const PROBLEMS = ['çok kötü durumda', 'zamanında toplanmıyor', 'yetersiz kalıyor', 'hiç yok', 'bozuk ve tehlikeli', 'düzenli değil', 'kaldırılsın istiyoruz', 'temizlenmiyor', 'çok kalabalık', 'geç geliyor'];
const WISHES = ['Lütfen ilgilenin.', 'Mahallemize daha fazla hizmet bekliyoruz.', 'Belediyeden çözüm bekliyoruz.', 'Engelliler için düzenleme yapılmalı.', 'Akşamları çok karanlık oluyor.', 'Yaşlılar zorlanıyor.', 'İzmir caddesinde durum daha da kötü.', ''];

function answerText(random: () => number): string {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const sentences = 1 + Math.floor(random() * 3);
  const parts: string[] = [];
  for (let i = 0; i < sentences; i++) parts.push(`${pick(SUBJECTS)} ${pick(PROBLEMS)}.`);
  parts.push(pick(WISHES));
  return parts.join(' ').trim();
}

async function fill(db: Db, count: number): Promise<void> {
  const random = randomSource(17);
  const survey = (await SurveyRegistry.open(db, loadCatalog(path.join(projectRoot, 'surveys')))).find(SLUG)!;
  await surveyDefinitionRepository.saveDefinition(db, survey, new Date());
  const at = new Date('2026-11-01T08:00:00.000Z').toISOString();
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < count; i++) {
      const { id } = await trx
        .insertInto('responses')
        .values({ survey_slug: SLUG, definition_hash: survey.hash, language: 'tr', channel: 'online', status: 'complete', started_at: at, updated_at: at, submitted_at: at })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('answers').values({ response_id: id, question_id: QUESTION, option_id: null, text: answerText(random) }).execute();
    }
  });
}

async function median(run: () => Promise<unknown>): Promise<{ first: number; median: number }> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await run();
    times.push(performance.now() - start);
  }
  const first = times[0]!;
  return { first, median: [...times].sort((a, b) => a - b)[Math.floor(RUNS / 2)]! };
}

/** The baseline: the same answers read the same way, kept when their folded text contains the folded query. */
async function substringScan(db: Db, query: string): Promise<number> {
  const needle = foldTurkish(query.replace(/["*-]/g, ''));
  const answers = await batchRepository.questionAnswers(db, SLUG, QUESTION, 'uncoded');
  return answers.filter((answer) => foldTurkish(answer.text).includes(needle)).length;
}

async function main(): Promise<void> {
  const count = Number(process.argv.slice(2).find((arg) => Number(arg) > 0) ?? 20_000);
  const cpus = os.cpus();
  console.log(`Machine: ${cpus.length} × ${cpus[0]?.model.trim()}, Node ${process.version}. ${count} answers, median of ${RUNS} runs (first run in brackets).\n`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydas-bench-'));
  try {
    const { db } = openDatabase(path.join(dir, 'bench.sqlite'));
    await migrateToLatest(db);
    await fill(db, count);
    const rows = [['query', 'matches', 'substring scan (baseline)', 'search and preview', 'ratio', 'target']];
    for (const query of QUERIES) {
      const baseline = await median(() => substringScan(db, query));
      let matches = 0;
      const searched = await median(async () => {
        const outcome = await batchService.search(db, SLUG, QUESTION, 'uncoded', query);
        if (outcome.kind !== 'found') throw new Error(`query refused: ${query}`);
        matches = outcome.total;
      });
      rows.push([
        query,
        String(matches),
        `${baseline.median.toFixed(0)} ms (${baseline.first.toFixed(0)})`,
        `${searched.median.toFixed(0)} ms (${searched.first.toFixed(0)})`,
        `${(searched.median / baseline.median).toFixed(2)}×`,
        searched.median < 300 ? 'under 300 ms: met' : 'under 300 ms: MISSED',
      ]);
    }
    await db.destroy();
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void main();
