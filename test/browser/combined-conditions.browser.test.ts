/// <reference lib="dom" />
// The page script mirrors a condition combined with all/any on the same page as the server reads
// it: the dependent question appears and disappears as the answers change.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { browserSuite } from '../helpers/browser';
import { phoneContext } from '../helpers/page-audit';
import { FIXTURE_SURVEYS } from '../helpers/test-app';

jest.setTimeout(60_000);

const SLUG = 'tum-soru-tipleri';
// The fixture, with the pet's name asked only of pet owners whose colour is red or who come by metro.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydas-combined-'));
for (const file of fs.readdirSync(FIXTURE_SURVEYS)) fs.copyFileSync(path.join(FIXTURE_SURVEYS, file), path.join(dir, file));
const definition = JSON.parse(fs.readFileSync(path.join(dir, `${SLUG}.json`), 'utf8'));
definition.sections[0].questions.find((q: { id: string }) => q.id === 'evcil_adi').showWhen = {
  all: [{ question: 'evcil', equals: 'evet' }, { any: [{ question: 'renk', equals: 'kirmizi' }, { question: 'ulasim', includes: 'metro' }] }],
};
fs.writeFileSync(path.join(dir, `${SLUG}.json`), JSON.stringify(definition));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const suite = browserSuite({ surveysDir: dir });

it('shows the dependent question exactly while the combined condition holds', async () => {
  const context = await phoneContext(suite.browser, { lang: 'tr' });
  const page = await context.newPage();
  await page.goto(`${suite.url}/anket/${SLUG}/1`);
  const name = page.locator('#q-evcil_adi');
  const shown = () => name.isVisible();
  expect(await shown()).toBe(false);
  await page.check('input[name="evcil"][value="evet"]');
  expect(await shown()).toBe(false);
  await page.check('input[name="renk"][value="kirmizi"]');
  expect(await shown()).toBe(true);
  await page.check('input[name="renk"][value="mavi"]');
  expect(await shown()).toBe(false);
  await page.check('input[name="ulasim"][value="metro"]');
  expect(await shown()).toBe(true);
  await page.check('input[name="evcil"][value="hayir"]');
  expect(await shown()).toBe(false);
  // The words the page shows without the script are hidden once it runs.
  expect(await page.locator('#c-evcil_adi').isVisible()).toBe(false);
  await context.close();
});
