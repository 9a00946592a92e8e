// Every back-office page reachable from the main navigation has its own <title>, in the reader's
// language: the demo consultation is crawled from the navigation, two links deep and beyond for
// pages of one kind (each open question's answers, each meeting, each stakeholder…), and pages
// that differ by more than their query string (filters, paging) must not share a title.
import type TestAgent from 'supertest/lib/agent';
import { seedDemoData } from '../../server/demo/demo-data';
import { createI18n } from '../../server/platform/i18n/i18n';
import { addUser, logIn } from '../helpers/admin';
import { createTestApp, TEST_BASE_URL, TEST_SECRET, type TestApp } from '../helpers/test-app';

let t: TestApp;
let admin: TestAgent;
beforeAll(async () => {
  t = await createTestApp();
  const outcome = await seedDemoData(t.db, t.catalog, { now: t.clock.now, citizenResponses: 120, seed: 7, mailer: t.mailer, baseUrl: TEST_BASE_URL, secret: TEST_SECRET, i18n: createI18n(), timeZone: 'Europe/Istanbul' });
  expect(outcome.kind).toBe('seeded');
  admin = await logIn(t, await addUser(t, 'admin'));
}, 120_000);
afterAll(async () => {
  await t.close();
});

const DOWNLOAD = /\.(csv|xlsx|docx|pdf|ics|json|png|svg|zip)(\?|$)|\/export|\/download|\/logout/;
const MAX_PAGES = 400;

const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1]?.replace(/&amp;/g, '&').trim();
const linksIn = (html: string) =>
  [...html.slice(html.indexOf('<body')).matchAll(/<a [^>]*href="(\/admin[^"#]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&')).filter((href) => !DOWNLOAD.test(href));
const pathOf = (url: string) => url.split('?')[0]!;

async function crawl(lang: 'tr' | 'en'): Promise<Map<string, { title: string; url: string }>> {
  const byPath = new Map<string, { title: string; url: string }>();
  // The language is remembered from ?lang= for the rest of the crawl.
  expect((await admin.get(`/admin/surveys?lang=${lang}`)).status).toBe(200);
  const queue = ['/admin/surveys'];
  const seen = new Set(queue);
  while (queue.length > 0 && byPath.size < MAX_PAGES) {
    const url = queue.shift()!;
    const res = await admin.get(url);
    if (res.status !== 200 || !String(res.headers['content-type']).startsWith('text/html')) continue;
    const title = titleOf(res.text);
    if (title && !byPath.has(pathOf(url))) byPath.set(pathOf(url), { title, url });
    for (const href of linksIn(res.text)) {
      // One visit per path: the same page with other filters or another page number is the same page.
      if (seen.has(href) || [...seen].some((s) => pathOf(s) === pathOf(href))) continue;
      seen.add(href);
      queue.push(href);
    }
  }
  return byPath;
}

describe.each(['tr', 'en'] as const)('page titles (%s)', (lang) => {
  it('are unique per page across the back office reached from the navigation', async () => {
    const pages = await crawl(lang);
    expect(pages.size).toBeGreaterThan(80);
    const byTitle = new Map<string, string[]>();
    for (const [path, { title }] of pages) byTitle.set(title, [...(byTitle.get(title) ?? []), path]);
    const repeated = [...byTitle].filter(([, paths]) => paths.length > 1).map(([title, paths]) => `${title}: ${paths.join(', ')}`);
    expect(repeated).toEqual([]);
  }, 300_000);
});

describe('the open answers of a question', () => {
  it('are titled by the question, the kind of page and the survey, in the reader\'s language', async () => {
    const path = '/admin/surveys/vatandas-anketi/results/texts/iyilestirilmesi_gereken';
    const turkish = titleOf((await admin.get(`${path}?lang=tr`)).text)!;
    expect(turkish).toMatch(/^[^—]+ — Açık uçlu yanıtlar — 2025-2029 Stratejik Plan Vatandaş Memnuniyet ve Beklenti Anketi · Paydaş$/);
    const english = titleOf((await admin.get(`${path}?lang=en`)).text)!;
    expect(english).toMatch(/^[^—]+ — Open answers — 2025-2029 Strategic Plan Citizen Satisfaction and Expectations Survey · Paydaş$/);
    expect(english.split(' — ')[0]).not.toBe(turkish.split(' — ')[0]);
  });
});
