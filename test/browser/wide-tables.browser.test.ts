/// <reference lib="dom" />
// Wide back-office tables scroll inside their own box, never the page: at a desktop 1280 px and a
// phone 360 px the document does not scroll sideways, a wide table's box does, it is a labelled
// region the keyboard can reach, its first column stays in view while the rest scrolls, and the
// last column can be scrolled fully into view (nothing is cut off).
import type { Page } from 'playwright-core';
import { invitationService } from '../../server/opinions';
import { stakeholderService } from '../../server/stakeholders';
import { insertSyntheticResponses } from '../../server/surveys/synthetic-responses';
import { axeViolations, browserSuite, logInPage, screenshot } from '../helpers/browser';
import { INVITATION_DEADLINE } from '../helpers/invitation';
import { TEST_BASE_URL } from '../helpers/test-app';

const suite = browserSuite();

async function seed(): Promise<void> {
  const t = suite.t;
  await insertSyntheticResponses(t.db, t.catalog.find('vatandas-anketi')!, { count: 200, seed: 5 });
  const actor = { userId: null, email: 'test', ip: null };
  // Institutions' addresses are long and cannot wrap: what makes the invitations table wide.
  const ids: number[] = [];
  for (const [name, email, importance, influence] of [
    ['Yeşilvadi Üniversitesi Mühendislik Fakültesi Dekanlığı', 'muhendislik.fakultesi.dekanlik.sekreterligi@yesilvadi-universitesi.edu.tr', 5, 4],
    ['Çevre ve Doğal Hayatı Koruma Derneği Yeşilvadi Şubesi', 'yesilvadi.subesi.baskanligi@cevre-ve-dogal-hayati-koruma-dernegi.org.tr', 2, 4],
  ] as const) {
    ids.push(
      await stakeholderService.create(
        t.db,
        { name, group: 'stk', scope: 'external', type: null, emails: [email], contactPerson: null, areas: ['park_bahce'], reason: null, importance, influence, language: 'tr' },
        actor,
        t.clock.now,
      ),
    );
  }
  await invitationService.invite(t.db, { mailer: t.mailer, baseUrl: TEST_BASE_URL }, {
    survey: t.catalog.find('kurum-gorus-formu')!,
    stakeholderIds: ids,
    deadline: INVITATION_DEADLINE,
    reminderDays: null,
    actor,
    now: t.clock.now,
  });
}

const PAGES = [
  '/admin/report',
  '/admin/opinions/kurum-gorus-formu',
  '/admin/surveys/vatandas-anketi/results?cross_by=mahalle&cross_q=hizmet_memnuniyeti.park_bahce',
  '/admin/surveys/vatandas-anketi/responses',
  '/admin/stakeholders',
  '/admin/stakeholders/analysis',
  '/admin/surveys',
  '/admin/audit',
  '/admin/outbox',
];

interface Box {
  label: string | null;
  region: boolean;
  focusable: boolean;
  scrollWidth: number;
  clientWidth: number;
}

/** Every table on the page: the box it scrolls in (if any) and how wide it is against that box. */
function tables(page: Page): Promise<Box[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll('main table')).map((table) => {
      const box = table.closest('.table-scroll') as HTMLElement | null;
      const el = box ?? (table as HTMLElement);
      return {
        label: box?.getAttribute('aria-label') ?? null,
        // A <section> with a name is a region (html-validate prefers it to role="region").
        region: box?.tagName === 'SECTION' && Boolean(box.getAttribute('aria-label')?.trim()),
        focusable: box?.tabIndex === 0,
        scrollWidth: el.scrollWidth,
        clientWidth: el.clientWidth,
      };
    }),
  );
}

/** How far the page scrolls sideways, with the outermost elements that stick out (to say what to fix). */
const documentOverflow = (page: Page) =>
  page.evaluate(() => {
    const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    if (overflow <= 0) return 0;
    const width = document.documentElement.clientWidth;
    const clipped = (el: HTMLElement) => {
      for (let node = el.parentElement; node; node = node.parentElement) if (['auto', 'scroll', 'hidden'].includes(getComputedStyle(node).overflowX)) return true;
      return false;
    };
    const sticksOut = (el: HTMLElement | null) => Boolean(el && el.getBoundingClientRect().right > width + 1 && !clipped(el));
    const out = Array.from(document.querySelectorAll<HTMLElement>('body *')).filter((el) => sticksOut(el) && !sticksOut(el.parentElement));
    return `${overflow}px: ${out.map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className ? '.' + String(el.className).replace(/ /g, '.') : '')).join(', ')}`;
  });

/** Scrolls the widest table box to its end: where its first column and its last header cell are before and after. */
function scrollWidest(page: Page) {
  return page.evaluate(() => {
    const boxes = Array.from(document.querySelectorAll<HTMLElement>('main .table-scroll')).filter((box) => box.scrollWidth > box.clientWidth + 1);
    const box = boxes.sort((a, b) => b.scrollWidth - b.clientWidth - (a.scrollWidth - a.clientWidth))[0];
    if (!box) return null;
    const row = box.querySelector('tbody tr:not(.group)') ?? box.querySelector('tr')!;
    const first = row.firstElementChild as HTMLElement;
    const last = (box.querySelector('thead tr') ?? row).lastElementChild as HTMLElement;
    first.scrollIntoView({ block: 'center' });
    box.scrollLeft = 0;
    const before = first.getBoundingClientRect().left;
    box.scrollLeft = box.scrollWidth;
    const after = first.getBoundingClientRect().left;
    const boxRect = box.getBoundingClientRect();
    const lastRect = last.getBoundingClientRect();
    return {
      label: box.getAttribute('aria-label'),
      scrolled: box.scrollLeft,
      before,
      after,
      lastInside: (lastRect.right <= boxRect.right + 1 && lastRect.left >= boxRect.left - 1) || `last ${Math.round(lastRect.left)}–${Math.round(lastRect.right)} in box ${Math.round(boxRect.left)}–${Math.round(boxRect.right)}: ${last.outerHTML.slice(0, 100)}`,
      // The first column stays on top of what scrolls under it.
      onTop: ((hit) => first.contains(hit) || `${hit?.outerHTML.slice(0, 120)} over ${first.outerHTML.slice(0, 120)}`)(document.elementFromPoint(before + 2, first.getBoundingClientRect().top + 2)),
    };
  });
}

describe.each([
  ['desktop', { width: 1280, height: 900 }],
  ['phone', { width: 360, height: 740 }],
] as const)('wide tables on a %s', (name, viewport) => {
  it('scroll inside their own labelled, focusable box with the first column kept in view', async () => {
    await seed();
    const context = await suite.browser.newContext({ locale: 'tr-TR', viewport });
    const page = await context.newPage();
    await logInPage(suite, page, 'admin');
    const wide: string[] = [];
    for (const path of PAGES) {
      const response = await page.goto(`${suite.url}${path}`);
      expect([path, response?.status()]).toEqual([path, 200]);
      // The page itself never scrolls sideways.
      expect([path, await documentOverflow(page)]).toEqual([path, 0]);
      for (const table of await tables(page)) {
        if (table.scrollWidth <= table.clientWidth + 1) continue;
        // A table wider than where it stands is in a scroll box, a region named for the keyboard and screen readers.
        expect([path, table]).toEqual([path, expect.objectContaining({ region: true, focusable: true, label: expect.stringMatching(/\S/) })]);
        wide.push(`${path}: ${table.label}`);
      }
      const scrolled = await scrollWidest(page);
      if (scrolled) {
        expect(scrolled.scrolled).toBeGreaterThan(0);
        expect([path, scrolled.label, Math.round(scrolled.after)]).toEqual([path, scrolled.label, Math.round(scrolled.before)]);
        expect([path, scrolled.label, scrolled.lastInside, scrolled.onTop]).toEqual([path, scrolled.label, true, true]);
      }
      expect([path, await axeViolations(page)]).toEqual([path, []]);
    }
    await screenshot(page, `admin-wide-tables-${name}`);
    // The invitations table is wide at desktop width already; on a phone the report's tables are too.
    expect(wide.some((w) => w.startsWith('/admin/opinions/kurum-gorus-formu:'))).toBe(true);
    if (name === 'phone') expect(wide.filter((w) => w.startsWith('/admin/report:')).length).toBeGreaterThan(5);
    await context.close();
  }, 120_000);
});

it('a wide table box scrolls with the keyboard: Tab reaches it, the arrow keys move it', async () => {
  await seed();
  const context = await suite.browser.newContext({ locale: 'tr-TR', viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await logInPage(suite, page);
  await page.goto(`${suite.url}/admin/opinions/kurum-gorus-formu`);
  const box = page.locator('main section.table-scroll').filter({ has: page.locator('table') });
  const index = await box.evaluateAll((boxes) => boxes.findIndex((b) => b.scrollWidth > b.clientWidth + 1));
  expect(index).toBeGreaterThanOrEqual(0);
  const wide = box.nth(index);
  await wide.focus();
  expect(await wide.evaluate((el) => document.activeElement === el && getComputedStyle(el).outlineStyle !== 'none')).toBe(true);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('End');
  await page.waitForFunction((el) => (el as HTMLElement).scrollLeft > 0, await wide.elementHandle());
  await context.close();
}, 60_000);
