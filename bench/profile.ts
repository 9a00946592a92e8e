// npm run bench:profile -- get|post [seconds]: the app under autocannon load with `node --cpu-prof`,
// then the profile's self time summed by area and by function (top 25), to see where a request's
// time goes. The app runs as in `npm run bench` (bench-server.ts, its own process); the profile is
// kept in the printed folder for Chrome DevTools or speedscope.
import { fork } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { openDatabase, type Db } from '../server/platform/db/connection';
import { migrateToLatest } from '../server/platform/db/migrator';
import { loadCatalog, responseRepository, surveyDefinitionRepository, SurveyRegistry } from '../server/surveys';
import { hashToken } from '../server/surveys/response.service';
import type { FormFields } from '../server/surveys/survey-answers';
import type { Survey } from '../server/surveys/survey-definition';
import { sectionFieldNames } from '../server/surveys/survey-flow';
import { randomSource, syntheticFields } from '../server/surveys/synthetic-responses';
import { encodeForm } from '../test/helpers/forms';
import { BUNDLED_SURVEYS, DURING_SURVEY } from '../test/helpers/test-app';

const SLUG = 'vatandas-anketi';
const mode = process.argv[2] === 'post' ? 'post' : 'get';
const seconds = Number(process.argv[3] ?? 10);
const SKIP_US = Number(process.env.PROFILE_SKIP_S ?? 4) * 1e6;

interface Node {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
}

/** Which part of the stack a frame belongs to, by its file. */
function area(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : `native ${name}`;
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (m) return m[1]!;
  if (url.startsWith('node:')) return url;
  const own = /\/(server|views|test|bench)\/(.*)$/.exec(url);
  if (own) return `${own[1]}/${own[2]!.split('/').slice(0, -1).join('/') || '.'}/${path.basename(own[2]!)}`;
  if (url.includes('.ejs')) return 'ejs template';
  return url;
}

export function summarise(file: string): string {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // Start-up (loading modules) and the one-second warm-up are not the request path: the first
  // seconds of samples are left out.
  let elapsed = 0;
  const counted = profile.timeDeltas.map((delta) => (elapsed += delta) > SKIP_US);
  profile.timeDeltas = profile.timeDeltas.map((delta, i) => (counted[i] ? delta : 0));
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  let total = 0;
  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of self) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    total += us;
    const a = area(url, functionName);
    areas.set(a, (areas.get(a) ?? 0) + us);
    const f = `${functionName || '(anonymous)'} ${url ? `${url.replace(/^.*\/(node_modules|server|views)\//, '$1/')}:${lineNumber + 1}` : ''}`;
    functions.set(f, (functions.get(f) ?? 0) + us);
  }
  // Inclusive time: each sample counts once for every distinct function on its stack.
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inclusive = new Map<string, number>();
  const label = (n: Node) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(node_modules|server|views)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
  profile.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const n = byId.get(at)!;
      if (!n.callFrame.url) continue;
      seen.add(label(n));
    }
    for (const k of seen) inclusive.set(k, (inclusive.get(k) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  const top = (map: Map<string, number>, count = 25) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, count)
      .map(([k, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${k}`)
      .join('\n');
  return `total ${(total / 1e6).toFixed(1)} s sampled\n-- self time by area --\n${top(areas)}\n-- self time by function --\n${top(functions)}\n-- inclusive time by function (top 60) --\n${top(inclusive, 60)}`;
}

async function prepare(file: string, drafts: number): Promise<{ db: Db; survey: Survey; bodies: { token: string; last: FormFields }[] }> {
  const { db } = openDatabase(file);
  await migrateToLatest(db);
  const catalog = await SurveyRegistry.open(db, loadCatalog(BUNDLED_SURVEYS));
  for (const each of catalog.surveys) await surveyDefinitionRepository.saveDefinition(db, each, DURING_SURVEY);
  const survey = catalog.find(SLUG)!;
  const random = randomSource(11);
  const lastIndex = survey.sections.length - 1;
  const keep = new Set(survey.sections.slice(0, lastIndex).flatMap((_, i) => sectionFieldNames(survey, i)));
  const lastNames = new Set(sectionFieldNames(survey, lastIndex));
  const bodies: { token: string; last: FormFields }[] = [];
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < drafts; i++) {
      const fields = syntheticFields(survey, random);
      const token = crypto.randomBytes(32).toString('base64url');
      const pick = (names: Set<string>) => Object.fromEntries(Object.entries(fields).filter(([name]) => names.has(name))) as FormFields;
      await responseRepository.insertResponse(trx, { survey, tokenHash: hashToken(token), fields: pick(keep), language: 'tr', channel: 'online', now: DURING_SURVEY });
      bodies.push({ token, last: pick(lastNames) });
    }
  });
  return { db, survey, bodies };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydas-profile-'));
  const file = path.join(dir, 'profile.sqlite');
  const posts = mode === 'post' ? seconds * 150 : 0;
  const { db, survey, bodies } = await prepare(file, posts + 100);
  const child = fork(path.join(__dirname, 'bench-server.ts'), ['app', file], {
    execArgv: ['--import', 'tsx', '--cpu-prof', '--cpu-prof-dir', dir],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve) => child.once('message', (m) => resolve((m as { port: number }).port)));
  const url = `http://127.0.0.1:${port}`;
  const first = `${url}/anket/${SLUG}/1`;
  let result: autocannon.Result;
  if (mode === 'get') {
    await autocannon({ url: first, connections: 20, duration: 1 });
    result = await autocannon({ url: first, connections: 20, duration: seconds });
  } else {
    const page = await fetch(first);
    const browser = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())![1]!;
    let next = 0;
    result = await autocannon({
      url,
      connections: 20,
      amount: posts,
      requests: [
        {
          method: 'POST',
          path: `/anket/${SLUG}/${survey.sections.length}`,
          setupRequest: (request) => {
            const each = bodies[next++ % bodies.length]!;
            return {
              ...request,
              headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${browser}; pd_draft_${SLUG}=${each.token}` },
              body: encodeForm({ _csrf: csrf, _key: crypto.randomBytes(16).toString('base64url'), _nav: 'next', ...each.last }),
            };
          },
        },
      ],
    });
  }
  await new Promise<void>((done) => {
    child.once('exit', () => done());
    child.send('stop');
  });
  await db.destroy();
  console.log(`${mode.toUpperCase()}: ${Math.round(result.requests.average)} req/s, p99 ${result.latency.p99} ms, ${result.non2xx} non-2xx (${result['3xx']} redirects), ${result.errors} errors`);
  const profile = fs.readdirSync(dir).find((f) => f.endsWith('.cpuprofile'))!;
  console.log(summarise(path.join(dir, profile)));
  console.log(`profile: ${path.join(dir, profile)}`);
}

if (require.main === module) {
  if (process.argv[2]?.endsWith('.cpuprofile')) console.log(summarise(process.argv[2]));
  else void main();
}
