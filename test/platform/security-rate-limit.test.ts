import type { Express } from 'express';
import request from 'supertest';
import { loadConfig, ConfigError } from '../../server/config';
import { postKind, rateLimitStoreFor, visitorKey, type RateLimitStore } from '../../server/platform/security/rate-limit';
import { addUser, csrfFrom } from '../helpers/admin';
import { changedTables, dumpDatabase, type Dump } from '../helpers/database-dump';
import { answerSection } from '../helpers/forms';
import { validSectionFields } from '../helpers/survey-walker';
import { createTestApp, type TestApp } from '../helpers/test-app';

// Every behaviour below holds whichever store counts: this process's memory, or the database.
const STORES: RateLimitStore[] = ['memory', 'database'];
let store: RateLimitStore = 'memory';
let t: TestApp;
/** Whether this test made an app (the pure tests make none) that is still to be closed. */
let open = false;
afterEach(async () => {
  if (!open) return;
  open = false;
  expect(t.logged).toEqual([]);
  await t.close();
});

/** The app under test, counting in the store of the surrounding block. */
async function limitedApp(options: Parameters<typeof createTestApp>[0] = {}): Promise<TestApp> {
  t = await createTestApp({ rateLimitStore: store, ...options });
  open = true;
  return t;
}

/** Tables a request changed, besides the counts themselves (which change in the database store only). */
function changedBesidesCounts(before: Dump, after: Dump): Record<string, [number, number]> {
  const changed = changedTables(before, after);
  expect('rate_limit_hits' in changed).toBe(store === 'database');
  delete changed.rate_limit_hits;
  return changed;
}

const SURVEY = '/anket/vatandas-anketi/1';
const advance = (seconds: number) => {
  t.clock.now = new Date(t.clock.now.getTime() + seconds * 1000);
};

/** A person answering the survey's first page: one GET, one POST. */
async function answerFirstPage(agent = request.agent(t.app)) {
  const { response } = await answerSection(agent, SURVEY, validSectionFields(t.catalog.find('vatandas-anketi')!, 0));
  return response;
}

/** A well-formed sign-in attempt with the login page's token. */
async function signIn(email: string, password: string, agent = request.agent(t.app), path = '/admin/login') {
  const page = await agent.get('/admin/login');
  return agent.post(path).type('form').send({ _csrf: csrfFrom(page.text), email, password });
}

/** Every POST route the app has, read from its router, as concrete paths. */
function postRoutes(app: Express): string[] {
  const paths: string[] = [];
  const walk = (stack: any[]) => {
    for (const layer of stack) {
      if (layer.route?.methods?.post) paths.push(String(layer.route.path));
      else if (layer.handle?.stack) walk(layer.handle.stack);
    }
  };
  walk((app as unknown as { router: { stack: unknown[] } }).router.stack);
  const samples: Record<string, string> = { slug: 'vatandas-anketi', section: '1', id: '1', token: 'a'.repeat(22) };
  return paths.map((path) => path.replace(/:(\w+)/g, (_, name: string) => samples[name] ?? 'x'));
}

describe.each(STORES)('counted in %s', (each) => {
  beforeEach(() => {
    store = each;
  });

  describe('rate limit per visitor on public form posts', () => {
    it('answers a browser posting faster than a person with 429, Retry-After and a Turkish page, and stores nothing from it', async () => {
      t = await limitedApp({ rateLimits: { visitorPostsPerMinute: 2, publicPostsPerMinute: 100 } });
      const agent = request.agent(t.app);
      expect((await answerFirstPage(agent)).status).toBe(303);
      expect((await answerFirstPage(agent)).status).toBe(303);

      const page = await agent.get(SURVEY);
      expect(page.status).toBe(200);
      const before = await dumpDatabase(t.db);
      const refused = await agent
        .post(SURVEY)
        .type('form')
        .send({ _csrf: csrfFrom(page.text), _key: 'k'.repeat(22), _nav: 'next', ...validSectionFields(t.catalog.find('vatandas-anketi')!, 0), cinsiyet: 'erkek' });

      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('60');
      expect(refused.headers['ratelimit-policy']).toMatch(/^"visitor"; q=2; w=60; pk=:[^:]+:$/);
      expect(refused.headers['content-type']).toMatch(/text\/html/);
      expect(refused.text).toContain('<h1>Çok fazla gönderim</h1>');
      expect(refused.text).toContain('bu gönderim kaydedilmedi. Lütfen 1 dakika sonra yeniden deneyin.');
      expect(changedBesidesCounts(before, await dumpDatabase(t.db))).toEqual({});

      // In English for a reader who asked for it.
      const english = await agent.post(SURVEY).set('Accept-Language', 'en').type('form').send({ _csrf: csrfFrom(page.text) });
      expect(english.status).toBe(429);
      expect(english.text).toContain('<h1>Too many submissions</h1>');
      expect(english.text).toContain('Please try again in 1 minute.');
    });

    it('counts each browser apart: the next phone on the same address posts while the first is refused', async () => {
      t = await limitedApp({ rateLimits: { visitorPostsPerMinute: 1, publicPostsPerMinute: 100 } });
      const first = request.agent(t.app);
      expect((await answerFirstPage(first)).status).toBe(303);
      expect((await answerFirstPage(first)).status).toBe(429);
      for (let i = 0; i < 5; i++) expect((await answerFirstPage(request.agent(t.app))).status).toBe(303);
      expect((await answerFirstPage(first)).status).toBe(429);
      advance(60);
      expect((await answerFirstPage(first)).status).toBe(303);
    });

    it('does not count a refused browser’s posts against its neighbours on the same address', async () => {
      t = await limitedApp({ rateLimits: { visitorPostsPerMinute: 1, publicPostsPerMinute: 3 } });
      const stuck = request.agent(t.app);
      expect((await answerFirstPage(stuck)).status).toBe(303);
      for (let i = 0; i < 10; i++) expect((await answerFirstPage(stuck)).status).toBe(429);
      // The address has used one post of its three: two more phones get through, the next is the ceiling's.
      expect((await answerFirstPage()).status).toBe(303);
      expect((await answerFirstPage()).status).toBe(303);
      const ceiling = await answerFirstPage();
      expect(ceiling.status).toBe(429);
      expect(ceiling.headers['ratelimit-policy']).toMatch(/"address"; q=3; w=60/);
    });

    it('counts posts without the browser cookie (or with a malformed one) per address', async () => {
      t = await limitedApp({ rateLimits: { visitorPostsPerMinute: 2, publicPostsPerMinute: 100 } });
      // No cookie: the CSRF check refuses them, two a minute per address.
      expect((await request(t.app).post('/kurum-gorusu')).status).toBe(403);
      expect((await request(t.app).post('/kurum-gorusu').set('Cookie', 'pd_b=short')).status).toBe(403);
      expect((await request(t.app).post('/kurum-gorusu').set('Cookie', `pd_b=${'x'.repeat(23)}`)).status).toBe(429);
      expect((await request(t.app).post('/bulusmalar/1')).status).toBe(429);
      // A browser with its cookie is its own visitor.
      expect((await answerFirstPage()).status).toBe(303);
    });

    it('gives an invented browser id a count of its own, never someone else’s', async () => {
      t = await limitedApp({ rateLimits: { visitorPostsPerMinute: 2, publicPostsPerMinute: 1000 } });
      const person = request.agent(t.app);
      expect((await answerFirstPage(person)).status).toBe(303);
      // A script inventing ids: each id is refused past its own two, and the person is untouched.
      for (let i = 0; i < 50; i++) {
        const id = `${String(i).padStart(2, '0')}${'s'.repeat(20)}`;
        const statuses = [];
        for (let j = 0; j < 3; j++) statuses.push((await request(t.app).post('/kurum-gorusu').set('Cookie', `pd_b=${id}`)).status);
        expect(statuses).toEqual([403, 403, 429]);
      }
      expect((await answerFirstPage(person)).status).toBe(303);
      expect((await answerFirstPage(person)).status).toBe(429);
    });

    it('keeps the key of each browser, not anything the body says', () => {
      expect(visitorKey({ cookies: { pd_b: 'A'.repeat(22) }, ip: '203.0.113.7' })).toBe(`browser:${'A'.repeat(22)}`);
      expect(visitorKey({ cookies: { pd_b: 'A'.repeat(21) }, ip: '203.0.113.7' })).toBe('203.0.113.7');
      expect(visitorKey({ cookies: {}, ip: '2001:db8:1:2:3:4:5:6' })).toBe('2001:db8:1::/56');
    });
  });

  describe('rate limit per address on public form posts (the ceiling against floods)', () => {
    it('speaks the reader’s language, and JSON to JSON clients', async () => {
      t = await limitedApp({ rateLimits: { publicPostsPerMinute: 1 } });
      await request(t.app).post('/kurum-gorusu');

      const english = await request(t.app).post('/kurum-gorusu').set('Accept-Language', 'en');
      expect(english.status).toBe(429);
      expect(english.text).toContain('<html lang="en">');
      expect(english.text).toContain('<h1>Too many submissions</h1>');
      expect(english.text).toContain('Please try again in 1 minute.');

      const byCookie = await request(t.app).post('/bulusmalar/1').set('Cookie', 'pd_lang=en');
      expect(byCookie.text).toContain('<h1>Too many submissions</h1>');

      const json = await request(t.app).post('/kurum-gorusu').set('Accept', 'application/json');
      expect(json.status).toBe(429);
      expect(json.headers['retry-after']).toBe('60');
      expect(json.body).toEqual({ error: { status: 429, title: 'Çok fazla gönderim', message: expect.stringContaining('1 dakika') } });
    });

    it('does not count or refuse pages that are only read', async () => {
      t = await limitedApp({ rateLimits: { publicPostsPerMinute: 1 } });
      for (let i = 0; i < 5; i++) {
        expect((await request(t.app).get(SURVEY)).status).toBe(200);
        expect((await request(t.app).get('/kurum-gorusu')).status).toBe(200);
        expect((await request(t.app).head('/bulusmalar')).status).toBe(200);
      }
      expect((await answerFirstPage()).status).toBe(303);
      expect((await answerFirstPage()).status).toBe(429);
      // Over the limit, reading still works.
      expect((await request(t.app).get(SURVEY)).status).toBe(200);
      expect((await request(t.app).get('/')).status).toBe(200);
    });

    it('lets posts through again once the minute is over', async () => {
      t = await limitedApp({ rateLimits: { publicPostsPerMinute: 1 } });
      expect((await answerFirstPage()).status).toBe(303);
      advance(20);
      const refused = await answerFirstPage();
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('40');
      advance(39);
      expect((await answerFirstPage()).status).toBe(429);
      advance(1);
      expect((await answerFirstPage()).status).toBe(303);
      expect((await answerFirstPage()).status).toBe(429);
    });

    it('counts each address apart behind a trusted proxy (TRUST_PROXY)', async () => {
      t = await limitedApp({ https: true, rateLimits: { publicPostsPerMinute: 1 } });
      const from = (address: string) => request(t.app).post('/kurum-gorusu').set('X-Forwarded-Proto', 'https').set('X-Forwarded-For', address);
      expect((await from('203.0.113.7')).status).toBe(403);
      expect((await from('203.0.113.7')).status).toBe(429);
      // Another phone, another address: its own count (a CSRF refusal here, not a rate limit).
      expect((await from('198.51.100.23')).status).toBe(403);
      expect((await from('198.51.100.23')).status).toBe(429);
    });

    it('tells the operator once when a proxy forwards addresses that TRUST_PROXY does not trust', async () => {
      t = await limitedApp({ rateLimits: { publicPostsPerMinute: 2 } });
      for (let i = 0; i < 3; i++) await request(t.app).post('/kurum-gorusu').set('X-Forwarded-For', '203.0.113.7');
      expect(t.warnings).toEqual([expect.stringMatching(/^Rate limit: The 'X-Forwarded-For' header is set .* Set TRUST_PROXY to the number of proxies in front of the site\.$/)]);
    });

    it('stands in front of every public POST route the app has', async () => {
      t = await limitedApp({ rateLimits: { publicPostsPerMinute: 1, loginPer15Minutes: 1 } });
      const routes = postRoutes(t.app);
      const publicRoutes = routes.filter((path) => postKind({ method: 'POST', path }) === 'public');
      // The forms named in the README; the walk must find at least these (and finds new ones too).
      expect(publicRoutes).toEqual(
        expect.arrayContaining([
          '/anket/vatandas-anketi/1',
          '/bulusmalar/1',
          `/bulusmalar/kayit/${'a'.repeat(22)}/iptal`,
          '/kurum-gorusu',
          `/kurum-gorusu/onay/${'a'.repeat(22)}`,
          `/gorus/${'a'.repeat(22)}/1`,
          `/gorus/${'a'.repeat(22)}/duzenle`,
          `/gorus/${'a'.repeat(22)}/yazi`,
        ]),
      );
      expect(routes.filter((path) => postKind({ method: 'POST', path }) === 'sign_in').sort()).toEqual(['/admin/login', '/admin/setup']);

      await request(t.app).post('/kurum-gorusu');
      await request(t.app).post('/admin/login');
      const before = await dumpDatabase(t.db);
      for (const path of [...publicRoutes, '/admin/login', '/admin/setup']) {
        const response = await request(t.app).post(path).type('form').send({ name: 'x' });
        expect({ path, status: response.status, retryAfter: Boolean(response.headers['retry-after']) }).toEqual({ path, status: 429, retryAfter: true });
      }
      expect(changedBesidesCounts(before, await dumpDatabase(t.db))).toEqual({});
    });

    it('counts one browser on every public POST route the app has', async () => {
      t = await limitedApp({ rateLimits: { visitorPostsPerMinute: 1 } });
      const publicRoutes = postRoutes(t.app).filter((path) => postKind({ method: 'POST', path }) === 'public');
      const browser = `pd_b=${'b'.repeat(22)}`;
      await request(t.app).post('/kurum-gorusu').set('Cookie', browser);
      const before = await dumpDatabase(t.db);
      for (const path of publicRoutes) {
        const response = await request(t.app).post(path).set('Cookie', browser).type('form').send({ name: 'x' });
        expect({ path, status: response.status, policy: response.headers['ratelimit-policy'] }).toEqual({ path, status: 429, policy: expect.stringMatching(/^"visitor"; q=1;/) });
      }
      expect(changedBesidesCounts(before, await dumpDatabase(t.db))).toEqual({});
    });
  });

  describe('rate limit on the back-office sign-in', () => {
    it('refuses sign-ins over the limit before any password is checked, and lets them in after 15 minutes', async () => {
      t = await limitedApp({ rateLimits: { loginPer15Minutes: 2 } });
      const user = await addUser(t, 'planner');
      expect((await signIn(user.email, 'yanlış parola')).status).toBe(401);
      expect((await signIn(user.email, 'yanlış parola')).status).toBe(401);
      const delays = [...t.delays];
      const before = await dumpDatabase(t.db);

      const refused = await signIn(user.email, user.password);
      expect(refused.status).toBe(429);
      expect(refused.headers['retry-after']).toBe('900');
      expect(refused.text).toContain('<h1>Çok fazla giriş denemesi</h1>');
      expect(refused.text).toContain('giriş 15 dakika durduruldu');
      // Neither the account's throttle nor a session was touched; no delay was waited.
      expect(changedBesidesCounts(before, await dumpDatabase(t.db))).toEqual({});
      expect(t.delays).toEqual(delays);

      const english = await request(t.app).post('/admin/login').set('Accept-Language', 'en');
      expect(english.text).toContain('signing in is paused for 15 minutes');

      advance(15 * 60);
      expect((await signIn(user.email, user.password)).status).toBe(303);
    });

    it('is counted apart from public posts, and cannot be dodged by spelling the path differently', async () => {
      t = await limitedApp({ rateLimits: { loginPer15Minutes: 1, publicPostsPerMinute: 1 } });
      const user = await addUser(t, 'planner');
      expect((await signIn(user.email, 'yanlış parola', undefined, '/ADMIN/Login/')).status).toBe(401);
      expect((await signIn(user.email, user.password)).status).toBe(429);
      expect((await signIn(user.email, user.password, undefined, '/Admin/login')).status).toBe(429);
      // The public forms have their own count.
      expect((await answerFirstPage()).status).toBe(303);
      expect((await answerFirstPage()).status).toBe(429);
    });

    it('leaves logged-in back-office work alone', () => {
      expect(postKind({ method: 'POST', path: '/admin/surveys/vatandas-anketi/entry/paper/1/2' })).toBe('back_office');
      expect(postKind({ method: 'POST', path: '/admin/setup/' })).toBe('sign_in');
      expect(postKind({ method: 'POST', path: '/administration' })).toBe('public');
      expect(postKind({ method: 'GET', path: '/admin/login' })).toBe('none');
      expect(postKind({ method: 'DELETE', path: '/anket/x/1' })).toBe('public');
    });
  });
});

describe('rate limit settings', () => {
  it('default to numbers a carrier’s shared address can live with, and are read from the environment', () => {
    expect(loadConfig({}).rateLimits).toEqual({ visitorPostsPerMinute: 30, publicPostsPerMinute: 3000, loginPer15Minutes: 60 });
    expect(loadConfig({ RATE_LIMIT_VISITOR_POSTS: '20', RATE_LIMIT_PUBLIC_POSTS: '1000', RATE_LIMIT_LOGIN: '30' }).rateLimits).toEqual({
      visitorPostsPerMinute: 20,
      publicPostsPerMinute: 1000,
      loginPer15Minutes: 30,
    });
    expect(() => loadConfig({ RATE_LIMIT_PUBLIC_POSTS: '0' })).toThrow(ConfigError);
    expect(() => loadConfig({ RATE_LIMIT_VISITOR_POSTS: '-1' })).toThrow(/^Invalid RATE_LIMIT_VISITOR_POSTS="-1"/);
    expect(() => loadConfig({ RATE_LIMIT_LOGIN: 'many' })).toThrow(/^Invalid RATE_LIMIT_LOGIN="many"/);
  });

  it('count in memory for one process, in the database as soon as several share it (RATE_LIMIT_STORE)', () => {
    expect(loadConfig({}).rateLimitStore).toBe('memory');
    expect(loadConfig({ WEB_CONCURRENCY: '1' }).rateLimitStore).toBe('memory');
    expect(loadConfig({ WEB_CONCURRENCY: '2' }).rateLimitStore).toBe('database');
    expect(loadConfig({ RATE_LIMIT_STORE: 'database' }).rateLimitStore).toBe('database');
    // Said outright, it wins over the guess (a single-process site behind a shared database, or the reverse).
    expect(loadConfig({ WEB_CONCURRENCY: '4', RATE_LIMIT_STORE: 'memory' }).rateLimitStore).toBe('memory');
    expect(rateLimitStoreFor('auto', { databaseUrl: 'postgres://db.example.org/paydas' })).toBe('database');
    expect(rateLimitStoreFor('auto', { databaseUrl: 'data/paydas.sqlite', webConcurrency: 1 })).toBe('memory');
    expect(() => loadConfig({ WEB_CONCURRENCY: 'many' })).toThrow(/WEB_CONCURRENCY/);
    expect(() => loadConfig({ RATE_LIMIT_STORE: 'redis' })).toThrow(/^Invalid RATE_LIMIT_STORE="redis": must be auto, memory or database/);
  });
});
