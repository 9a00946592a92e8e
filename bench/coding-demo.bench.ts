// A planner coding the demo consultation's open answers at scale, as issue 17 asks: the demo seeded
// with N citizen responses (default 5,000), then, question by question, a Turkish search per theme
// of the demo codebook applied to every match (in pages of what the search page shows), then the
// proposed groups of what is left, the largest named into new themes, until 90 % is coded.
// Prints the coverage after each step, each apply's time (the baseline being the time to read the
// question's answers in the same run), and the report's T13 note at the end.
// Run: npx tsx bench/coding-demo.bench.ts [-- 5000]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { codingRepository, segmentRepository } from '../server/analysis/coding';
import * as batchRepository from '../server/analysis/coding/coding-batch.repository';
import * as batchService from '../server/analysis/coding/coding-batch.service';
import { proposeGroups } from '../server/analysis/coding/answer-groups';
import * as groupsRepository from '../server/analysis/coding/groups.repository';
import * as groupsService from '../server/analysis/coding/groups.service';
import { currentReport } from '../server/analysis/report/current-report';
import { tablesOf } from '../server/analysis/report/report-model';
import { loadConfig } from '../server/config';
import { seedDemoData } from '../server/demo/demo-data';
import { openSqliteDatabase } from '../server/platform/db/connection';
import { migrateToLatest } from '../server/platform/db/migrator';
import { createI18n } from '../server/platform/i18n/i18n';
import { createMailer } from '../server/platform/mail/mailer';
import { projectRoot } from '../server/platform/paths';
import { allQuestions, loadCatalog, surveyDefinitionRepository, SurveyRegistry } from '../server/surveys';

const RESPONSES = Number(process.argv[2] ?? 5000);
const SLUG = 'vatandas-anketi';
/** The share the issue asks to reach. */
const TARGET = 0.9;
/** A group smaller than this is left for one-at-a-time coding. */
const MIN_GROUP = 15;
/** What a planner types for each theme of the demo codebook (Turkish search syntax: stems, "phrases", word*). */
const QUERIES: Record<string, string[]> = {
  'Kaldırım ve yol bakımı': ['kaldırım', 'asfalt', 'çukur', 'yol* -otobüs -bisiklet'],
  'Çöp toplama ve temizlik': ['çöp', 'konteyner', 'atık', 'süpürülmüyor'],
  'Toplu taşıma ve otopark': ['otobüs', 'sefer', 'otopark', 'park yeri', 'durak*', 'minibüs', '"toplu taşıma"'],
  'Park ve yeşil alanlar': ['park -otopark -"park yeri" -"park ediyor"', 'ağaç', '"yeşil alan"', 'bahçe', 'oyuncak*'],
  'Gençlik ve spor alanları': ['spor', 'genç*', 'saha*', 'bisiklet'],
  'Sokak hayvanları': ['hayvan*', 'köpek*', 'kedi*', 'barınak', 'mama'],
  'Engelli erişimi': ['engelli*', 'rampa', 'tekerlekli', 'erişim*'],
  'Kültür ve sanat mekânları': ['kültür', 'kütüphane', 'konser', 'tiyatro', 'sinema', 'sanat'],
  'Belediyeyle iletişim': ['telefon*', 'başvuru*', 'ulaşmak', '"beyaz masa"', 'yanıt', 'iletişim'],
};

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydas-coding-demo-'));
  const { db, sqlite } = openSqliteDatabase(path.join(dir, 'demo.sqlite'));
  try {
    await migrateToLatest(db);
    const catalog = await SurveyRegistry.open(db, loadCatalog(path.join(projectRoot, 'surveys')));
    const now = new Date();
    for (const survey of catalog.surveys) await surveyDefinitionRepository.saveDefinition(db, survey, now);
    const i18n = createI18n();
    const config = loadConfig();
    const mailer = createMailer({ i18n, locals: { municipality: catalog.municipality, baseUrl: config.baseUrl }, timeZone: config.timeZone, secret: 'bench-secret-long-enough-for-hmac-0123456789', cache: true });
    const seeded = await seedDemoData(db, catalog, { now, citizenResponses: RESPONSES, mailer, baseUrl: config.baseUrl, secret: 'bench-secret-long-enough-for-hmac-0123456789', i18n, timeZone: config.timeZone });
    if (seeded.kind !== 'seeded') throw new Error(`demo refused: ${seeded.kind}`);
    const survey = catalog.find(SLUG)!;
    const actor = { userId: null, email: 'bench', ip: null };
    const themes = await codingRepository.themes(db, SLUG);
    const openQuestions = allQuestions(survey).filter((q) => q.kind === 'long_text');

    const coverage = async () => (await segmentRepository.coverage(db, SLUG)).total;
    const line = async (step: string) => {
      const c = await coverage();
      console.log(`${step.padEnd(58)} coded ${String(c.coded).padStart(5)} of ${c.answers} (${((100 * c.coded) / c.answers).toFixed(1)} %)`);
      return c.coded / c.answers;
    };
    await line('demo seeded (the demo codes 300 by hand)');
    const applyTimes: { n: number; ms: number; readMs: number }[] = [];

    for (const question of openQuestions) {
      for (const theme of themes) {
        for (const query of QUERIES[theme.name] ?? []) {
          // The search page shows at most SHOWN_MAX matches; applying them brings the next ones into view.
          for (;;) {
            const t0 = performance.now();
            await batchRepository.questionAnswers(db, SLUG, question.id, 'uncoded');
            const readMs = performance.now() - t0;
            const found = await batchService.search(db, SLUG, question.id, 'uncoded', query);
            if (found.kind !== 'found') throw new Error(`query refused: ${query}`);
            if (found.matches.length === 0) break;
            const t1 = performance.now();
            const applied = await batchService.applyThemes(db, { surveySlug: SLUG, questionId: question.id, query, answerIds: found.matches.map((m) => m.answerId), themeIds: [theme.id] }, actor, new Date());
            if (applied.kind !== 'applied') throw new Error(`apply refused: ${applied.kind}`);
            applyTimes.push({ n: applied.count, ms: performance.now() - t1, readMs });
          }
        }
      }
      await line(`searched and applied: ${question.id}`);
    }

    // What the searches left: proposed groups, the largest named as new themes (topics the codebook
    // had no theme for come up here), while a group of at least MIN_GROUP answers remains.
    let round = 0;
    while (round < 6) {
      round++;
      let named = 0;
      for (const question of openQuestions) {
        const answers = await groupsRepository.uncodedAnswers(db, SLUG, question.id);
        if (answers.length === 0) continue;
        const t0 = performance.now();
        const proposal = proposeGroups(answers);
        const ms = performance.now() - t0;
        const biggest = [...proposal.groups].sort((a, b) => b.size - a.size)[0];
        if (!biggest || biggest.size < MIN_GROUP) continue;
        const name = `${biggest.topTerms.slice(0, 2).join(', ')} (${question.id}, ${round})`;
        const saved = await groupsService.themeFromGroup(db, SLUG, question.id, { name, areaId: null, swotKind: null, keywords: [] }, biggest.memberIds, actor, new Date());
        if (saved.kind === 'saved') named++;
        console.log(`  groups for ${String(answers.length).padStart(4)} uncoded answers of ${question.id}: ${proposal.groups.length} in ${ms.toFixed(0)} ms; named "${name}" (${biggest.size})`);
      }
      await line(`proposed groups, round ${round}`);
      if (named === 0) break;
    }

    const reached = (await coverage()).coded / (await coverage()).answers;
    console.log(`\n${reached >= TARGET ? 'reached' : 'DID NOT reach'} ${TARGET * 100} % coded: ${(reached * 100).toFixed(1)} %`);

    // One apply of a theme to every answer of the largest question, as one transaction, then its undo.
    const largest = openQuestions.map((q) => ({ q, n: 0 }));
    for (const entry of largest) entry.n = (await batchRepository.questionAnswers(db, SLUG, entry.q.id, 'all')).length;
    const widest = largest.sort((a, b) => b.n - a.n)[0]!;
    const everyone = await batchRepository.questionAnswers(db, SLUG, widest.q.id, 'all');
    const benchTheme = await codingRepository.insertTheme(db, SLUG, { name: 'Bench', areaId: null, swotKind: null, keywords: [] }, new Date());
    const tRead = performance.now();
    await batchRepository.questionAnswers(db, SLUG, widest.q.id, 'all');
    const readAll = performance.now() - tRead;
    const tApply = performance.now();
    const all = await batchService.applyThemes(db, { surveySlug: SLUG, questionId: widest.q.id, query: '*', answerIds: everyone.map((a) => a.id), themeIds: [benchTheme] }, actor, new Date());
    const applyAll = performance.now() - tApply;
    if (all.kind !== 'applied') throw new Error(`apply refused: ${all.kind}`);
    const tUndo = performance.now();
    const undone = await batchService.undoBatch(db, SLUG, all.batchId, actor, new Date());
    const undoAll = performance.now() - tUndo;
    console.log(`one apply to all ${all.count} answers of ${widest.q.id}: ${applyAll.toFixed(0)} ms (${(applyAll / readAll).toFixed(1)} × reading them, ${readAll.toFixed(0)} ms); undo: ${undoAll.toFixed(0)} ms (${undone.kind})`);

    const total = applyTimes.reduce((s, a) => s + a.n, 0);
    const slowest = applyTimes.reduce((m, a) => (a.ms > m.ms ? a : m), { n: 0, ms: 0, readMs: 1 });
    console.log(`\n${applyTimes.length} applies, ${total} answers; slowest apply: ${slowest.n} answers in ${slowest.ms.toFixed(0)} ms (${(slowest.ms / slowest.readMs).toFixed(2)} × reading the question's answers, ${slowest.readMs.toFixed(0)} ms)`);
    const { report } = await currentReport({ db, catalog, i18n, timeZone: config.timeZone, now: () => new Date() });
    const t13 = tablesOf(report).find((t) => t.id === 'T13')!;
    const t16 = tablesOf(report).find((t) => t.id === 'T16')!;
    console.log(`T13: ${t13.rows.length} themes; note: ${t13.notes.join(' ')}`);
    console.log(`T16 note: ${t16.notes.at(-1)}`);
  } finally {
    await db.destroy();
    if (sqlite.open) sqlite.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
