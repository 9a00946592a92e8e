// npm run bench [-- --quick]: the site's speed and weight on this machine, printed as one table and
// written to bench/results.json. Servers under load run in their own processes (bench-server.ts),
// next to baselines started in the same run, so the ratios hold across machines even when the
// absolute numbers do not. --quick uses smaller data and shorter runs, for a check that it works.
import { fork, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import zlib from 'node:zlib';
import autocannon from 'autocannon';
import { meetingService } from '../server/meetings';
import { openDatabase, type Db } from '../server/platform/db/connection';
import { migrateToLatest } from '../server/platform/db/migrator';
import { createI18n } from '../server/platform/i18n/i18n';
import { loadCatalog, responseRepository, surveyDefinitionRepository, SurveyRegistry } from '../server/surveys';
import { hashToken } from '../server/surveys/response.service';
import type { FormFields } from '../server/surveys/survey-answers';
import type { Survey } from '../server/surveys/survey-definition';
import { sectionFieldNames } from '../server/surveys/survey-flow';
import { insertSyntheticResponses, randomSource, syntheticFields } from '../server/surveys/synthetic-responses';
import { addUser, logIn } from '../test/helpers/admin';
import { probeExport } from '../test/helpers/export-probe';
import { encodeForm } from '../test/helpers/forms';
import { meetingInput, signUpFields } from '../test/helpers/meetings';
import { BUNDLED_SURVEYS, createTestApp, DURING_SURVEY } from '../test/helpers/test-app';
import { measureReport, timed } from './report.bench';

const quick = process.argv.includes('--quick');
/** --http: only the page weight and the HTTP runs (2, 3, 6), for profiling the request path. */
const httpOnly = process.argv.includes('--http');
const SIZES = quick ? [1_000, 10_000] : [10_000, 100_000];
const DURATION_S = quick ? 3 : 10;
const CONNECTIONS = 20;
/** Drafts completed by the POST run: each request completes a different one. */
const POSTS = quick ? 600 : 3_000;
const SIGNUPS = 1_000;
const SEATS = 50;
const SLUG = 'vatandas-anketi';
const PAGE_BUDGET_BYTES = 30 * 1024;
const EXPORT_BUDGET_MB = 250;

interface Row {
  what: string;
  result: string;
  baseline: string;
  ratio: string;
  target: string;
  /** undefined: no target. */
  met?: boolean;
  data: Record<string, unknown>;
}
const rows: Row[] = [];
const notes: string[] = [];
/** Progress on stderr, so that the table on stdout stays one table. */
const step = (message: string) => console.error(`… ${message}`);

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const rate = (result: autocannon.Result) => `${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms`;

function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpu: cpus[0]?.model.trim(),
    ramGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.platform()} ${os.release()}`,
    // Other work on the machine moves every number here; the ratios less so.
    loadAverageAtStart: os.loadavg().map((n) => Number(n.toFixed(2))),
  };
}

// ---- servers in their own processes -------------------------------------------------------

interface Running {
  url: string;
  stop(): Promise<void>;
}

async function startServer(kind: 'app' | 'bare-get' | 'bare-post' | 'bare-page' | 'bare-post-rows', file: string, ...args: string[]): Promise<Running> {
  const child = fork(path.join(__dirname, 'bench-server.ts'), [kind, file, ...args], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message) => resolve((message as { port: number }).port));
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise((done) => {
        child.once('exit', () => done());
        child.send('stop');
      }),
  };
}

/** A free port on this machine, for a server that takes its port from the environment. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
    probe.on('error', reject);
  });
}

/**
 * The real server (server/main.ts, as `npm start` runs it, with the real clock) on `file`, with
 * WEB_CONCURRENCY workers; ready once /healthz answers. The public-post limits are raised out of
 * reach as for the app above, and counted in the database, which several processes need.
 */
async function startMain(file: string, workers: number): Promise<Running> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', 'server', 'main.ts')], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: file,
      PORT: String(port),
      BASE_URL: url,
      WEB_CONCURRENCY: String(workers),
      RATE_LIMIT_VISITOR_POSTS: '1000000',
      RATE_LIMIT_PUBLIC_POSTS: '1000000',
      RATE_LIMIT_STORE: 'database',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`server/main.ts exited with ${code}`))));
  for (let tries = 0; ; tries++) {
    const ready = await Promise.race([
      raw(`${url}/healthz`).then((r) => r.status === 200, () => false),
      exited,
    ]);
    if (ready) break;
    if (tries > 600) throw new Error('server/main.ts did not answer /healthz within a minute');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  exited.catch(() => undefined);
  return {
    url,
    stop: () =>
      new Promise((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
      }),
  };
}

async function load(options: autocannon.Options): Promise<autocannon.Result> {
  return autocannon({ connections: CONNECTIONS, timeout: 30, ...options });
}

/** A short run first: JIT, template caches and SQLite's page cache warm up before measuring. */
async function warm(url: string, options: Partial<autocannon.Options> = {}): Promise<void> {
  await load({ url, duration: 1, ...options });
}

/** Status, headers and bytes on the wire, undecoded (fetch would decompress and hide the size). */
function raw(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

const cookiesOf = (headers: http.IncomingHttpHeaders) => (headers['set-cookie'] ?? []).map((c) => c.split(';')[0]!);

// ---- data ------------------------------------------------------------------------------------

async function openFresh(file: string): Promise<{ db: Db; catalog: SurveyRegistry; survey: Survey }> {
  const { db } = openDatabase(file);
  await migrateToLatest(db);
  const catalog = await SurveyRegistry.open(db, loadCatalog(BUNDLED_SURVEYS));
  for (const each of catalog.surveys) await surveyDefinitionRepository.saveDefinition(db, each, DURING_SURVEY);
  return { db, catalog, survey: catalog.find(SLUG)! };
}

interface Draft {
  token: string;
  /** The last section's answers, posted to complete the draft. */
  last: FormFields;
}

/**
 * Drafts with every section but the last answered, written as the section posts would have left
 * them (plausible answers from syntheticFields), so that one POST of the last section completes each.
 */
async function prepareDrafts(db: Db, survey: Survey, count: number, sections: number, now = DURING_SURVEY): Promise<Draft[]> {
  const random = randomSource(11);
  const lastIndex = survey.sections.length - 1;
  const keep = new Set(survey.sections.slice(0, sections).flatMap((_, i) => sectionFieldNames(survey, i)));
  const lastNames = new Set(sectionFieldNames(survey, lastIndex));
  const drafts: Draft[] = [];
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < count; i++) {
      const fields = syntheticFields(survey, random);
      const token = crypto.randomBytes(32).toString('base64url');
      const pick = (names: Set<string>) => Object.fromEntries(Object.entries(fields).filter(([name]) => names.has(name))) as FormFields;
      await responseRepository.insertResponse(trx, { survey, tokenHash: hashToken(token), fields: pick(keep), language: 'tr', channel: 'online', now });
      drafts.push({ token, last: pick(lastNames) });
    }
  });
  return drafts;
}

/** Answer rows per completed response, rounded: what one completing post writes. */
async function averageAnswerRows(db: Db): Promise<number> {
  const row = await db
    .selectFrom('answers as a')
    .innerJoin('responses as r', 'r.id', 'a.response_id')
    .select((eb) => [eb.fn.countAll<number>().as('rows'), eb.fn.count<number>('a.response_id').distinct().as('responses')])
    .where('r.status', '=', 'complete')
    .executeTakeFirstOrThrow();
  return Math.round(Number(row.rows) / Number(row.responses));
}

const completeCount = async (db: Db) =>
  Number((await db.selectFrom('responses').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'complete').executeTakeFirstOrThrow()).n);

// ---- 1. page weight ----------------------------------------------------------------------------

async function pageWeight(url: string, cookie: string, label: string): Promise<void> {
  const page = await raw(url, { cookie });
  if (page.status !== 200) throw new Error(`GET ${url} answered ${page.status}`);
  const html = page.body.toString('utf8');
  const origin = new URL(url).origin;
  // data: URIs are inside the HTML already: no request, no extra bytes.
  const refs = (pattern: RegExp) => [...html.matchAll(pattern)].map((m) => m[1]!.replaceAll('&amp;', '&')).filter((ref) => !ref.startsWith('data:'));
  const css = refs(/<link[^>]+rel="stylesheet"[^>]*href="([^"]+)"/g);
  const icons = refs(/<link[^>]+rel="(?:icon|shortcut icon|apple-touch-icon|manifest)"[^>]*href="([^"]+)"/g);
  const js = refs(/<script[^>]*\ssrc="([^"]+)"/g);
  const images = refs(/<img[^>]*\ssrc="([^"]+)"/g);
  const size = async (ref: string) => {
    const plain = await raw(new URL(ref, origin).href);
    const gzip = await raw(new URL(ref, origin).href, { 'accept-encoding': 'gzip' });
    if (plain.status !== 200) throw new Error(`GET ${ref} answered ${plain.status}`);
    return { plain: plain.body.length, gzip: gzip.body.length };
  };
  const sum = async (list: string[]) => {
    let plain = 0;
    let gzip = 0;
    for (const ref of list) {
      const each = await size(ref);
      plain += each.plain;
      gzip += each.gzip;
    }
    return { plain, gzip };
  };
  const htmlGzip = zlib.gzipSync(page.body).length;
  const cssBytes = await sum(css);
  const jsBytes = await sum(js);
  const other = await sum([...images, ...icons]);
  const withoutJs = page.body.length + cssBytes.plain + other.plain;
  const all = withoutJs + jsBytes.plain;
  const allGzip = htmlGzip + cssBytes.gzip + jsBytes.gzip + other.gzip;
  // No JavaScript needed: the answers go in a plain POST form with a submit button, and every
  // script is an external file (the CSP forbids inline ones). test/browser/survey.browser.test.ts
  // completes the whole survey in Chromium with JavaScript turned off.
  const form = /<form[^>]*method="post"[\s\S]*?<button(?![^>]*type="button")[^>]*>[\s\S]*?<\/form>/i.test(html);
  const inlineScripts = [...html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>/g)].length;
  const noJsNeeded = form && inlineScripts === 0;
  rows.push({
    what: `1. Page weight: ${label}`,
    result: `${kb(withoutJs)} without JS (${kb(all)} with optional JS; ${kb(allGzip)} gzipped); ${1 + css.length + js.length + images.length + icons.length} requests (HTML, ${css.length} CSS, ${js.length} JS, ${images.length + icons.length} images/icons); JS needed: ${noJsNeeded ? 'no' : 'YES'}`,
    baseline: '',
    ratio: '',
    target: '< 30 KB, no JS needed',
    met: all < PAGE_BUDGET_BYTES && noJsNeeded,
    data: { url, htmlBytes: page.body.length, htmlGzipBytes: htmlGzip, css: { files: css, ...cssBytes }, js: { files: js, ...jsBytes }, images: [...images, ...icons], imageBytes: other, totalBytes: all, totalWithoutJsBytes: withoutJs, totalGzipBytes: allGzip, postForm: form, inlineScripts },
  });
}

// ---- 2, 3, 6. HTTP ------------------------------------------------------------------------------

async function httpBenchmarks(dir: string): Promise<void> {
  const file = path.join(dir, 'http.sqlite');
  const { db, survey } = await openFresh(file);
  const meetingId = await meetingService.createMeeting(db, meetingInput({ capacity: SEATS }), { userId: null, email: 'bench', ip: null }, DURING_SURVEY);
  const drafts = await prepareDrafts(db, survey, POSTS + CONNECTIONS * 2, survey.sections.length - 1);
  // The same POST run again with the rate limits counted in the database: drafts of its own.
  const databaseDrafts = await prepareDrafts(db, survey, POSTS + CONNECTIONS * 2, survey.sections.length - 1);
  // A draft with the first section answered, so that the second section (a likert matrix) shows.
  const [second] = await prepareDrafts(db, survey, 1, 1);
  const app = await startServer('app', file);
  try {
    const first = `${app.url}/anket/${SLUG}/1`;
    const draftCookie = (token: string) => `pd_draft_${SLUG}=${token}`;
    step('page weight');
    await pageWeight(first, '', `${SLUG} section 1 (profile)`);
    const pageFile = path.join(dir, 'section-1.html');
    fs.writeFileSync(pageFile, (await raw(first)).body);
    await pageWeight(`${app.url}/anket/${SLUG}/2`, draftCookie(second!.token), `${SLUG} section 2 (likert matrix)`);

    step('GET under load');
    // 2. GET: a first visit to section 1 (no cookies: the page makes the browser id and form token).
    const bareGet = await startServer('bare-get', '');
    await warm(bareGet.url);
    const baseGet = await load({ url: bareGet.url, duration: DURATION_S });
    await bareGet.stop();
    await warm(first);
    const appGet = await load({ url: first, duration: DURATION_S });
    rows.push({
      what: '2. GET survey section 1 (new visitor)',
      result: rate(appGet),
      baseline: `bare Express: ${rate(baseGet)}`,
      ratio: `${(appGet.requests.average / baseGet.requests.average).toFixed(2)}×`,
      target: '≥ 0.5× baseline',
      met: appGet.requests.average >= baseGet.requests.average / 2 && appGet.non2xx === 0 && appGet.errors === 0,
      data: { app: summary(appGet), baseline: summary(baseGet) },
    });
    // Where the time goes: the same bytes from Express as a fixed string (no work but sending them).
    const barePage = await startServer('bare-page', pageFile);
    await warm(barePage.url);
    const basePage = await load({ url: barePage.url, duration: DURATION_S });
    await barePage.stop();
    rows.push({
      what: '2. GET survey section 1, against its own bytes',
      result: rate(appGet),
      baseline: `Express sending the same ${kb(fs.statSync(pageFile).size)} as a fixed string: ${rate(basePage)}`,
      ratio: `${(appGet.requests.average / basePage.requests.average).toFixed(2)}×`,
      target: '',
      data: { app: summary(appGet), baseline: summary(basePage), pageBytes: fs.statSync(pageFile).size },
    });
    const secondUrl = `${app.url}/anket/${SLUG}/2`;
    await warm(secondUrl, { headers: { cookie: draftCookie(second!.token) } });
    const appGet2 = await load({ url: secondUrl, duration: DURATION_S, headers: { cookie: draftCookie(second!.token) } });
    rows.push({
      what: '2. GET survey section 2 (with a draft)',
      result: rate(appGet2),
      baseline: `bare Express: ${rate(baseGet)}`,
      ratio: `${(appGet2.requests.average / baseGet.requests.average).toFixed(2)}×`,
      target: '≥ 0.5× baseline',
      met: appGet2.requests.average >= baseGet.requests.average / 2 && appGet2.non2xx === 0 && appGet2.errors === 0,
      data: { app: summary(appGet2), baseline: summary(baseGet) },
    });

    // 3. POST: each request completes its own draft with the last section. One browser id and
    // form token serve them all, as they would for one person with many drafts; the draft cookie differs.
    step('POST under load');
    const visit = await raw(first);
    const browser = cookiesOf(visit.headers).join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(visit.body.toString('utf8'))![1]!;
    const bodies = drafts.map((d) => ({
      cookie: `${browser}; ${draftCookie(d.token)}`,
      body: encodeForm({ _csrf: csrf, _key: crypto.randomBytes(16).toString('base64url'), _nav: 'next', ...d.last }),
    }));
    const lastUrl = `/anket/${SLUG}/${survey.sections.length}`;
    /** POSTS posts to `url`, each completing the next of `list`; how many were stored, and drafts reused (none expected). */
    const postAll = async (url: string, list: typeof bodies, on: Db = db) => {
      let next = 0;
      let reused = 0;
      const before = await completeCount(on);
      const result = await load({
        url,
        amount: POSTS,
        requests: [
          {
            method: 'POST',
            path: lastUrl,
            setupRequest: (request) => {
              if (next >= list.length) reused++;
              const each = list[next++ % list.length]!;
              return { ...request, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: each.cookie }, body: each.body };
            },
          },
        ],
      });
      return { result, stored: (await completeCount(on)) - before, reused };
    };
    const { result: appPost, stored, reused } = await postAll(app.url, bodies);
    const barePost = await startServer('bare-post', path.join(dir, 'bare.sqlite'));
    const sample = bodies[0]!.body;
    const postOptions = { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: sample };
    await warm(barePost.url, postOptions);
    const basePost = await load({ url: barePost.url, duration: DURATION_S, ...postOptions });
    await barePost.stop();
    rows.push({
      what: '3. POST completing a response',
      result: `${rate(appPost)}; ${appPost['3xx']} redirects, ${appPost.non2xx - appPost['3xx']} other non-2xx, ${appPost.errors} errors; ${stored} of ${appPost.requests.total} stored`,
      baseline: `Express + SQLite insert: ${rate(basePost)}`,
      ratio: `${(appPost.requests.average / basePost.requests.average).toFixed(2)}×`,
      // The aim for POST is the same as for GET: half the bare baseline, every post stored.
      target: '≥ 0.5× baseline, every post stored',
      met:
        appPost.requests.average >= basePost.requests.average / 2 &&
        stored === appPost.requests.total &&
        appPost.errors === 0 &&
        appPost['3xx'] === appPost.requests.total &&
        reused === 0,
      data: { app: summary(appPost), baseline: summary(basePost), stored, draftsReused: reused },
    });
    // The same posts with the rate limits counted in the database (RATE_LIMIT_STORE=database, as
    // with several processes): two upserts a post, without an fsync, beside the response's transaction.
    step('POST under load, rate limits counted in the database');
    let databasePost: autocannon.Result | undefined;
    const databaseApp = await startServer('app', file, 'database');
    try {
      const databaseBodies = databaseDrafts.map((d) => ({ cookie: `${browser}; ${draftCookie(d.token)}`, body: encodeForm({ _csrf: csrf, _key: crypto.randomBytes(16).toString('base64url'), _nav: 'next', ...d.last }) }));
      const counted = await postAll(databaseApp.url, databaseBodies);
      databasePost = counted.result;
      const hits = await db.selectFrom('rate_limit_hits').select(['bucket', 'hits']).execute();
      rows.push({
        what: '3. POST completing a response, rate limits counted in the database',
        result: `${rate(counted.result)}; ${counted.result['3xx']} redirects, ${counted.result.non2xx - counted.result['3xx']} other non-2xx, ${counted.result.errors} errors; ${counted.stored} of ${counted.result.requests.total} stored`,
        baseline: `counted in memory (above): ${rate(appPost)}`,
        ratio: `${(counted.result.requests.average / appPost.requests.average).toFixed(2)}×`,
        target: '',
        data: { app: summary(counted.result), baseline: summary(appPost), stored: counted.stored, draftsReused: counted.reused, counts: hits.map((h) => [h.bucket.split(':')[0], Number(h.hits)]) },
      });
    } finally {
      await databaseApp.stop();
    }
    await severalProcesses(dir, survey, { get: appGet, post: databasePost! });
    await postgresPost(survey, databasePost!);

    // Where the time goes: as many rows as a completed response stores, in one transaction, into a
    // table indexed like the answers (by response, and by question and option).
    const answerRows = await averageAnswerRows(db);
    const bareRows = await startServer('bare-post-rows', path.join(dir, 'bare-rows.sqlite'), String(answerRows));
    await warm(bareRows.url, postOptions);
    const baseRows = await load({ url: bareRows.url, duration: DURATION_S, ...postOptions });
    await bareRows.stop();
    rows.push({
      what: '3. POST completing a response, against storing as many rows',
      result: rate(appPost),
      baseline: `Express + SQLite storing ${answerRows} rows in one transaction: ${rate(baseRows)}`,
      ratio: `${(appPost.requests.average / baseRows.requests.average).toFixed(2)}×`,
      target: '',
      data: { app: summary(appPost), baseline: summary(baseRows), rowsPerPost: answerRows },
    });

    // 6. 1,000 residents sign up for 50 seats at the same moment, each from their own browser.
    step(`${SIGNUPS} meeting sign-ups`);
    const meetingUrl = `${app.url}/bulusmalar/${meetingId}`;
    const residents: { cookie: string; fields: ReturnType<typeof signUpFields> }[] = [];
    for (let start = 0; start < SIGNUPS; start += 50) {
      const pages = await Promise.all(Array.from({ length: Math.min(50, SIGNUPS - start) }, () => raw(meetingUrl)));
      for (const page of pages) residents.push({ cookie: cookiesOf(page.headers).join('; '), fields: signUpFields(page.body.toString('utf8')) });
    }
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    const began = performance.now();
    await Promise.all(
      residents.map(async (resident, i) => {
        const start = performance.now();
        try {
          const response = await fetch(meetingUrl, {
            method: 'POST',
            redirect: 'manual',
            headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: resident.cookie },
            body: new URLSearchParams({
              ...resident.fields,
              name: `Sakin ${i}`,
              phone: `0532 ${String(10000000 + i).slice(1, 4)} ${String(10000000 + i).slice(4, 6)} ${String(10000000 + i).slice(6)}`,
              email: `sakin${i}@example.org`,
              mahalle: 'ataturk',
            }).toString(),
          });
          await response.arrayBuffer();
          statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        } catch (error) {
          statuses.error = (statuses.error ?? 0) + 1;
          if (statuses.error === 1) console.error('sign-up failed:', error);
        }
        latencies.push(performance.now() - start);
      }),
    );
    const wallMs = performance.now() - began;
    const registrations = await db.selectFrom('meeting_registrations').select(['status']).where('meeting_id', '=', meetingId).execute();
    const confirmed = registrations.filter((r) => r.status === 'confirmed').length;
    const waitlisted = registrations.filter((r) => r.status === 'waitlisted').length;
    const errors = SIGNUPS - (statuses['303'] ?? 0);
    latencies.sort((a, b) => a - b);
    const p99 = latencies[Math.ceil(latencies.length * 0.99) - 1]!;
    rows.push({
      what: `6. ${SIGNUPS} simultaneous sign-ups, ${SEATS} seats`,
      result: `${confirmed} confirmed, ${waitlisted} waitlisted, ${errors} errors; p99 ${Math.round(p99)} ms, all done in ${(wallMs / 1000).toFixed(1)} s`,
      baseline: '',
      ratio: '',
      target: `${SEATS} confirmed, no errors`,
      met: confirmed === SEATS && waitlisted === SIGNUPS - SEATS && errors === 0,
      data: { confirmed, waitlisted, statuses, p50Ms: latencies[Math.floor(latencies.length / 2)], p99Ms: p99, maxMs: latencies.at(-1), wallMs },
    });
  } finally {
    await app.stop();
    await db.destroy();
  }
}

/**
 * The same GET and POST against server/main.ts with WEB_CONCURRENCY=2 (two workers on one SQLite
 * file, rate limits counted in the database as several processes need), beside the single process
 * above. On a 2-core machine autocannon shares the cores with both workers.
 */
async function severalProcesses(dir: string, survey: Survey, single: { get: autocannon.Result; post: autocannon.Result }): Promise<void> {
  step('WEB_CONCURRENCY=2: GET and POST under load');
  const file = path.join(dir, 'cluster.sqlite');
  const { db } = await openFresh(file);
  // The real server runs on the real clock: drafts saved now, or they would have expired.
  const drafts = await prepareDrafts(db, survey, POSTS + CONNECTIONS * 2, survey.sections.length - 1, new Date());
  const server = await startMain(file, 2);
  try {
    const first = `${server.url}/anket/${SLUG}/1`;
    await warm(first);
    const get = await load({ url: first, duration: DURATION_S });
    rows.push({
      what: '2. GET survey section 1, WEB_CONCURRENCY=2',
      result: `${rate(get)}; ${get.non2xx} non-2xx, ${get.errors} errors`,
      baseline: `one process (above): ${rate(single.get)}`,
      ratio: `${(get.requests.average / single.get.requests.average).toFixed(2)}×`,
      target: '',
      data: { app: summary(get), baseline: summary(single.get) },
    });
    const { post, stored } = await postDrafts(server.url, db, survey, drafts);
    rows.push({
      what: '3. POST completing a response, WEB_CONCURRENCY=2',
      result: `${rate(post)}; ${post['3xx']} redirects, ${post.non2xx - post['3xx']} other non-2xx, ${post.errors} errors; ${stored} of ${post.requests.total} stored`,
      baseline: `one process, limits counted in the database (above): ${rate(single.post)}`,
      ratio: `${(post.requests.average / single.post.requests.average).toFixed(2)}×`,
      target: '',
      data: { app: summary(post), baseline: summary(single.post), stored },
    });
  } finally {
    await server.stop();
    await db.destroy();
  }
}

/** Completes POSTS drafts against a running server/main.ts, as a crowd of browsers would. */
async function postDrafts(serverUrl: string, db: Db, survey: Survey, drafts: Draft[]): Promise<{ post: autocannon.Result; stored: number }> {
  const first = `${serverUrl}/anket/${SLUG}/1`;
  const visit = await raw(first);
  const browser = cookiesOf(visit.headers).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(visit.body.toString('utf8'))![1]!;
  let next = 0;
  const before = await completeCount(db);
  const post = await load({
    url: serverUrl,
    amount: POSTS,
    requests: [
      {
        method: 'POST',
        path: `/anket/${SLUG}/${survey.sections.length}`,
        setupRequest: (request) => {
          const each = drafts[next++ % drafts.length]!;
          const body = encodeForm({ _csrf: csrf, _key: crypto.randomBytes(16).toString('base64url'), _nav: 'next', ...each.last });
          return { ...request, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${browser}; pd_draft_${SLUG}=${each.token}` }, body };
        },
      },
    ],
  });
  const stored = (await completeCount(db)) - before;
  return { post, stored };
}

/**
 * The POST row on PostgreSQL, when BENCH_DATABASE_URL=postgres://… names an empty database (it is
 * migrated and filled with drafts): server/main.ts in one process, limits counted in the
 * database, beside the same on SQLite above.
 */
async function postgresPost(survey: Survey, sqlite: autocannon.Result): Promise<void> {
  const url = process.env.BENCH_DATABASE_URL;
  if (!url || !/^postgres(ql)?:\/\//.test(url)) {
    rows.push({ what: '3. POST completing a response, PostgreSQL', result: 'skipped: BENCH_DATABASE_URL=postgres://… not set', baseline: '', ratio: '', target: '', data: {} });
    return;
  }
  step('POST under load on PostgreSQL');
  const { db } = await openFresh(url);
  const drafts = await prepareDrafts(db, survey, POSTS + CONNECTIONS * 2, survey.sections.length - 1, new Date());
  const server = await startMain(url, 1);
  try {
    await warm(`${server.url}/anket/${SLUG}/1`);
    const { post, stored } = await postDrafts(server.url, db, survey, drafts);
    rows.push({
      what: '3. POST completing a response, PostgreSQL',
      result: `${rate(post)}; ${post['3xx']} redirects, ${post.non2xx - post['3xx']} other non-2xx, ${post.errors} errors; ${stored} of ${post.requests.total} stored`,
      baseline: `SQLite, one process, limits counted in the database (above): ${rate(sqlite)}`,
      ratio: `${(post.requests.average / sqlite.requests.average).toFixed(2)}×`,
      target: '',
      data: { app: summary(post), baseline: summary(sqlite), stored },
    });
  } finally {
    await server.stop();
    await db.destroy();
  }
}

function summary(result: autocannon.Result): Record<string, unknown> {
  return {
    requestsPerSecond: result.requests.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    requests: result.requests.total,
    durationS: result.duration,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([code, s]) => [code, s.count])),
  };
}

// ---- 4, 5. volume ------------------------------------------------------------------------------

async function volumeBenchmarks(dir: string): Promise<void> {
  const i18n = createI18n();
  let largest = '';
  for (const count of SIZES) {
    step(`${count} responses: fill, results, report`);
    const file = path.join(dir, `volume-${count}.sqlite`);
    const { db, catalog, survey } = await openFresh(file);
    const filling = performance.now();
    await insertSyntheticResponses(db, survey, { count, seed: 7 });
    const fillMs = performance.now() - filling;
    const timings = await measureReport(db, catalog, i18n);
    // The results page over HTTP, as a logged-in planner sees it (in this process, through supertest).
    const t = await createTestApp({ databaseFile: file });
    let pageMs: number;
    try {
      const agent = await logIn(t, await addUser(t, 'admin'));
      const url = `/admin/surveys/${SLUG}/results`;
      const check = await agent.get(url);
      if (check.status !== 200) throw new Error(`results page answered ${check.status}`);
      pageMs = await timed(() => agent.get(url));
      if (t.logged.length > 0) throw new Error(`the app logged errors: ${String(t.logged[0])}`);
    } finally {
      await t.close();
    }
    const big = count === SIZES.at(-1);
    rows.push({
      what: `4. Results and report, ${count.toLocaleString('en')} responses`,
      result: `results page ${Math.round(pageMs)} ms (service ${Math.round(timings.resultsMs)} ms); whole report ${Math.round(timings.reportMs)} ms; DOCX ${Math.round(timings.docxMs)} ms`,
      baseline: `results service ${Math.round(timings.resultsMs)} ms`,
      ratio: `report ${(timings.reportMs / timings.resultsMs).toFixed(2)}×`,
      target: big && !quick ? 'report < 2 s' : '',
      met: big && !quick ? timings.reportMs < 2000 : undefined,
      data: { responses: count, fillMs, resultsPageMs: pageMs, ...timings },
    });
    if (big) notes.push(await distributionNote(db, survey));
    await db.destroy();
    largest = file;
  }
  // 5. Exports of the largest set, each in its own process so that its peak memory is its own
  // (the same probe as test/analysis/export-memory.test.ts).
  for (const format of ['csv', 'xlsx'] as const) {
    step(`${format} export`);
    const probe = probeExport(largest, SLUG, format);
    const peakMb = probe.maxRssKb / 1024;
    rows.push({
      what: `5. ${format.toUpperCase()} export, ${probe.rows.toLocaleString('en')} responses`,
      result: `${(probe.ms / 1000).toFixed(1)} s, ${(probe.bytes / 2 ** 20).toFixed(1)} MB file, peak RSS ${Math.round(peakMb)} MB (${Math.round(probe.startRssKb / 1024)} MB of it before the first row)`,
      baseline: '',
      ratio: '',
      target: `peak < ${EXPORT_BUDGET_MB} MB`,
      met: peakMb < EXPORT_BUDGET_MB && probe.rows === SIZES.at(-1),
      data: { ...probe, peakMb },
    });
  }
}

/** Whether the synthetic answers look like real ones: skewed options, scale answers leaning up. */
async function distributionNote(db: Db, survey: Survey): Promise<string> {
  const likert = survey.sections.flatMap((s) => s.questions).find((q) => q.kind === 'likert_matrix')!;
  const points = await db
    .selectFrom('answers')
    .select(['value', (eb) => eb.fn.countAll<number>().as('n')])
    .where('question_id', '=', likert.id)
    .groupBy('value')
    .orderBy('value')
    .execute();
  const total = points.reduce((sum, p) => sum + Number(p.n), 0);
  const shares = points.map((p) => `${p.value ?? 'n/a'}: ${((100 * Number(p.n)) / total).toFixed(0)}%`).join(', ');
  return `Synthetic data, ${likert.id} (likert) answers by scale point: ${shares}.`;
}

// ---- table -------------------------------------------------------------------------------------

function printTable(info: Record<string, unknown>): void {
  console.log('');
  console.log(`Machine: ${info.cores} × ${info.cpu}, ${info.ramGiB} GiB RAM, Node ${info.node}, ${info.os}; load average at start ${(info.loadAverageAtStart as number[]).join(' ')}${quick ? '  (--quick)' : ''}`);
  console.log(`Load: autocannon, ${CONNECTIONS} connections, ${DURATION_S} s per run, servers in their own processes; public-post rate limits raised for the run.`);
  const header = ['measure', 'Paydaş', 'baseline (same run)', 'ratio', 'target', 'met'];
  // Numbered as in the issue; measured in another order (the HTTP runs share one database).
  const ordered = [...rows].sort((a, b) => parseInt(a.what, 10) - parseInt(b.what, 10));
  const table = [header, ...ordered.map((r) => [r.what, r.result, r.baseline, r.ratio, r.target, r.met === undefined ? '' : r.met ? 'yes' : 'NO'])];
  const widths = header.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
  for (const [i, row] of table.entries()) {
    console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join(' | ').trimEnd());
    if (i === 0) console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  }
  for (const note of notes) console.log(note);
}

async function main(): Promise<void> {
  const info = machine();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydas-bench-'));
  const started = performance.now();
  try {
    await httpBenchmarks(dir);
    if (!httpOnly) await volumeBenchmarks(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  printTable(info);
  const results = { measuredAt: new Date().toISOString(), quick, machine: info, totalSeconds: (performance.now() - started) / 1000, rows, notes };
  fs.writeFileSync(path.join(__dirname, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nWritten to bench/results.json in ${Math.round(results.totalSeconds)} s.`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
