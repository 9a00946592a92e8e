/// <reference lib="dom" />
// A survey that requires an access code, in a real browser at phone size, in Turkish and English,
// with and without JavaScript: the start page asks for the code, refuses a wrong one with an
// error summary, and lets a valid one in. The planner's pages pass axe-core, and the printable
// cards are printed to an A4 PDF (test-artifacts/screenshots/access-code-cards.pdf).
import fs from 'node:fs';
import path from 'node:path';
import * as accessCodeService from '../../server/surveys/access-codes/access-code.service';
import { formatCode } from '../../server/surveys/access-codes/access-codes';
import { createI18n } from '../../server/platform/i18n/i18n';
import { ARTIFACTS, axeViolations, browserSuite, logInPage } from '../helpers/browser';
import { auditPage, phoneContext } from '../helpers/page-audit';

const { translators } = createI18n();
const suite = browserSuite();
const SLUG = 'vatandas-anketi';
const actor = { userId: null, email: 'test', ip: null };

async function requiredWithCodes(size: number): Promise<{ batchId: number; codes: string[] }> {
  await accessCodeService.setMode(suite.t.db, SLUG, 'required', actor, suite.t.clock.now);
  const outcome = await accessCodeService.createBatch(suite.t.db, SLUG, { label: 'Muhtarlık dağıtımı – Cami Mah.', size }, actor, suite.t.clock.now);
  if (outcome.kind !== 'created') throw new Error('no batch');
  const rows = await suite.t.db.selectFrom('access_codes').select('code').where('batch_id', '=', outcome.batchId).orderBy('id').execute();
  return { batchId: outcome.batchId, codes: rows.map((r) => r.code) };
}

describe.each([
  ['tr', true],
  ['en', 'blocked'],
] as const)('the start page of a survey that requires a code (%s, JavaScript %s)', (lang, javaScript) => {
  it('asks for the code, refuses a wrong one clearly and lets a valid one in, passing every check', async () => {
    const { codes } = await requiredWithCodes(2);
    const t = translators[lang];
    const context = await phoneContext(suite.browser, { lang, javaScript });
    const page = await context.newPage();
    const problems: string[] = [];

    await page.goto(`${suite.url}/anket/${SLUG}?lang=${lang}`);
    expect(await page.locator('label[for="kod"]').textContent()).toBe(t('access_codes:public.label_required'));
    problems.push(...(await auditPage(page, `access-code-start-${lang}`, { lang })));

    await page.fill('#kod', 'K7Q4M-2MXAR');
    const [refused] = await Promise.all([page.waitForEvent('response', (r) => r.request().method() === 'POST'), page.locator('form button[type="submit"]').click()]);
    await page.waitForLoadState();
    expect(refused.status()).toBe(422);
    expect(await page.locator('#kod-error').textContent()).toBe(t('access_codes:public.unknown'));
    problems.push(...(await auditPage(page, `access-code-refused-${lang}`, { lang })));

    // Typed as people do: lower case, a space instead of the dash.
    await page.fill('#kod', formatCode(codes[0]!).toLowerCase().replace('-', ' '));
    await Promise.all([page.waitForURL(`${suite.url}/anket/${SLUG}/1`), page.locator('form button[type="submit"]').click()]);
    expect(await page.locator('form[data-survey]').count()).toBe(1);

    expect(problems).toEqual([]);
    await context.close();
  });
});

it('gives the planner an accessible codes page and cards that print ten to an A4 page', async () => {
  const { batchId, codes } = await requiredWithCodes(23);
  const context = await suite.browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  await logInPage(suite, page);

  await page.goto(`${suite.url}/admin/surveys/${SLUG}/access-codes`);
  expect(await axeViolations(page)).toEqual([]);
  expect(await page.locator('tbody tr').count()).toBe(1);

  await page.goto(`${suite.url}/admin/surveys/${SLUG}/access-codes/batches/${batchId}/cards`);
  expect(await axeViolations(page)).toEqual([]);
  expect(await page.locator('.code-card svg').count()).toBe(23);
  expect(await page.locator('.code-value').first().textContent()).toBe(formatCode(codes[0]!));

  await page.emulateMedia({ media: 'print' });
  // Printed, the header and the help above the sheet are hidden, and every card stays whole.
  expect(await page.locator('header.site').isVisible()).toBe(false);
  expect(await page.locator('.no-print').first().isVisible()).toBe(false);
  const size = await page.locator('.code-card').first().evaluate((card) => {
    const box = card.getBoundingClientRect();
    return { width: Math.round((box.width * 25.4) / 96), height: Math.round((box.height * 25.4) / 96) };
  });
  expect(size).toEqual({ width: 95, height: 55 });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const pdf = await page.pdf({ path: path.join(ARTIFACTS, 'access-code-cards.pdf'), format: 'A4', printBackground: true, preferCSSPageSize: true });
  // 23 cards: two full pages of ten and a third with three.
  expect(pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)).toHaveLength(3);
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'access-code-cards-print.png'), fullPage: true });
  await context.close();
});
