// 10,000 random and mutated posts to every public form, over real HTTP against the real app:
// random names and values, missing and repeated fields, very long strings, unicode and control
// characters, arrays and objects where text is expected, wrong or missing CSRF tokens, broken
// bodies, and valid posts with one field flipped. None may get a 5xx or log an error, and a post
// that is refused (4xx) must store nothing. Seeded: FUZZ_SEED=<n> replays a run.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { hiddenFields } from '../helpers/forms';
import { invitedInstitution } from '../helpers/invitation';
import { scheduleMeeting, signUpFields } from '../helpers/meetings';
import { validSectionFields } from '../helpers/survey-walker';
import { createTestApp, TEST_BASE_URL, type TestApp } from '../helpers/test-app';

const POSTS = Number(process.env.FUZZ_POSTS ?? 10_000);
// The posts go in batches, each with its own time limit, so the limit follows the amount of work:
// a batch takes about 4 s on a quiet 2-core machine and 16 s under 4× load. Speed is for the bench.
const BATCH = 1_000;
const BATCH_TIMEOUT_MS = 60_000;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

/** mulberry32: small, fast, and the same sequence for the same seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  return { next, int, pick };
}
const random = prng(SEED);

const ALPHABET = ['a', 'Z', '0', ' ', 'ş', 'İ', 'ı', 'ğ', '€', '😀', '\u0000', '\u0007', '\u202e', '\ufeff', '\ud800', '<', '>', '"', "'", '&', '%', '=', '[', ']', '.', '\n', '\r', '\t', '=cmd|', '../', '${x}', '<%= 7*7 %>'];
function randomString(): string {
  const shape = random.int(10);
  if (shape === 0) return '';
  // Past the body limit (100 kB) only now and then: those are refused before any route runs.
  if (shape === 1) return pick(['A', 'x', 'ş', '😀']).repeat(random.int(20) === 0 ? 200_000 : pick([300, 1_000, 5_000, 20_000]));
  if (shape === 2) return String(pick([-1, 0, 1, 1e308, -1e-9, NaN, Infinity, 2 ** 53 + 1, 99999999999]));
  if (shape === 3) return pick(['true', 'null', 'undefined', '[]', '{}', '__proto__', 'constructor', '2026-02-30', '9999-12-31', '1', 'on', 'evet']);
  return Array.from({ length: 1 + random.int(40) }, () => random.pick(ALPHABET)).join('');
}
const pick = random.pick;
function randomName(known: string[]): string {
  const shape = random.int(6);
  if (shape === 0 && known.length) return pick(known);
  if (shape === 1 && known.length) return `${pick(known)}[]`;
  if (shape === 2 && known.length) return `${pick(known)}[${randomString().slice(0, 5)}]`;
  if (shape === 3) return pick(['__proto__[x]', 'constructor[prototype][x]', '_csrf', '_key', '_nav', 'request_key', 'website', 'a[b][c][d][e][f]', '']);
  return randomString().slice(0, 60);
}

type Pairs = [string, string][];

interface Target {
  name: string;
  /** Sections to answer first, so the page is reachable in this browser's draft. */
  before?: (browser: Browser) => Promise<void>;
  /** Page to GET for cookies and tokens, and where it posts. */
  page: string;
  action: string;
  /** A valid post for the page just fetched. */
  valid(html: string): Pairs;
}

/** A browser: cookies kept, redirects not followed, keep-alive HTTP to the app. */
class Browser {
  cookies = new Map<string, string>();
  constructor(private readonly base: string) {}
  async request(method: string, path: string, body?: string, contentType?: string) {
    const headers: Record<string, string> = { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    if (contentType) headers['content-type'] = contentType;
    const response = await fetch(this.base + path, { method, headers, body, redirect: 'manual' });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const at = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, at), pair!.slice(at + 1));
    }
    return { status: response.status, location: response.headers.get('location'), text: await response.text() };
  }
}

// A lone surrogate cannot be percent-encoded as UTF-8: it goes out as the invalid bytes ED A0 80.
const LONE = '\u0001lone\u0001';
const component = (text: string) => encodeURIComponent(text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, LONE)).replaceAll(encodeURIComponent(LONE), '%ED%A0%80');
const encode = (pairs: Pairs) => pairs.map(([k, v]) => `${component(k)}=${component(v)}`).join('&');

/** One fuzzed body for a target, from its valid post. */
function mutate(valid: Pairs): { body: string; type: string; kind: string } {
  const names = valid.map(([k]) => k);
  const pairs: Pairs = valid.map(([k, v]) => [k, v]);
  const kind = random.int(12);
  switch (kind) {
    case 0: // everything random
      return { body: encode(Array.from({ length: random.int(30) }, () => [randomName(names), randomString()])), type: 'application/x-www-form-urlencoded', kind: 'random' };
    case 1: // one field flipped
      if (pairs.length) pairs[random.int(pairs.length)]![1] = randomString();
      break;
    case 2: // one field missing
      pairs.splice(random.int(pairs.length), 1);
      break;
    case 3: // one field repeated with another value
      if (pairs.length) pairs.push([pick(names), randomString()]);
      break;
    case 4: // a field sent as an array or an object
      if (pairs.length) {
        const i = random.int(pairs.length);
        pairs[i] = [`${pairs[i]![0]}${pick(['[]', '[0]', '[a]', '[__proto__]'])}`, pairs[i]![1]];
      }
      break;
    case 5: // wrong or missing CSRF token
      for (const pair of pairs) if (pair[0] === '_csrf') pair[1] = pick(['', 'x', pair[1].slice(0, -2), pair[1].split('').reverse().join('')]);
      if (random.int(2)) return { body: encode(pairs.filter(([k]) => k !== '_csrf')), type: 'application/x-www-form-urlencoded', kind: 'csrf-missing' };
      break;
    case 6: // extra unknown fields
      for (let n = 1 + random.int(5); n > 0; n--) pairs.push([randomName([]), randomString()]);
      break;
    case 7: // broken bodies and other content types
      return pick([
        { body: '%E0%A4%A=%%%&&==&a=%ZZ', type: 'application/x-www-form-urlencoded', kind: 'bad-encoding' },
        { body: JSON.stringify(Object.fromEntries(pairs.map(([k, v]) => [k, pick([v, [v, v], { v }, null, 1, true])]))), type: 'application/json', kind: 'json' },
        { body: '{"_csrf":', type: 'application/json', kind: 'bad-json' },
        { body: encode(pairs), type: 'text/plain', kind: 'text-plain' },
        { body: `--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n${randomString()}\r\n`, type: 'multipart/form-data; boundary=x', kind: 'multipart' },
        { body: encode(pairs), type: 'application/x-www-form-urlencoded; charset=ebcdic', kind: 'charset' },
        { body: Array.from({ length: 2_000 }, (_, i) => `f${i}=1`).join('&'), type: 'application/x-www-form-urlencoded', kind: 'many-fields' },
      ]);
    case 8: // a valid post as it is (repeats, double taps)
      break;
    default: // several of the above at once
      for (let n = 2 + random.int(3); n > 0 && pairs.length; n--) {
        const i = random.int(pairs.length);
        if (pairs[i]![0] !== '_csrf') pairs[i]![1] = randomString();
      }
  }
  return { body: encode(pairs), type: 'application/x-www-form-urlencoded', kind: ['random', 'flip', 'missing', 'repeated', 'array', 'csrf', 'extra', 'body', 'valid', 'multi'][Math.min(kind, 9)]! };
}

let t: TestApp;
let server: Server;
let base: string;

beforeAll(async () => {
  t = await createTestApp();
  server = t.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

const WATCHED = ['responses', 'answers', 'meeting_registrations', 'self_registrations', 'invitations', 'invitation_tokens', 'outbox_messages', 'consents', 'stakeholders', 'users', 'opinion_letters', 'opinion_letter_contents'];
function snapshot(): string {
  return WATCHED.map((table) => `${table}=${(t.sqlite.prepare(`select count(*) as n, coalesce(max(rowid), 0) as m from ${table}`).get() as { n: number; m: number }).n}`).join(' ');
}
/** Every row's content too, for tables a refused post could update in place. */
function contents(): string {
  return JSON.stringify([
    t.sqlite.prepare('select * from responses order by id').all(),
    t.sqlite.prepare('select id, status from meeting_registrations order by id').all(),
    t.sqlite.prepare('select * from consents order by rowid').all(),
    t.sqlite.prepare('select * from invitations order by id').all(),
  ]);
}

// total_changes() counts every row this connection (the app's own) has written: while it stands
// still nothing was written, and the watched tables are read again only when it moves.
let cached: { changes: number; snapshot: string; rows: string } | undefined;
function state(): { changes: number; snapshot: string; rows: string } {
  const changes = (t.sqlite.prepare('select total_changes() as n').get() as { n: number }).n;
  if (cached?.changes !== changes) {
    const snap = snapshot();
    cached = { changes, snapshot: snap, rows: snap + contents() };
  }
  return cached;
}

describe(`fuzzing every public form (FUZZ_SEED=${SEED})`, () => {
  let targets: Target[] = [];
  // A few browsers per target, each with its page's tokens; fetched again now and then.
  const browsers = new Map<string, { browser: Browser; valid: Pairs; uses: number }>();
  const statuses = new Map<number, number>();
  const accepted = new Map<string, number>();
  /** Refused posts that wrote only outside the watched tables (failed-login throttles). */
  const bookkeeping = new Map<string, number>();
  let started = 0;

  beforeAll(async () => {
    console.log(`fuzz seed ${SEED} (replay: FUZZ_SEED=${SEED} npx jest test/faults/fuzz.test.ts)`);
    const survey = t.catalog.find('vatandas-anketi')!;
    const form = t.catalog.find('kurum-gorus-formu')!;
    const meeting = await scheduleMeeting(t, { capacity: 3 });
    const invitation = await invitedInstitution(t);
    // A sign-up with both consents, for a cancel link and a consent withdrawal link.
    const resident = new Browser(base);
    const signUpPage = await resident.request('GET', `/bulusmalar/${meeting}`);
    const signed = await resident.request('POST', `/bulusmalar/${meeting}`, encode([...Object.entries(signUpFields(signUpPage.text)), ['name', 'Ayşe Kaya'], ['email', 'ayse@example.org'], ['phone', ''], ['mahalle', 'ataturk'], ['future_meetings', '1']]), 'application/x-www-form-urlencoded');
    expect(signed.status).toBe(303);
    const registrationPath = signed.location!.replace(TEST_BASE_URL, '');
    await t.worker.runOnce();
    const consentPath = /\/acik-riza\/[A-Za-z0-9_-]+/.exec(t.sent.map((m) => m.text).join('\n'))?.[0];
    expect(consentPath).toBeDefined();

    const validPairs = (html: string, s: typeof survey, section: number): Pairs => [
      ...Object.entries(hiddenFields(html)),
      ['_nav', 'next'],
      ...Object.entries(validSectionFields(s, section - 1)).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x): [string, string] => [k, x]) : [[k, v] as [string, string]])),
    ];
    const csrfOnly = (html: string): Pairs => [['_csrf', /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '']];
    const sectionTarget = (name: string, prefix: string, s: typeof survey, section: number): Target => ({
      name,
      async before(browser) {
        for (let earlier = 1; earlier < section; earlier++) {
          const page = await browser.request('GET', `${prefix}/${earlier}`);
          // An institution's form is one draft per invitation: once a fuzzed post submitted it,
          // its sections redirect to the receipt, and the fuzz goes on without a valid base.
          if (page.status !== 200) return;
          const post = await browser.request('POST', `${prefix}/${earlier}`, encode(validPairs(page.text, s, earlier)), 'application/x-www-form-urlencoded');
          if (post.status !== 303) throw new Error(`walking to ${prefix}/${section}: ${post.status}`);
        }
      },
      page: `${prefix}/${section}`,
      action: `${prefix}/${section}`,
      valid: (html) => validPairs(html, s, section),
    });
    targets = [
      ...survey.sections.map((_, i) => sectionTarget(`survey section ${i + 1}`, `/anket/${survey.slug}`, survey, i + 1)),
      ...form.sections.map((_, i) => sectionTarget(`opinion form section ${i + 1}`, invitation.link, form, i + 1)),
      {
        name: 'meeting sign-up',
        page: `/bulusmalar/${meeting}`,
        action: `/bulusmalar/${meeting}`,
        valid: (html) => [...Object.entries(signUpFields(html)), ['name', 'Komşu Fuzz'], ['phone', `0532${String(random.int(1e7)).padStart(7, '0')}`], ['email', ''], ['mahalle', 'ataturk'], ['accessibility_need', 'Tekerlekli sandalye'], ['accessibility_consent', '1']],
      },
      {
        name: 'institution self-registration',
        page: '/kurum-gorusu',
        action: '/kurum-gorusu',
        valid: (html) => [...csrfOnly(html), ['survey', form.slug], ['name', 'Fuzz Derneği'], ['group', 'meslek_odasi'], ['email', `fuzz${random.int(1e6)}@example.org`], ['contact_person', ''], ['language', 'tr'], ['authority', '1']],
      },
      { name: 'login', page: '/admin/login', action: '/admin/login', valid: (html) => [...csrfOnly(html), ['email', 'yok@example.org'], ['password', 'yanlış-parola'], ['next', '/admin']] },
      { name: 'consent withdrawal', page: consentPath!, action: consentPath!, valid: csrfOnly },
      { name: 'consent withdrawal, unknown token', page: consentPath!, action: '/acik-riza/AAAAAAAAAAAAAAAAAAAAAA', valid: csrfOnly },
      { name: 'meeting cancellation', page: registrationPath, action: `${registrationPath}/iptal`, valid: csrfOnly },
      { name: 'self-registration confirmation', page: '/kurum-gorusu/onay/AAAAAAAAAAAAAAAAAAAAAA', action: '/kurum-gorusu/onay/AAAAAAAAAAAAAAAAAAAAAA', valid: csrfOnly },
      { name: 'opinion edit', page: invitation.link, action: `${invitation.link}/duzenle`, valid: csrfOnly },
    ];

    started = Date.now();
  }, 60_000);

  for (let from = 0; from < POSTS; from += BATCH) {
    const to = Math.min(POSTS, from + BATCH);
    it(`answers posts ${from + 1}–${to} without a 5xx, storing nothing for refused ones`, async () => {
      const problems: string[] = [];
      for (let n = from; n < to; n++) {
        const target = pick(targets);
        const slot = `${target.name}#${random.int(3)}`;
        let entry = browsers.get(slot);
        if (!entry || entry.uses > 150) {
          const browser = new Browser(base);
          await target.before?.(browser);
          const page = await browser.request('GET', target.page);
          let valid: Pairs = [];
          try {
            valid = page.status === 200 ? target.valid(page.text) : [];
          } catch {
            valid = [];
          }
          entry = { browser, valid, uses: 0 };
          browsers.set(slot, entry);
        }
        entry.uses++;
        const { body, type, kind } = mutate(entry.valid);
        const before = state();
        const response = await entry.browser.request('POST', target.action, body, type);
        const after = state();
        statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
        const where = `post ${n} (${target.name}, ${kind}): ${response.status}`;
        if (response.status >= 500) problems.push(`${where} ${response.text.slice(0, 200)}`);
        if (response.status >= 400) {
          if (after.rows !== before.rows) problems.push(`${where} but rows changed: ${before.snapshot} → ${after.snapshot}`);
          else if (after.changes !== before.changes) bookkeeping.set(target.name, (bookkeeping.get(target.name) ?? 0) + 1);
        } else if (after.rows !== before.rows) {
          accepted.set(target.name, (accepted.get(target.name) ?? 0) + 1);
        }
        if (problems.length > 20) break;
      }
      expect(problems).toEqual([]);
      expect(t.logged).toEqual([]);
    }, BATCH_TIMEOUT_MS);
  }

  it('reached the forms\' logic, wrote only the expected bookkeeping, and left the database whole', () => {
    console.log(`fuzz: ${POSTS} posts in ${Date.now() - started} ms; statuses`, Object.fromEntries(statuses), 'accepted (stored something)', Object.fromEntries(accepted), 'refused, bookkeeping only', Object.fromEntries(bookkeeping));
    // Failed logins count towards the throttle; a refused sign-up has bumped the meeting's
    // seat_changes counter (the row lock taken before seats are counted). Nothing else writes.
    expect([...bookkeeping.keys()].filter((name) => name !== 'login' && name !== 'meeting sign-up')).toEqual([]);
    // Some posts were refused as invalid input (422), some for their form token (403), and some
    // mutated ones stayed valid and were stored: the fuzz got past the CSRF check into the forms.
    expect(statuses.get(422) ?? 0).toBeGreaterThan(POSTS / 100);
    expect(statuses.get(403) ?? 0).toBeGreaterThan(POSTS / 100);
    expect([...accepted.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(POSTS / 1_000);
    expect(t.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
