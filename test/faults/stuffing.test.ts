// Survey stuffing: a script that clears its cookies and posts every page of the citizen survey in
// a loop, from one address, for 30 s against a listening app with the default rate limits. Every
// response it completes must be flagged for review; people answering at a person's pace with
// their own answers from their own networks must not be. Prints the counts.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import { DEFAULT_RATE_LIMITS } from '../../server/platform/security/rate-limit';
import { QUALITY_REASONS } from '../../server/surveys/quality/quality-checks';
import { sectionFieldNames } from '../../server/surveys/survey-flow';
import { randomSource, syntheticFields } from '../../server/surveys/synthetic-responses';
import { encodeForm, hiddenFields } from '../helpers/forms';
import { validSectionFields } from '../helpers/survey-walker';
import { createTestApp, DURING_SURVEY, type TestApp } from '../helpers/test-app';

jest.setTimeout(180_000);

const LOOP_MS = 30_000;
const PEOPLE = 25;
const SLUG = 'vatandas-anketi';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let t: TestApp;
let server: Server;
let base: string;
/** The app's clock runs in real time from inside the survey's period; people move it on as they read. */
let offset = 0;
const startedAt = Date.now();

beforeAll(async () => {
  t = await createTestApp({ trustProxy: true, rateLimits: DEFAULT_RATE_LIMITS });
  Object.defineProperty(t.clock, 'now', { get: () => new Date(DURING_SURVEY.getTime() + (Date.now() - startedAt) + offset), set: () => undefined });
  server = t.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

/** One GET or POST, waiting out a 429 (whatever the limits are) and trying again. */
async function send(make: () => request.Test, counts: { refused: number }): Promise<request.Response> {
  for (;;) {
    const response = await make();
    if (response.status !== 429) return response;
    counts.refused++;
    await sleep(Math.min(5, Number(response.headers['retry-after'] ?? 1)) * 1000);
  }
}

/** The script: a fresh cookie jar, every page posted at once with the same answers; true when completed. */
async function stuffOnce(ip: string, counts: { refused: number }): Promise<boolean> {
  const agent = request.agent(base);
  let url = `/anket/${SLUG}/1`;
  const survey = t.catalog.find(SLUG)!;
  for (let step = 0; step <= survey.sections.length; step++) {
    const page = await send(() => agent.get(url).set('X-Forwarded-For', ip), counts);
    if (page.status !== 200) return false;
    const index = Number(url.split('/').pop()) - 1;
    const posted = await send(() => agent.post(url).set('X-Forwarded-For', ip).type('form').send(encodeForm({ ...hiddenFields(page.text), _nav: 'next', ...validSectionFields(survey, index) })), counts);
    if (posted.status !== 303) return false;
    const next = posted.headers.location as string;
    if (next.endsWith('/tesekkurler')) return true;
    url = next;
  }
  return false;
}

/** A person: their own answers, their own network, most of a minute on each page. */
async function person(seed: number, counts: { refused: number }): Promise<void> {
  const survey = t.catalog.find(SLUG)!;
  const fields = syntheticFields(survey, randomSource(1000 + seed));
  const ip = `10.${seed}.${seed * 7}.${20 + seed}`;
  const agent = request.agent(base);
  let url = `/anket/${SLUG}/1`;
  for (let step = 0; step <= survey.sections.length; step++) {
    const page = await send(() => agent.get(url).set('X-Forwarded-For', ip), counts);
    offset += (30 + ((seed * 13) % 40)) * 1000;
    const names = new Set(sectionFieldNames(survey, Number(url.split('/').pop()) - 1));
    const answers = Object.fromEntries(Object.entries(fields).filter(([name]) => names.has(name)));
    const posted = await send(() => agent.post(url).set('X-Forwarded-For', ip).type('form').send(encodeForm({ ...hiddenFields(page.text), _nav: 'next', ...answers })), counts);
    if (posted.status !== 303) throw new Error(`person ${seed}: POST ${url} answered ${posted.status}`);
    url = posted.headers.location as string;
    if (url.endsWith('/tesekkurler')) return;
  }
  throw new Error(`person ${seed} did not finish`);
}

const flaggedIn = async (ids: number[]) => {
  if (ids.length === 0) return new Map<string, Set<number>>();
  const rows = await t.db.selectFrom('response_flags').select(['response_id', 'reason']).where('response_id', 'in', ids).execute();
  const byReason = new Map<string, Set<number>>();
  for (const row of rows) byReason.set(row.reason, (byReason.get(row.reason) ?? new Set()).add(row.response_id));
  return byReason;
};
const describeFlags = (byReason: Map<string, Set<number>>, total: number) =>
  QUALITY_REASONS.map((reason) => `${reason} ${byReason.get(reason)?.size ?? 0}/${total}`).join(', ');

describe('survey stuffing from one address', () => {
  it('flags every response the loop completes, and none of the people’s', async () => {
    const counts = { refused: 0 };
    let loops = 0;
    let completed = 0;
    const until = Date.now() + LOOP_MS;
    while (Date.now() < until) {
      loops++;
      if (await stuffOnce('203.0.113.66', counts)) completed++;
    }
    const stuffed = (await t.db.selectFrom('responses').select('id').where('status', '=', 'complete').execute()).map((r) => r.id);
    expect(stuffed).toHaveLength(completed);
    expect(completed).toBeGreaterThan(10);
    const stuffedFlags = await flaggedIn(stuffed);
    const anyFlag = new Set([...stuffedFlags.values()].flatMap((ids) => [...ids]));

    const peopleCounts = { refused: 0 };
    for (let i = 1; i <= PEOPLE; i++) await person(i, peopleCounts);
    const people = (await t.db.selectFrom('responses').select('id').where('status', '=', 'complete').where('id', 'not in', stuffed).execute()).map((r) => r.id);
    const peopleFlags = await flaggedIn(people);
    const peopleFlagged = new Set([...peopleFlags.values()].flatMap((ids) => [...ids]));

    console.log(
      [
        `Stuffing probe: ${loops} loops in ${LOOP_MS / 1000} s, ${completed} responses completed, ${counts.refused} requests refused with 429 (waited out).`,
        `  script's responses flagged: ${anyFlag.size}/${completed} (${describeFlags(stuffedFlags, completed)})`,
        `  people's responses flagged: ${peopleFlagged.size}/${people.length} (${describeFlags(peopleFlags, people.length)})`,
      ].join('\n'),
    );
    expect(anyFlag.size).toBe(completed);
    expect(people).toHaveLength(PEOPLE);
    expect(peopleFlagged.size).toBe(0);
    // Flags exclude nothing by themselves.
    expect(await t.db.selectFrom('responses').select('id').where('excluded_at', 'is not', null).execute()).toEqual([]);
    expect(t.logged).toEqual([]);
  });
});
