/// <reference lib="dom" />
// The citizen survey with the keyboard alone: Tab and Shift+Tab to move, arrow keys within a radio
// group, Space to tick, typing into text fields, Enter to follow a link or send the page; never a
// click, fill or check. And a page that comes back with errors: the focus on the error summary,
// Tab to its first link, Enter to land on the field.
import type { Page } from 'playwright-core';
import request from 'supertest';
import type { Fields } from '../helpers/forms';
import { browserSuite } from '../helpers/browser';
import { phoneContext, type Language } from '../helpers/page-audit';
import { completeSurvey, validSectionFields } from '../helpers/survey-walker';

jest.setTimeout(120_000);

const SLUG = 'vatandas-anketi';
const suite = browserSuite();

interface Focused {
  tag: string;
  type: string;
  name: string;
  value: string;
  checked: boolean;
  id: string;
  href: string;
  /** Inside the error summary. */
  inSummary: boolean;
}

/** What has the focus; reading the page is fine, only acting on it is the keyboard's job. */
const focused = (page: Page): Promise<Focused> =>
  page.evaluate(() => {
    const el = document.activeElement as HTMLInputElement & HTMLAnchorElement;
    return {
      tag: el.tagName.toLowerCase(),
      type: el.type ?? '',
      name: el.name ?? '',
      value: el.value ?? '',
      checked: el.checked === true,
      id: el.id,
      href: el.getAttribute('href') ?? '',
      inSummary: el.closest('#error-summary') !== null,
    };
  });

/** Presses Tab until `wanted` holds for the focused element; fails after `limit` presses. */
async function tabTo(page: Page, wanted: (f: Focused) => boolean, key = 'Tab', limit = 60): Promise<Focused> {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press(key);
    const now = await focused(page);
    if (wanted(now)) return now;
  }
  throw new Error(`${key} never reached the element looked for`);
}

const isNext = (f: Focused) => f.tag === 'button' && f.value === 'next';

/**
 * Answers the page in tab order with the answers of `targets`: a radio group is one tab stop
 * whose choice the arrow keys move (and tick); each checkbox is a stop ticked with Space; a select
 * steps through its options with the arrow keys; text is typed. Questions shown by an answer
 * (with JavaScript) come into the tab order as they appear. Ends on the Next button.
 */
async function answerByKeyboard(page: Page, targets: Fields): Promise<void> {
  const done = new Set<string>();
  for (let stops = 0; stops < 200; stops++) {
    await page.keyboard.press('Tab');
    let f = await focused(page);
    if (isNext(f)) {
      const visible = await page.evaluate(
        (names) => names.filter((name) => Array.from(document.getElementsByName(name)).some((el) => (el as HTMLElement).getClientRects().length > 0)),
        Object.keys(targets),
      );
      expect(visible.filter((name) => !done.has(name))).toEqual([]);
      return;
    }
    const target = targets[f.name];
    if (target === undefined || (done.has(f.name) && f.type !== 'checkbox')) continue;
    const wanted = Array.isArray(target) ? target : [target];
    if (f.type === 'radio') {
      for (let step = 0; f.value !== wanted[0] && step < 15; step++) {
        await page.keyboard.press('ArrowDown');
        f = await focused(page);
      }
      if (!f.checked) await page.keyboard.press('Space');
      expect(await focused(page)).toMatchObject({ name: f.name, value: wanted[0], checked: true });
    } else if (f.type === 'checkbox') {
      if (wanted.includes(f.value) && !f.checked) await page.keyboard.press('Space');
    } else if (f.tag === 'select') {
      for (let step = 0; f.value !== wanted[0] && step < 30; step++) {
        await page.keyboard.press('ArrowDown');
        f = await focused(page);
      }
      expect(f.value).toBe(wanted[0]);
    } else if (f.value === '') {
      await page.keyboard.type(wanted[0]!);
    }
    done.add(f.name);
  }
  throw new Error('the Next button was never reached');
}

describe.each([
  ['tr', true],
  ['en', false],
] as [Language, boolean][])('vatandas-anketi with the keyboard only, in %s, JavaScript %s', (lang, javaScript) => {
  it('goes from the introduction to the thank-you page', async () => {
    const survey = suite.t.catalog.find(SLUG)!;
    const context = await phoneContext(suite.browser, { lang, javaScript });
    const page = await context.newPage();
    await page.goto(`${suite.url}/anket/${SLUG}?lang=${lang}`);
    await tabTo(page, (f) => f.tag === 'a' && f.href === `/anket/${SLUG}/1`);
    await page.keyboard.press('Enter');
    for (let index = 0; index < survey.sections.length; index++) {
      await page.waitForURL(`**/anket/${SLUG}/${index + 1}`);
      await answerByKeyboard(page, validSectionFields(survey, index));
      // One step back and forth: Shift+Tab leaves Next for the last field, Tab returns.
      expect(isNext(await focused(page))).toBe(true);
      await page.keyboard.press('Shift+Tab');
      expect(isNext(await focused(page))).toBe(false);
      await page.keyboard.press('Tab');
      expect(isNext(await focused(page))).toBe(true);
      await page.keyboard.press('Enter');
    }
    await page.waitForURL(`**/anket/${SLUG}/tesekkurler`);
    const [keyboard] = await suite.t.db.selectFrom('responses').selectAll().where('status', '=', 'complete').execute();
    expect(keyboard).toMatchObject({ language: lang, channel: 'online' });
    // The same answers sent as plain form posts store exactly the same rows.
    await completeSurvey(request.agent(suite.t.app), survey);
    const answers = (responseId: number) =>
      suite.t.db
        .selectFrom('answers')
        .select(['question_id', 'option_id', 'value', 'text', 'rank', 'not_applicable'])
        .where('response_id', '=', responseId)
        .orderBy('question_id')
        .orderBy('option_id')
        .orderBy('rank')
        .execute();
    const posted = await suite.t.db.selectFrom('responses').select('id').where('id', '!=', keyboard!.id).where('status', '=', 'complete').executeTakeFirstOrThrow();
    const typed = await answers(keyboard!.id);
    expect(new Set(typed.map((a) => a.question_id)).size).toBeGreaterThan(15);
    expect(typed).toEqual(await answers(posted.id));
    await context.close();
  });

  it('lands on the error summary when a page comes back with errors, and its link leads to the field', async () => {
    const context = await phoneContext(suite.browser, { lang, javaScript });
    const page = await context.newPage();
    await page.goto(`${suite.url}/anket/${SLUG}/1?lang=${lang}`);
    await tabTo(page, isNext);
    // The page posts back to its own address: wait for the new page itself.
    await Promise.all([page.waitForEvent('load'), page.keyboard.press('Enter')]);
    expect(await page.locator('#error-summary').isVisible()).toBe(true);
    // With JavaScript the script moves the focus, without it the summary's autofocus does.
    expect((await focused(page)).id).toBe('error-summary');
    const link = await tabTo(page, (f) => f.tag === 'a', 'Tab', 1);
    expect(link).toMatchObject({ inSummary: true, href: '#f-cinsiyet' });
    await page.keyboard.press('Enter');
    expect(await focused(page)).toMatchObject({ id: 'f-cinsiyet', type: 'radio', name: 'cinsiyet' });
    // Space ticks the choice the link landed on.
    await page.keyboard.press('Space');
    expect(await focused(page)).toMatchObject({ name: 'cinsiyet', checked: true });
    await context.close();
  });
});
