// A crowd behind one address is people: Turkish mobile carriers put many phones behind one public
// address (CGNAT). Under the default limits, 300 phones answering the citizen survey at a person's
// pace within a few minutes and 1,020 residents signing up for one meeting at the same moment,
// all from one address, get no 429; a flood past the address's ceiling still does. All over real
// HTTP from this machine's one address (127.0.0.1), on the test's fixed clock.
import crypto from 'node:crypto';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { DEFAULT_RATE_LIMITS } from '../../server/platform/security/rate-limit';
import { serve } from '../helpers/browser';
import { answerSection } from '../helpers/forms';
import { scheduleMeeting, signUpFields } from '../helpers/meetings';
import { validSectionFields } from '../helpers/survey-walker';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let server: { url: string; close: () => Promise<void> };
beforeEach(async () => {
  t = await createTestApp({ rateLimits: DEFAULT_RATE_LIMITS });
  server = await serve(t);
});
afterEach(async () => {
  await server.close();
  expect(t.logged).toEqual([]);
  // Nor a word from the rate limiter about its set-up.
  expect(t.warnings).toEqual([]);
  await t.close();
});

/** A fixed sequence, so every run is the same crowd. */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2 ** 31;
    return x / 2 ** 31;
  };
}

/** At most `width` at a time, in order. */
async function inBatches<T>(count: number, width: number, run: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let start = 0; start < count; start += width) {
    results.push(...(await Promise.all(Array.from({ length: Math.min(width, count - start) }, (_, k) => run(start + k)))));
  }
  return results;
}

/** The most posts any 60 seconds held: what a per-address limit per minute would have had to allow. */
function busiestMinute(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 60_000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

it('lets 300 phones behind one address answer the 7-page citizen survey at a person’s pace within a few minutes, without a 429', async () => {
  const survey = t.catalog.find('vatandas-anketi')!;
  expect(survey.sections).toHaveLength(7);
  const start = t.clock.now.getTime();
  const next = random(19);
  interface Phone {
    agent: TestAgent;
    url: string;
    /** When this phone posts next, in seconds after the SMS went out. */
    at: number;
    /** How long its person takes over each page, drawn up front so every run is the same. */
    paces: number[];
    posts: number[];
    done: boolean;
  }
  // After the SMS, people open the link over two minutes; each page takes them 10–25 s to read and answer.
  const pace = () => 10 + Math.floor(next() * 16);
  const phones: Phone[] = Array.from({ length: 300 }, (_, i) => {
    const paces = Array.from({ length: 7 }, pace);
    return { agent: request.agent(server.url), url: `/anket/${survey.slug}/1`, at: Math.floor(i * 0.4) + paces[0]!, paces, posts: [], done: false };
  });
  const statuses = new Map<number, number>();

  while (phones.some((p) => !p.done)) {
    const at = Math.min(...phones.filter((p) => !p.done).map((p) => p.at));
    t.clock.now = new Date(start + at * 1000);
    // The phones whose moment it is post at the same time.
    await Promise.all(
      phones
        .filter((p) => !p.done && p.at === at)
        .map(async (phone) => {
          const index = Number(phone.url.split('/').pop()) - 1;
          const { response } = await answerSection(phone.agent, phone.url, validSectionFields(survey, index));
          phone.posts.push(t.clock.now.getTime());
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          const location = response.headers.location ?? '';
          if (response.status !== 303 || location.endsWith('/tesekkurler')) phone.done = true;
          else {
            phone.url = location;
            phone.at += phone.paces[phone.posts.length]!;
          }
        }),
    );
  }

  // Every post went through; every phone posted its 7 pages and finished.
  expect(Object.fromEntries(statuses)).toEqual({ 303: 300 * 7 });
  expect(phones.every((p) => p.posts.length === 7)).toBe(true);
  const complete = await t.db.selectFrom('responses').select((eb) => eb.fn.countAll<number>().as('n')).where('survey_slug', '=', survey.slug).where('status', '=', 'complete').executeTakeFirstOrThrow();
  expect(Number(complete.n)).toBe(300);

  // It was a person's pace, within a few minutes, and a crowd the old limit (300 posts a minute
  // per address) refused: the busiest minute held well over that.
  const gaps = phones.flatMap((p) => p.posts.slice(1).map((time, i) => time - p.posts[i]!));
  expect(Math.min(...gaps)).toBeGreaterThanOrEqual(10_000);
  const last = Math.max(...phones.flatMap((p) => p.posts));
  expect(last - start).toBeLessThan(5 * 60_000);
  const busiest = busiestMinute(phones.flatMap((p) => p.posts));
  expect(busiest).toBeGreaterThan(2 * 300);
  expect(busiest).toBeLessThan(DEFAULT_RATE_LIMITS.publicPostsPerMinute);
  console.log(`CGNAT survey: 300 phones, 2,100 posts in ${Math.round((last - start) / 1000)} s, busiest minute ${busiest} posts, no 429`);
}, 180_000);

it('lets 1,020 residents on one address sign up for a meeting at the same moment, without a 429', async () => {
  const id = await scheduleMeeting(t, { capacity: 500 });
  // Each resident's phone opens the page (its own browser, its own form), then all press "Sign up" at once.
  const forms = await inBatches(1020, 100, async () => {
    const page = await fetch(`${server.url}/bulusmalar/${id}`);
    expect(page.status).toBe(200);
    const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    return { cookie, fields: signUpFields(await page.text()) };
  });
  expect(new Set(forms.map((f) => f.cookie)).size).toBe(1020);

  const responses = await Promise.all(
    forms.map(({ cookie, fields }, i) =>
      fetch(`${server.url}/bulusmalar/${id}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
        body: new URLSearchParams({ ...fields, name: `Sakin ${i}`, phone: '', email: `sakin${i}@example.org`, mahalle: 'ataturk' }).toString(),
      }),
    ),
  );

  const statuses = new Map<number, number>();
  for (const r of responses) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  expect(Object.fromEntries(statuses)).toEqual({ 303: 1020 });
  const rows = await t.db.selectFrom('meeting_registrations').select(['status']).where('meeting_id', '=', id).execute();
  expect(rows.filter((r) => r.status === 'confirmed')).toHaveLength(500);
  expect(rows.filter((r) => r.status === 'waitlisted')).toHaveLength(520);
}, 180_000);

it('still refuses a flood past the address’s ceiling, however many browser ids it invents, and only for that minute', async () => {
  const ceiling = DEFAULT_RATE_LIMITS.publicPostsPerMinute;
  // A script inventing a new browser id for every post: the per-visitor limit never sees it twice.
  const post = () =>
    fetch(`${server.url}/kurum-gorusu`, { method: 'POST', redirect: 'manual', headers: { cookie: `pd_b=${crypto.randomBytes(16).toString('base64url')}` } });
  const flood = await inBatches(ceiling + 50, 100, () => post());
  const statuses = new Map<number, number>();
  for (const r of flood) statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
  // Each post up to the ceiling reached the form (and its CSRF check); the rest were refused.
  expect(Object.fromEntries(statuses)).toEqual({ 403: ceiling, 429: 50 });
  const refused = flood.find((r) => r.status === 429)!;
  expect(refused.headers.get('retry-after')).toBe('60');
  expect(refused.headers.get('ratelimit-policy')).toContain(`"address"; q=${ceiling}; w=60`);
  expect(await refused.text()).toContain('<h1>Çok fazla gönderim</h1>');

  t.clock.now = new Date(t.clock.now.getTime() + 60_000);
  expect((await post()).status).toBe(403);
});
