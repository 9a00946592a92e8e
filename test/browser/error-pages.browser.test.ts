/// <reference lib="dom" />
// The error pages a person can meet on a public form, in Turkish and in English: the form's token
// expired (a button opens the form again) and too many posts in a minute (429); axe-core and the
// page checks. The 404 page is checked in survey.browser.test.ts.
import { createI18n } from '../../server/platform/i18n/i18n';
import { browserSuite } from '../helpers/browser';
import { auditPage, phoneContext } from '../helpers/page-audit';

const { translators } = createI18n();
// Two posts a minute from one browser: the third is refused.
const suite = browserSuite({ rateLimits: { visitorPostsPerMinute: 2 } });

it.each(['tr', 'en'] as const)('an expired form and too many posts give pages that pass every check in %s', async (lang) => {
  const tr = translators[lang];
  const context = await phoneContext(suite.browser, { lang });
  const page = await context.newPage();
  const problems: string[] = [];
  const send = async () => {
    const [response] = await Promise.all([page.waitForEvent('response', (r) => r.request().method() === 'POST'), page.locator('button[value="next"]').click()]);
    await page.waitForLoadState();
    return response.status();
  };

  await page.goto(`${suite.url}/anket/vatandas-anketi/1?lang=${lang}`);
  // A page left open too long, or sent from another browser: its form token no longer fits.
  await page.locator('input[name="_csrf"]').evaluate((input) => ((input as HTMLInputElement).value = 'expired'));
  expect(await send()).toBe(403);
  expect(await page.locator('h1').textContent()).toBe(tr('errors:csrf.title'));
  expect(await page.locator('a.button.primary').getAttribute('href')).toBe('/anket/vatandas-anketi/1');
  problems.push(...(await auditPage(page, `error-form-expired-${lang}`, { lang })));

  await page.goto(`${suite.url}/anket/vatandas-anketi/1`);
  expect(await send()).toBe(422);
  expect(await send()).toBe(429);
  expect(await page.locator('h1').textContent()).toBe(tr('security:rate_limited.title'));
  problems.push(...(await auditPage(page, `error-too-many-${lang}`, { lang })));

  expect(problems).toEqual([]);
  await context.close();
});
