/// <reference lib="dom" />
// The question page's live preview in a real browser: what the planner types shows in the phone-sized
// panel within two seconds, nothing is saved meanwhile, and the page stays accessible with it filled.
import { browserSuite, logInPage, screenshot } from '../helpers/browser';
import { auditPage } from '../helpers/page-audit';

const suite = browserSuite();

it('shows the question being typed in the preview panel, stores nothing, and stays axe-clean', async () => {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'tr-TR' });
  const page = await context.newPage();
  await logInPage(suite, page);

  await page.goto(`${suite.url}/admin/surveys/new`);
  await page.fill('#f-slug', 'genclik-anketi');
  await page.fill('#f-title-tr', 'Gençlik anketi');
  await Promise.all([page.waitForURL(/\/edit$/), page.click('form[action="/admin/surveys/new"] button[type="submit"]')]);
  const draftBefore = await suite.t.db.selectFrom('survey_drafts').select(['definition', 'updated_at']).where('slug', '=', 'genclik-anketi').executeTakeFirstOrThrow();

  await page.goto(`${suite.url}/admin/surveys/genclik-anketi/edit/sections/bolum_1/questions/new?kind=single_choice`);
  const panel = page.locator('.live-preview-phone');
  // The blank form cannot be drawn yet: the panel says what to fill in first.
  await page.waitForFunction(() => (document.querySelector('.live-preview-phone')?.textContent ?? '').includes('Önizleme için önce'), undefined, { timeout: 2000 });

  await page.fill('[name="id"]', 'spor');
  await page.fill('[name="options.0.id"]', 'hic');
  await page.fill('[name="options.1.id"]', 'bazen');
  await page.fill('[name="options.1.tr"]', 'Bazen');
  await page.fill('[name="options.0.tr"]', 'Hiç <b>yok</b>');
  await page.type('[name="text.tr"]', 'Haftada kaç gün spor yapıyorsunuz?');
  await page.waitForFunction(
    () => {
      const text = document.querySelector('.live-preview-phone')?.textContent ?? '';
      return text.includes('Haftada kaç gün spor yapıyorsunuz?') && text.includes('Hiç <b>yok</b>') && text.includes('Bazen');
    },
    undefined,
    { timeout: 2000 },
  );
  // The label is text, not markup; the preview's inputs are disabled and outside the editor's form.
  expect(await panel.locator('b').count()).toBe(0);
  const radios = panel.locator('input[type="radio"]');
  expect(await radios.count()).toBe(2);
  expect(await radios.evaluateAll((inputs) => inputs.every((input) => input.matches(':disabled') && !(input as HTMLInputElement).form))).toBe(true);
  // Beside the form on a wide screen.
  const formBox = (await page.locator('form.editor-form').boundingBox())!;
  const panelBox = (await panel.boundingBox())!;
  expect(panelBox.x).toBeGreaterThanOrEqual(formBox.x + formBox.width);
  expect(Math.round(panelBox.width)).toBe(360);

  // Below it on a narrow one.
  await page.setViewportSize({ width: 700, height: 900 });
  const narrowForm = (await page.locator('form.editor-form').boundingBox())!;
  const narrowPanel = (await panel.boundingBox())!;
  expect(narrowPanel.y).toBeGreaterThanOrEqual(narrowForm.y + narrowForm.height);
  await page.setViewportSize({ width: 1280, height: 900 });

  // The check looks at the page as it is now, the preview filled.
  const problems = await auditPage(page, 'question-preview', { lang: 'tr', admin: true });
  await screenshot(page, 'question-preview');
  expect(problems).toEqual([]);

  // Typing saved nothing.
  const draftAfter = await suite.t.db.selectFrom('survey_drafts').select(['definition', 'updated_at']).where('slug', '=', 'genclik-anketi').executeTakeFirstOrThrow();
  expect(draftAfter).toEqual(draftBefore);
  await context.close();
}, 60_000);
