import fs from 'node:fs';
import path from 'node:path';
import request, { type Response } from 'supertest';
import { projectRoot } from '../../server/platform/paths';
import { addUser, logIn } from '../helpers/admin';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

/** The Content-Security-Policy as directive → sources. */
function policy(response: Response): Record<string, string[]> {
  const header = response.headers['content-security-policy'];
  expect(typeof header).toBe('string');
  return Object.fromEntries(
    String(header)
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name!, sources]),
  );
}

function expectStrictHeaders(response: Response, referrer = 'strict-origin-when-cross-origin'): void {
  const csp = policy(response);
  expect(csp['default-src']).toEqual(["'self'"]);
  expect(csp['script-src']).toEqual(["'self'"]);
  expect(csp['style-src']).toEqual(["'self'"]);
  expect(csp['object-src']).toEqual(["'none'"]);
  expect(csp['base-uri']).toEqual(["'self'"]);
  expect(csp['form-action']).toEqual(["'self'"]);
  expect(csp['frame-ancestors']).toEqual(["'none'"]);
  // Nothing anywhere may relax the rule: no inline code, no eval, no nonces or hashes to smuggle it.
  expect(String(response.headers['content-security-policy'])).not.toMatch(/unsafe-|nonce-|sha256-/);
  expect(response.headers['x-frame-options']).toBe('DENY');
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(response.headers['referrer-policy']).toBe(referrer);
  expect(response.headers['x-powered-by']).toBeUndefined();
}

describe('security headers', () => {
  it('are strict on public pages, error pages and back-office pages, and send no HSTS over http', async () => {
    t = await createTestApp();
    const agent = await logIn(t, await addUser(t, 'admin'));
    const pages = [
      await request(t.app).get('/'),
      await request(t.app).get('/anket/vatandas-anketi/1'),
      await request(t.app).get('/bulusmalar'),
      await request(t.app).get('/yok-boyle-bir-sayfa'),
      await request(t.app).post('/kurum-gorusu'),
      await request(t.app).get('/admin/login'),
      await agent.get('/admin/surveys'),
      await agent.get('/admin/audit'),
    ];
    expect(pages.map((page) => page.status)).toEqual([200, 200, 200, 404, 403, 200, 200, 200]);
    for (const page of pages) {
      expectStrictHeaders(page);
      expect(page.headers['strict-transport-security']).toBeUndefined();
      expect(policy(page)['upgrade-insecure-requests']).toBeUndefined();
    }
  });

  it('keep personal links out of the Referer', async () => {
    t = await createTestApp();
    expectStrictHeaders(await request(t.app).get('/kurum-gorusu'), 'no-referrer');
    expectStrictHeaders(await request(t.app).get(`/gorus/${'A'.repeat(22)}`), 'no-referrer');
    expectStrictHeaders(await request(t.app).get(`/bulusmalar/kayit/1-${'A'.repeat(22)}`), 'no-referrer');
  });

  it('add HSTS and upgrade-insecure-requests when BASE_URL is https', async () => {
    t = await createTestApp({ https: true });
    for (const url of ['/', '/admin/login']) {
      const page = await request(t.app).get(url).set('X-Forwarded-Proto', 'https');
      expectStrictHeaders(page);
      expect(page.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(policy(page)['upgrade-insecure-requests']).toEqual([]);
    }
  });
});

function files(dir: string, test: (name: string) => boolean): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full, test);
    return test(entry.name) ? [full] : [];
  });
}

/** What the CSP would block, or what would need it relaxed, in one template or page. */
function inlineCode(source: string, { email }: { email: boolean }): string[] {
  // EJS tags may sit inside an HTML tag (<input<% if (x) { %> checked<% } %>>): take them out first.
  const html = source.replace(/<%[\s\S]*?%>/g, ' ');
  const problems: string[] = [];
  const tags = [...html.matchAll(/<[a-zA-Z][^>]*>/g)].map((match) => match[0]);
  for (const tag of tags) {
    if (/^<script\b/i.test(tag) && !/\ssrc\s*=/i.test(tag)) problems.push(`inline <script>: ${tag}`);
    const handler = /\s(on[a-z]+)\s*=/i.exec(tag);
    if (handler) problems.push(`event handler ${handler[1]}=: ${tag}`);
    if (/^<style\b/i.test(tag)) problems.push(`<style> block: ${tag}`);
    // E-mail clients drop stylesheets, so mail templates style inline; no CSP applies to mail.
    if (!email && /\sstyle\s*=/i.test(tag)) problems.push(`style attribute: ${tag}`);
    if (/\s(href|src|action|formaction)\s*=\s*["']?\s*javascript:/i.test(tag)) problems.push(`javascript: URL: ${tag}`);
  }
  return problems;
}

describe('views and static pages', () => {
  const views = files(path.join(projectRoot, 'views'), (name) => name.endsWith('.ejs'));
  const pages = files(path.join(projectRoot, 'public'), (name) => name.endsWith('.html'));

  it('hold no inline script, style or event handler (the CSP would block them)', () => {
    expect(views.length).toBeGreaterThan(50);
    const found: string[] = [];
    for (const file of [...views, ...pages]) {
      const relative = path.relative(projectRoot, file);
      const email = relative.startsWith(path.join('views', 'mail') + path.sep);
      for (const problem of inlineCode(fs.readFileSync(file, 'utf8'), { email })) found.push(`${relative}: ${problem}`);
    }
    expect(found).toEqual([]);
  });

  it('are scanned by a check that does find each kind of inline code', () => {
    const bad = [
      '<script>alert(1)</script>',
      '<p style="color:red">x</p>',
      '<style>p{}</style>',
      '<button onclick="go()">x</button>',
      '<input<% if (a) { %> checked<% } %> onfocus="x()">',
      '<a href="javascript:alert(1)">x</a>',
    ];
    for (const source of bad) expect(inlineCode(source, { email: false })).toHaveLength(1);
    expect(inlineCode('<script src="/static/js/survey.js" defer></script><p class="x">ok</p>', { email: false })).toEqual([]);
    expect(inlineCode('<td style="padding:4px">x</td>', { email: true })).toEqual([]);
    expect(inlineCode('<td onclick="x()">x</td>', { email: true })).toHaveLength(1);
  });
});
