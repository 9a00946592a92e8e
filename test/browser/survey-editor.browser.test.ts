/// <reference lib="dom" />
// The survey editor in a real browser: a planner builds a survey through the forms, drags a
// question to a new place (the preview follows), publishes, and a resident answers it on a phone.
import { browserSuite, logInPage, screenshot } from '../helpers/browser';
import { auditPage, phoneContext } from '../helpers/page-audit';

const suite = browserSuite();

it('builds, reorders by dragging, previews and publishes a survey that a phone then answers', async () => {
  const context = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'tr-TR' });
  const page = await context.newPage();
  await logInPage(suite, page);
  const problems: string[] = [];

  await page.goto(`${suite.url}/admin/surveys`);
  await page.click('a[href="/admin/surveys/new"]');
  await page.fill('#f-slug', 'genclik-anketi');
  await page.fill('#f-title-tr', 'Gençlik anketi');
  await Promise.all([page.waitForURL(/\/edit$/), page.click('form[action="/admin/surveys/new"] button[type="submit"]')]);

  // A second question through the kind page and the question form.
  await page.click('a[href$="/sections/bolum_1/questions/new"]');
  await page.check('input[name="kind"][value="single_choice"]');
  await Promise.all([page.waitForURL(/kind=single_choice/), page.click('main form[method="get"] button[type="submit"]')]);
  await page.fill('[name="id"]', 'spor');
  await page.fill('[name="text.tr"]', 'Haftada kaç gün spor yapıyorsunuz?');
  await page.fill('[name="options.0.id"]', 'hic');
  await page.fill('[name="options.0.tr"]', 'Hiç');
  await page.fill('[name="options.1.id"]', 'bazen');
  await page.fill('[name="options.1.tr"]', 'Bazen');
  await Promise.all([page.waitForURL(/\/edit#question-spor$/), page.click('form.editor-form button[type="submit"]')]);
  problems.push(...(await auditPage(page, 'editor-overview', { lang: 'tr', admin: true })));

  // Dragging the new question above the first one saves the order and redraws the preview.
  const preview = page.frameLocator('iframe.phone-preview');
  await preview.locator('form').waitFor();
  const order = () => page.locator('ol.editor-questions li').evaluateAll((items) => items.map((item) => item.getAttribute('data-question')));
  expect(await order()).toEqual(['soru_1', 'spor']);
  const saved = page.waitForResponse((response) => response.url().endsWith('/questions/spor/move') && response.status() === 200);
  // The events a browser sends while a question is dragged above the first one. (Headless
  // chromium ends a mouse-driven HTML drag at once, so they are dispatched as it would send them.)
  await page.evaluate(() => {
    const source = document.getElementById('question-spor')!;
    const target = document.getElementById('question-soru_1')!;
    const box = target.getBoundingClientRect();
    const data = new DataTransfer();
    const send = (element: Element, type: string, y: number) =>
      element.dispatchEvent(new DragEvent(type, { bubbles: true, cancelable: true, dataTransfer: data, clientX: box.left + 10, clientY: y }));
    send(source, 'dragstart', 0);
    send(target, 'dragover', box.top + 2);
    send(source, 'drop', box.top + 2);
    send(source, 'dragend', box.top + 2);
  });
  await saved;
  expect(await order()).toEqual(['spor', 'soru_1']);
  await page.waitForFunction(() => {
    const frame = document.querySelector('iframe.phone-preview') as HTMLIFrameElement;
    const text = frame.contentDocument?.body?.textContent ?? '';
    return text.indexOf('Haftada kaç gün') >= 0 && text.indexOf('Haftada kaç gün') < text.indexOf('Soru 1');
  });
  await page.reload();
  expect(await order()).toEqual(['spor', 'soru_1']);
  await screenshot(page, 'editor-overview');

  await Promise.all([page.waitForURL(/\/admin\/surveys\/genclik-anketi$/), page.click('form[action$="/edit/publish"] button[type="submit"]')]);
  await context.close();

  const phone = await phoneContext(suite.browser, { lang: 'tr' });
  const resident = await phone.newPage();
  await resident.goto(`${suite.url}/anket/genclik-anketi/1`);
  await resident.check('input[name="spor"][value="bazen"]');
  await resident.fill('[name="soru_1"]', 'Daha çok park');
  await Promise.all([resident.waitForURL(/tesekkurler$/), resident.click('button[type="submit"][value="next"], button[type="submit"]:not([value="back"])')]);
  await phone.close();
  const answers = await suite.t.db.selectFrom('answers').select(['question_id', 'option_id']).execute();
  expect(answers).toEqual(expect.arrayContaining([expect.objectContaining({ question_id: 'spor', option_id: 'bazen' })]));
  expect(problems).toEqual([]);
}, 90_000);
