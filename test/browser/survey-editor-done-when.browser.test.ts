/// <reference lib="dom" />
// Issue 18 "Done when", end to end in a real browser: a planner who never sees JSON builds a
// 20-question survey in four sections with a grouped matrix, a banded age and a condition, only
// through the editor's forms; previews a section at phone width; publishes; a resident answers on
// a 360×740 phone (the condition shown and hidden as they answer); the planner sees the answer in
// the results (the age in its band, the matrix under its headings); and the survey exported as an
// XLSForm imports back to the very same definition.
import type { Page } from 'playwright-core';
import { browserSuite, logInPage, screenshot } from '../helpers/browser';
import { phoneContext, PHONE } from '../helpers/page-audit';
import { FIXTURE_SURVEYS } from '../helpers/test-app';
import { resolveSurvey } from '../../server/surveys/survey-catalog';
import { allQuestions, type QuestionKind } from '../../server/surveys/survey-definition';
import { fromXlsForm, readXlsForm } from '../../server/surveys/xlsform';

jest.setTimeout(240_000);

const SLUG = 'memnuniyet-2027';
const EDIT = `/admin/surveys/${SLUG}/edit`;
const suite = browserSuite({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });

type FormFields = Record<string, string | string[]>;

/** Fills the editor's form as a person does: typing, picking from lists, ticking boxes (opening a folded group first). */
async function fillForm(page: Page, fields: FormFields): Promise<void> {
  for (const [name, value] of Object.entries(fields)) {
    if (Array.isArray(value)) {
      for (const item of value) {
        const box = page.locator(`input[name="${name}"][value="${item}"]`);
        if (!(await box.isVisible())) await page.locator(`details:has(input[name="${name}"]) > summary`).click();
        await box.check();
      }
      continue;
    }
    const field = page.locator(`[name="${name}"]:not([type="hidden"])`);
    if ((await field.count()) !== 1) throw new Error(`the form at ${page.url()} has ${await field.count()} fields named ${name}`);
    const tag = await field.evaluate((el) => (el.tagName === 'INPUT' ? `input:${(el as HTMLInputElement).type}` : el.tagName.toLowerCase()));
    if (tag === 'select') await field.selectOption(value);
    else if (tag === 'input:checkbox' || tag === 'input:radio') await (value === '' ? field.uncheck() : field.check());
    else await field.fill(value);
  }
}

/** The errors shown on a refused editor page, to say why a step failed. */
async function shownErrors(page: Page): Promise<string> {
  return (await page.locator('.error, .error-summary, .flash').allInnerTexts()).join(' | ');
}

async function saveForm(page: Page, expectedUrl: RegExp, step: string): Promise<void> {
  await page.locator('form.editor-form button[type="submit"]').click();
  await page.waitForLoadState();
  if (!expectedUrl.test(page.url())) throw new Error(`${step}: not saved (${page.url()}): ${await shownErrors(page)}`);
}

/** From the overview: "add a question" under the section, the kind, then the question's form. */
async function addQuestion(page: Page, section: string, kind: QuestionKind, fields: FormFields): Promise<void> {
  await page.goto(`${suite.url}${EDIT}`);
  await page.click(`a[href="${EDIT}/sections/${section}/questions/new"]`);
  await page.check(`input[name="kind"][value="${kind}"]`);
  await Promise.all([page.waitForURL(new RegExp(`kind=${kind}$`)), page.click('main form[method="get"] button[type="submit"]')]);
  await fillForm(page, fields);
  await saveForm(page, new RegExp(`/edit#question-${String(fields.id)}$`), `question ${String(fields.id)}`);
}

/** From the overview: the question's "edit" link, changes, save. */
async function editQuestion(page: Page, id: string, fields: FormFields, newId = id): Promise<void> {
  await page.goto(`${suite.url}${EDIT}`);
  await page.click(`a[href="${EDIT}/questions/${id}"]`);
  await fillForm(page, fields);
  await saveForm(page, new RegExp(`/edit#question-${newId}$`), `question ${id}`);
}

async function addSection(page: Page, id: string, title: string): Promise<void> {
  await page.goto(`${suite.url}${EDIT}`);
  await page.click(`a[href="${EDIT}/sections/new"]`);
  await fillForm(page, { id, 'title.tr': title });
  await saveForm(page, new RegExp(`/edit#section-${id}$`), `section ${id}`);
}

/** No sideways scrolling: the page is no wider than its viewport. */
const fitsWidth = (page: Pick<Page, 'evaluate'>) => page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth);

it('a planner builds, previews and publishes a 20-question survey; a phone answers it; results and XLSForm follow', async () => {
  const { t } = suite;
  const planner = await suite.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'tr-TR' });
  const page = await planner.newPage();
  await logInPage(suite, page);

  // A new survey from scratch, its settings, and its first section renamed.
  await page.goto(`${suite.url}/admin/surveys`);
  await page.click('a[href="/admin/surveys/new"]');
  await page.fill('#f-slug', SLUG);
  await page.fill('#f-title-tr', 'Vatandaş Memnuniyet Anketi 2027');
  await Promise.all([page.waitForURL(/\/edit$/), page.click('form[action="/admin/surveys/new"] button[type="submit"]')]);
  await page.click(`a[href="${EDIT}/settings"]`);
  await fillForm(page, { 'intro.tr': 'Stratejik Plan hazırlığı için görüşlerinizi almak istiyoruz.', 'thanks.tr': 'Katkınız için teşekkür ederiz.' });
  await saveForm(page, /\/edit$/, 'settings');
  await page.click(`a[href="${EDIT}/sections/bolum_1"]`);
  await fillForm(page, { id: 'profil', 'title.tr': 'Sizi tanıyalım' });
  await saveForm(page, /\/edit#section-profil$/, 'section profil');
  await addSection(page, 'hizmetler', 'Belediye hizmetleri');
  await addSection(page, 'iletisim', 'Belediyeyle iletişim');
  await addSection(page, 'gorusler', 'Görüş ve önerileriniz');

  // Section 1: who answers. The new survey's placeholder question becomes the first one.
  await editQuestion(page, 'soru_1', { id: 'meslek', 'text.tr': 'Mesleğiniz', 'text.en': 'Your occupation', maxLength: '100' }, 'meslek');
  await addQuestion(page, 'profil', 'single_choice', {
    id: 'cinsiyet', 'text.tr': 'Cinsiyetiniz', required: 'on', role: 'profile.gender',
    'options.0.id': 'kadin', 'options.0.tr': 'Kadın', 'options.1.id': 'erkek', 'options.1.tr': 'Erkek',
    'options.2.id': 'belirtmek_istemiyorum', 'options.2.tr': 'Belirtmek istemiyorum',
  });
  await addQuestion(page, 'profil', 'number', {
    id: 'yas', 'text.tr': 'Yaşınız', required: 'on', integer: 'on', min: '15', max: '99', 'unit.tr': 'yaş',
    'bands.paste': '18-24\n25-34\n35-49\n50-64\n65+', role: 'profile.age',
  });
  await addQuestion(page, 'profil', 'select', { id: 'mahalle', 'text.tr': 'Mahalleniz', required: 'on', role: 'profile.mahalle', 'options.list': 'mahalles' });
  await addQuestion(page, 'profil', 'select', {
    id: 'egitim', 'text.tr': 'Eğitim durumunuz', role: 'profile.education',
    'options.paste': 'İlkokul\nOrtaokul\nLise\nÜniversite\nLisansüstü',
  });

  // Section 2: the services, with a matrix of two row groups made from pasted rows.
  await addQuestion(page, 'hizmetler', 'likert_matrix', {
    id: 'kurum', 'text.tr': 'Belediyemizi aşağıdaki yönlerden değerlendiriniz', required: 'on', role: 'image',
    'rows.paste': 'Vizyon ve hedefler\nŞeffaflık\nHesap verebilirlik\nPlanlama\nBirimler arası koordinasyon\nPersonelin yetkinliği',
    ...Object.fromEntries(['Çok kötü', 'Kötü', 'Orta', 'İyi', 'Çok iyi'].flatMap((label, i) => [[`scale.${i}.value`, String(i + 1)], [`scale.${i}.tr`, label]])),
    'notApplicable.tr': 'Bilgim yok',
  });
  // The headings go beside the rows that start each group.
  await editQuestion(page, 'kurum', { 'rows.0.group.tr': 'KURUMSAL', 'rows.0.group.en': 'INSTITUTIONAL', 'rows.3.group.tr': 'YÖNETSEL' });
  await addQuestion(page, 'hizmetler', 'rating', { id: 'genel_puan', 'text.tr': 'Belediyeye genel olarak kaç puan verirsiniz?', scale: '0-10', 'minLabel.tr': 'Çok kötü', 'maxLabel.tr': 'Mükemmel' });
  await addQuestion(page, 'hizmetler', 'ranking', {
    id: 'oncelik', 'text.tr': 'Önümüzdeki beş yılın en öncelikli üç alanı', role: 'priority', rankCount: '3',
    'items.paste': 'Ulaşım\nÇevre ve temizlik\nKültür ve sanat\nSosyal yardım\nİmar ve kentsel dönüşüm',
  });
  await addQuestion(page, 'hizmetler', 'multiple_choice', {
    id: 'haber_kanali', 'text.tr': 'Belediyeden haberleri nereden alıyorsunuz?', other: 'on', maxSelections: '3',
    'options.paste': 'İnternet sitesi\nSosyal medya\nYerel gazete\nMuhtarlık',
  });

  // Section 3: contact with the municipality; two questions shown only to those who applied.
  await addQuestion(page, 'iletisim', 'single_choice', {
    id: 'basvuru', 'text.tr': 'Son bir yılda belediyeye bir başvurunuz oldu mu?', required: 'on',
    'options.0.id': 'evet', 'options.0.tr': 'Evet', 'options.1.id': 'hayir', 'options.1.tr': 'Hayır',
  });
  for (const [kind, fields] of [
    ['short_text', { id: 'basvuru_konu', 'text.tr': 'Başvurunuz ne hakkındaydı?', required: 'on' }],
    ['rating', { id: 'basvuru_puan', 'text.tr': 'Başvurunuzun sonucundan ne kadar memnun kaldınız?', scale: '1-5', 'minLabel.tr': 'Hiç', 'maxLabel.tr': 'Çok' }],
  ] as const) {
    await addQuestion(page, 'iletisim', kind, { ...fields, 'showWhen.question': 'basvuru', 'showWhen.operator': 'equals', 'showWhen.value.basvuru': ['evet'] });
  }
  await addQuestion(page, 'iletisim', 'date', { id: 'basvuru_tarihi', 'text.tr': 'Son başvurunuzun tarihi', min: '2020-01-01', max: '2026-12-31' });
  await addQuestion(page, 'iletisim', 'single_choice', { id: 'ulasim', 'text.tr': 'Belediyeye en çok nasıl ulaşıyorsunuz?', 'options.paste': 'Telefon\nE-posta\nBizzat gelerek' });

  // Section 4: open views and a last few questions.
  await addQuestion(page, 'gorusler', 'long_text', { id: 'guclu', 'text.tr': 'Belediyemizin en güçlü yanı nedir?', role: 'swot.strength' });
  await addQuestion(page, 'gorusler', 'long_text', { id: 'zayif', 'text.tr': 'Belediyemizin en zayıf yanı nedir?', role: 'swot.weakness' });
  await addQuestion(page, 'gorusler', 'long_text', { id: 'oneri', 'text.tr': 'Neyi iyileştirmeliyiz?', role: 'open.improve', 'help.tr': 'Kişisel bilgi yazmayınız.' });
  await addQuestion(page, 'gorusler', 'short_text', { id: 'park_adi', 'text.tr': 'Yeni kent parkına hangi adı verirdiniz?' });
  await addQuestion(page, 'gorusler', 'single_choice', { id: 'toplanti', 'text.tr': 'Mahalle toplantılarına katılmak ister misiniz?', 'options.paste': 'Evet\nHayır\nBelki' });
  await addQuestion(page, 'gorusler', 'number', { id: 'ikamet', 'text.tr': 'Kaç yıldır ilçemizde yaşıyorsunuz?', min: '0', max: '99', integer: 'on', 'unit.tr': 'yıl' });

  // A new section comes with a placeholder question (the format has no empty sections): removed now.
  await page.goto(`${suite.url}${EDIT}`);
  const placeholders = await page.locator('li[data-question^="soru_"]').evaluateAll((items) => items.map((item) => item.getAttribute('data-question')!));
  expect(placeholders).toHaveLength(3);
  for (const id of placeholders) {
    await Promise.all([page.waitForURL(/\/edit$/), page.click(`form[action="${EDIT}/questions/${id}/remove"] button[type="submit"]`)]);
  }

  // What the planner built, as the editor keeps it.
  const draftRow = await t.db.selectFrom('survey_drafts').select('definition').where('slug', '=', SLUG).executeTakeFirstOrThrow();
  const draft = JSON.parse(draftRow.definition) as { sections: { id: string; questions: { id: string }[] }[] };
  expect(draft.sections.map((s) => [s.id, s.questions.length])).toEqual([['profil', 5], ['hizmetler', 4], ['iletisim', 5], ['gorusler', 6]]);

  // The phone-sized preview of the services section: its questions, the matrix headings, no sideways scroll.
  await page.goto(`${suite.url}${EDIT}`);
  await page.selectOption('#preview-section', '2');
  await Promise.all([page.waitForURL(/\?section=2$/), page.click('form[action$="/edit"][method="get"] button[type="submit"]')]);
  const frameElement = page.locator('iframe.phone-preview');
  expect(await frameElement.getAttribute('src')).toBe(`${EDIT}/preview/2`);
  expect(Math.round((await frameElement.boundingBox())!.width)).toBeLessThanOrEqual(PHONE.width + 4);
  const preview = page.frames().find((frame) => frame.url().endsWith(`${EDIT}/preview/2`))!;
  await preview.waitForLoadState();
  const previewText = await preview.locator('main').innerText();
  for (const text of ['Belediyemizi aşağıdaki yönlerden değerlendiriniz', 'KURUMSAL', 'YÖNETSEL', 'Şeffaflık', 'Belediyeye genel olarak kaç puan verirsiniz?', 'Önümüzdeki beş yılın en öncelikli üç alanı', 'Belediyeden haberleri nereden alıyorsunuz?']) {
    expect(previewText).toContain(text);
  }
  expect(await preview.evaluate(() => document.documentElement.clientWidth)).toBeLessThanOrEqual(PHONE.width);
  expect(await fitsWidth(preview)).toBe(true);
  await screenshot(page, 'done-when-editor-overview');

  // Publish.
  await Promise.all([page.waitForURL(new RegExp(`/admin/surveys/${SLUG}$`)), page.click('form[action$="/edit/publish"] button[type="submit"]')]);
  const survey = t.catalog.find(SLUG)!;
  expect(allQuestions(survey)).toHaveLength(20);

  // A resident answers on a phone.
  const phone = await phoneContext(suite.browser, { lang: 'tr' });
  const resident = await phone.newPage();
  const next = async (expected: RegExp) => {
    expect(await fitsWidth(resident)).toBe(true);
    await Promise.all([resident.waitForURL(expected), resident.click('button[type="submit"][value="next"]')]);
  };
  await resident.goto(`${suite.url}/anket/${SLUG}/1`);
  await resident.fill('[name="meslek"]', 'Öğretmen');
  await resident.check('input[name="cinsiyet"][value="kadin"]');
  await resident.fill('[name="yas"]', '29');
  await resident.selectOption('[name="mahalle"]', 'cami');
  await resident.selectOption('[name="egitim"]', 'universite');
  await next(/\/anket\/memnuniyet-2027\/2$/);

  const headings = await resident.locator('main').innerText();
  expect(headings.indexOf('KURUMSAL')).toBeLessThan(headings.indexOf('Şeffaflık'));
  expect(headings.indexOf('YÖNETSEL')).toBeGreaterThan(headings.indexOf('Hesap verebilirlik'));
  const kurum = survey.sections[1]!.questions[0]!;
  if (kurum.kind !== 'likert_matrix') throw new Error('kurum is not a matrix');
  for (const [i, row] of kurum.rows.entries()) await resident.check(`input[name="kurum.${row.id}"][value="${i === 1 ? 'na' : String((i % 5) + 1)}"]`);
  await resident.check('input[name="genel_puan"][value="8"]');
  await resident.selectOption('[name="oncelik.1"]', 'cevre_ve_temizlik');
  await resident.selectOption('[name="oncelik.2"]', 'ulasim');
  await resident.selectOption('[name="oncelik.3"]', 'kultur_ve_sanat');
  await resident.check('input[name="haber_kanali"][value="sosyal_medya"]');
  await resident.check('input[name="haber_kanali"][value="muhtarlik"]');
  await next(/\/anket\/memnuniyet-2027\/3$/);

  // The two questions about the application appear only after "Evet".
  const konu = resident.locator('#q-basvuru_konu');
  await resident.check('input[name="basvuru"][value="hayir"]');
  expect(await konu.isVisible()).toBe(false);
  expect(await resident.locator('#q-basvuru_puan').isVisible()).toBe(false);
  await resident.check('input[name="basvuru"][value="evet"]');
  expect(await konu.isVisible()).toBe(true);
  await resident.fill('[name="basvuru_konu"]', 'Kaldırım onarımı');
  await resident.check('input[name="basvuru_puan"][value="4"]');
  await resident.fill('[name="basvuru_tarihi"]', '2026-03-12');
  await resident.check('input[name="ulasim"][value="bizzat_gelerek"]');
  await next(/\/anket\/memnuniyet-2027\/4$/);

  await resident.fill('[name="guclu"]', 'Ulaşılabilir olması.');
  await resident.fill('[name="zayif"]', 'Duyuruların geç yapılması.');
  await resident.fill('[name="oneri"]', 'Parklara daha çok gölgelik.');
  await resident.fill('[name="park_adi"]', 'Çınar Parkı');
  await resident.check('input[name="toplanti"][value="belki"]');
  await resident.fill('[name="ikamet"]', '12');
  await next(/\/anket\/memnuniyet-2027\/tesekkurler$/);
  expect(await resident.locator('main').innerText()).toContain('Katkınız için teşekkür ederiz.');
  await phone.close();

  // The planner sees the answer arrive: the age in its band, the matrix under its headings.
  await page.goto(`${suite.url}/admin/surveys/${SLUG}/results`);
  const results = await page.content();
  expect(results).toContain('Bu süzgeçle 1 tamamlanmış yanıt');
  const part = (id: string) => {
    const start = results.indexOf(`<section class="result" aria-labelledby="q-${id}">`);
    expect(start).toBeGreaterThan(0);
    const end = results.indexOf('<section class="result"', start + 1);
    return results.slice(start, end < 0 ? undefined : end);
  };
  const age = part('yas');
  expect(age).toMatch(/<th scope="row">25[-–]34<\/th><td class="num" data-value="1">1<\/td>/);
  expect(age).toMatch(/<th scope="row">18[-–]24<\/th><td class="num" data-value="0">0<\/td>/);
  const matrix = part('kurum');
  const order = ['>KURUMSAL</th>', '>Vizyon ve hedefler</th>', '>Şeffaflık</th>', '>Hesap verebilirlik</th>', '>YÖNETSEL</th>', '>Planlama</th>', '>Personelin yetkinliği</th>'].map((s) => matrix.indexOf(s));
  expect(order.every((p) => p > 0)).toBe(true);
  expect([...order].sort((a, b) => a - b)).toEqual(order);
  expect(matrix).toMatch(/scope="rowgroup"[^>]*>KURUMSAL<\/th>/);
  expect(part('basvuru_konu')).toContain('<dd>1</dd>');
  expect(part('oncelik')).toMatch(/<th scope="row">Çevre ve temizlik<\/th><td class="num" data-value="1">1<\/td><td class="num" data-value="100">100,0<\/td><td class="num" data-value="1">1<\/td>/);
  await screenshot(page, 'done-when-results');

  // The survey exported as an XLSForm imports back to the very same definition.
  const exported = await page.request.get(`${suite.url}/admin/surveys/${SLUG}/export.xlsform.xlsx`);
  expect(exported.status()).toBe(200);
  const imported = fromXlsForm(await readXlsForm(await exported.body()), { audience: 'meeting', opensAt: '2020-01-01T00:00:00+03:00', closesAt: '2020-01-02T00:00:00+03:00' });
  expect(imported).toEqual({ survey: expect.anything(), approximations: [] });
  if (!('survey' in imported)) return;
  const resolved = resolveSurvey(imported.survey, t.catalog.municipality);
  if (!('survey' in resolved)) throw new Error(JSON.stringify(resolved.problems));
  expect(resolved.survey).toEqual(survey);
  expect(resolved.survey.hash).toBe(survey.hash);
  await planner.close();
});
