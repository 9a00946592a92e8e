import { testEngine } from '../helpers/database-template';
import request from 'supertest';
import { encodeForm, hiddenFields } from '../helpers/forms';
import { validSectionFields } from '../helpers/survey-walker';
import { createTestApp, FIXTURE_SURVEYS, type TestApp } from '../helpers/test-app';

let t: TestApp;
afterEach(async () => {
  await t.close();
});

describe('home page', () => {
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(() => expect(t.logged).toEqual([]));

  it('shows the municipality, the plan period, open citizen surveys with closing dates and the privacy link', async () => {
    const page = await request(t.app).get('/');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Yeşilvadi Belediyesi (Demo)');
    expect(page.text).toContain('2025-2029 Stratejik Planımızı');
    expect(page.text).toContain('href="/anket/vatandas-anketi"');
    expect(page.text).toContain('Son gün: 31.12.2027 23:59');
    // The institutional form goes out by invitation; it is not listed for citizens.
    expect(page.text).not.toContain('href="/anket/kurum-gorus-formu"');
    expect(page.text).toContain('href="/aydinlatma-metni"');
    expect(page.text).toContain('class="demo"');
  });

  it('lists no survey once they are closed, and says so', async () => {
    t.clock.now = new Date('2030-01-01T00:00:00Z');
    const page = await request(t.app).get('/?lang=en');
    expect(page.text).toContain('There are no open surveys at the moment.');
    expect(page.text).not.toContain('href="/anket/vatandas-anketi"');
  });

  it('offers a language switch on every page and remembers the choice in a cookie', async () => {
    const agent = request.agent(t.app);
    const english = await agent.get('/?lang=en');
    expect(english.text).toContain('<html lang="en">');
    expect(english.text).toContain('href="?lang=tr" lang="tr" hreflang="tr">Türkçe</a>');
    expect(english.headers['set-cookie']?.[0]).toMatch(/^pd_lang=en;.*HttpOnly/);
    const later = await agent.get('/aydinlatma-metni');
    expect(later.text).toContain('<html lang="en">');
    expect(later.text).toContain('Privacy notice');
    const ignored = await agent.get('/?lang=xx');
    expect(ignored.text).toContain('<html lang="en">');
  });

  it('shows the privacy notice with the data controller and the anonymity of surveys', async () => {
    const page = await request(t.app).get('/aydinlatma-metni');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Aydınlatma metni');
    expect(page.text).toContain('kvkk@example.org');
    expect(page.text).toContain('Vatandaş anketleri anonimdir');
    expect(page.text).toContain('<li>IP adresiniz (saklanmaz; yalnızca yukarıda belirtilen, iki gün içinde silinen ağ özeti tutulur)</li>');
  });

  it('answers an unknown address with a friendly 404 page', async () => {
    const page = await request(t.app).get('/yok/boyle/bir/sayfa');
    expect(page.status).toBe(404);
    expect(page.text).toContain('Sayfa bulunamadı');
    expect(page.text).toContain('href="/"');
  });

  it('never echoes the requested path into links, so a crafted address cannot point off-site', async () => {
    const page = await request(t.app).get('//evil.example/x');
    expect(page.status).toBe(404);
    expect(page.text).not.toContain('evil.example');
  });

  it('sends security headers: strict CSP without inline code, no framing, no X-Powered-By', async () => {
    const page = await request(t.app).get('/');
    const csp = page.headers['content-security-policy'];
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['x-powered-by']).toBeUndefined();
    expect(page.headers['strict-transport-security']).toBeUndefined();
    expect(page.text).not.toMatch(/<script>|style="/);
  });

  it('compresses pages and serves fingerprinted assets with a one-year immutable cache', async () => {
    const page = await request(t.app).get('/anket/vatandas-anketi/1').set('Accept-Encoding', 'gzip');
    expect(page.headers['content-encoding']).toBe('gzip');
    const css = /href="(\/static\/css\/app\.[0-9a-f]{10}\.css)"/.exec(page.text)?.[1];
    expect(css).toBeDefined();
    const asset = await request(t.app).get(css!);
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/text\/css/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await request(t.app).get('/static/css/app.0000000000.css')).status).toBe(404);
    expect((await request(t.app).get('/static/../package.json')).status).toBe(404);
  });
});

describe('when something unexpected fails', () => {
  it('shows a friendly 500 page without a stack trace and logs the error', async () => {
    t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });
    const agent = request.agent(t.app);
    const form = await agent.get('/anket/tum-soru-tipleri/1');
    // PostgreSQL refuses to drop a table others reference unless told to drop those references too.
    await t.db.schema.dropTable('answers').$call((drop) => (testEngine() === 'postgres' ? drop.cascade() : drop)).execute();
    await t.db.schema.dropTable('responses').$call((drop) => (testEngine() === 'postgres' ? drop.cascade() : drop)).execute();
    const page = await agent
      .post('/anket/tum-soru-tipleri/1')
      .type('form')
      .send(encodeForm({ ...hiddenFields(form.text), _nav: 'next', ...validSectionFields(t.catalog.find('tum-soru-tipleri')!, 0) }));
    expect(page.status).toBe(500);
    expect(page.text).toContain('Beklenmeyen bir sorun oluştu');
    expect(page.text).not.toMatch(/SqliteError|no such table|at .*\.ts:\d+/);
    expect(t.logged).toHaveLength(1);
    // SQLite's words, or PostgreSQL's.
    expect(String(t.logged[0])).toMatch(/no such table|relation "responses" does not exist/);
  });
});
