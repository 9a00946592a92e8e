/// <reference lib="dom" />
// A planner brings a questionnaire from Excel on a phone: the approximations are shown for
// confirmation (axe-core and lang checked in Turkish and English), and the survey exists only
// once confirmed.
import { createI18n } from '../../server/platform/i18n/i18n';
import { writeXlsForm } from '../../server/surveys/xlsform';
import { browserSuite, logInPage } from '../helpers/browser';
import { auditPage, phoneContext } from '../helpers/page-audit';

const { translators } = createI18n();
const suite = browserSuite();

it.each(['tr', 'en'] as const)('an XLSForm with approximations is confirmed before it is saved, in %s', async (lang) => {
  const tr = translators[lang];
  const workbook = await writeXlsForm({
    survey: [
      ['type', 'name', 'label', 'constraint'],
      ['start', 'start', '', ''],
      ['begin_group', 'g', 'Bölüm', ''],
      ['integer', 'yas', 'Yaşınız', '. > 17'],
      ['end_group', '', '', ''],
    ],
    choices: [['list_name', 'name', 'label']],
    settings: [['form_title', 'form_id'], ['Telefondan anket', 'telefondan_anket']],
  });
  const context = await phoneContext(suite.browser, { lang });
  const page = await context.newPage();
  await logInPage(suite, page, 'planner');
  await page.goto(`${suite.url}/admin/surveys/upload?lang=${lang}`);
  await page.setInputFiles('#definition', { name: 'anket.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: workbook });
  await Promise.all([page.waitForURL(/\/admin\/surveys\/upload$/), page.locator('form[enctype="multipart/form-data"] button[type="submit"]').click()]);

  expect(await page.locator('#pending-title').textContent()).toBe(tr('admin:xlsform.confirm_title', { slug: 'telefondan-anket' }));
  expect(await page.locator('section.notice li').allTextContents()).toEqual([
    `${tr('admin:xlsform.at', { sheet: 'survey', row: 2 })}: ${tr('admin:xlsform.row_dropped', { type: 'start' })}`,
    `${tr('admin:xlsform.at', { sheet: 'survey', row: 4 })}: ${tr('admin:xlsform.constraint_dropped', { constraint: '. > 17' })}`,
  ]);
  expect(await auditPage(page, `admin-xlsform-confirm-${lang}`, { lang, admin: true })).toEqual([]);
  expect(suite.t.catalog.find('telefondan-anket')).toBeUndefined();

  await Promise.all([page.waitForURL(/\/admin\/surveys\/telefondan-anket$/), page.locator('button[name="decision"][value="confirm"]').click()]);
  expect(suite.t.catalog.find('telefondan-anket')!.sections[0]!.questions.map((q) => q.id)).toEqual(['yas']);
  await context.close();
}, 60_000);
