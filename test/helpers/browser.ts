/// <reference lib="dom" />
// One Debian chromium for a test file, driven by playwright-core (never a downloaded browser).
// One for the whole jest run (a global setup's launchServer, files connecting to it) was measured
// slower: chromium starts in 0.3 s, connecting costs about as much, and every worker's traffic
// then goes through one process.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Role } from '../../server/admin/account.table';
import { projectRoot } from '../../server/platform/paths';
import { addUser } from './admin';
import type { Fields } from './forms';
import { createTestApp, type TestApp } from './test-app';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.join(projectRoot, 'test-artifacts', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does this in CI`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/** Serves a test app on a free localhost port. */
export async function serve(t: TestApp): Promise<{ url: string; close: () => Promise<void> }> {
  const server = http.createServer(t.app).listen(0, '127.0.0.1');
  await new Promise((done) => server.once('listening', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}

const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  help: string;
  nodes: string[];
}

/** WCAG 2.1 A and AA violations on the page; the CSP forbids script tags, so axe is evaluated. */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, options: object) => Promise<any> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v: any) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n: any) => n.target.join(' ')) }));
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** Sets form values the way a person does: tapping choices, picking from lists, typing. */
export async function fill(page: Page, fields: Fields): Promise<void> {
  for (const [name, value] of Object.entries(fields)) {
    for (const item of Array.isArray(value) ? value : [value]) {
      const choice = page.locator(`input[name="${name}"][value="${item}"]`);
      if ((await choice.count()) > 0) {
        if (await choice.isVisible()) await choice.check();
        continue;
      }
      const field = page.locator(`[name="${name}"]`);
      if (!(await field.isVisible())) continue;
      if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(item);
      else await field.fill(item);
    }
  }
}

export interface BrowserSuite {
  browser: Browser;
  /** A fresh app for each test, on its own SQLite file. */
  t: TestApp;
  /** Where that app is served. */
  url: string;
}

/** Registers a browser test file's hooks: one chromium for the file, a fresh app (createTestApp's options) served per test. */
export function browserSuite(options: Parameters<typeof createTestApp>[0] = {}): BrowserSuite {
  const suite = {} as BrowserSuite;
  let site: { url: string; close: () => Promise<void> } | undefined;
  beforeAll(async () => {
    suite.browser = await launchBrowser();
  });
  afterAll(async () => {
    await suite.browser?.close();
  });
  beforeEach(async () => {
    suite.t = await createTestApp(options);
    site = await serve(suite.t);
    suite.url = site.url;
  });
  afterEach(async () => {
    await site?.close();
    expect(suite.t.logged).toEqual([]);
    await suite.t.close();
  });
  return suite;
}

/** Logs a new user of the role in through the login form, as a person would. */
export async function logInPage(suite: Pick<BrowserSuite, 't' | 'url'>, page: Page, role: Role = 'planner'): Promise<void> {
  const user = await addUser(suite.t, role);
  await page.goto(`${suite.url}/admin/login`);
  await page.fill('#email', user.email);
  await page.fill('#password', user.password);
  await Promise.all([page.waitForURL(/\/admin(\/surveys)?$/), page.locator('form[action="/admin/login"] button[type="submit"]').click()]);
}
