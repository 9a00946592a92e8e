// The editor's question fields in a real browser, with the back office's styles: no WCAG 2.1 A/AA
// violation for any kind, with errors shown, and no sideways scroll of the page at phone width.
import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';
import type { Browser } from 'playwright-core';
import { createI18n } from '../../server/platform/i18n/i18n';
import { VIEWS_DIR } from '../../server/platform/http/views';
import { projectRoot } from '../../server/platform/paths';
import { blankFormValues, formValuesOf, questionFromForm, type FieldErrors, type FormValues } from '../../server/surveys/editor/question-form';
import { QUESTION_KINDS, QUESTION_ROLES, SHARED_LISTS, SurveyFile, type QuestionKind } from '../../server/surveys/survey-definition';
import { axeViolations, launchBrowser, screenshot } from '../helpers/browser';

const VIEW = path.join(VIEWS_DIR, 'admin', 'surveys', 'editor', 'question-fields.ejs');
const CSS = ['app.css', 'admin.css'].map((file) => fs.readFileSync(path.join(projectRoot, 'public', 'css', file), 'utf8')).join('\n');
const { translators } = createI18n();
const EARLIER = [{ id: 'evcil', text: 'Evcil hayvanınız var mı?', values: [{ id: 'evet', label: 'Evet' }, { id: 'hayir', label: 'Hayır' }] }];

/** The questions using the later format additions: row groups, matrix labels, point labels, bands, other, combined and nested conditions, the register map. */
const NEW_FORMS = [
  ['test/fixtures/surveys/tum-soru-tipleri.json', ['kurum_yonu', 'hizmet_kalitesi', 'iletisim_puani', 'yas_grubu', 'calisma_yeri', 'hizmet_sirasi', 'kirmizi_yolcu']],
  ['surveys/kurum-gorus-formu.json', ['kurum_turu']],
] as const;
const NEW_FORM_QUESTIONS = NEW_FORMS.flatMap(([file, ids]) => {
  const survey = SurveyFile.parse(JSON.parse(fs.readFileSync(path.join(projectRoot, file), 'utf8')));
  return survey.sections.flatMap((section) => section.questions).filter((q) => (ids as readonly string[]).includes(q.id));
});

async function pageHtml(kind: QuestionKind, filled?: { values: FormValues; errors: FieldErrors }): Promise<string> {
  // A refused blank form: every kind's fields with the errors a planner first sees.
  const refused = questionFromForm(kind, { ...blankFormValues(kind), 'showWhen.question': 'evcil', 'showWhen.1.question': 'evcil' }, translators.tr);
  if (refused.ok) throw new Error('accepted');
  const result = filled ?? refused;
  const fields = await ejs.renderFile(
    VIEW,
    { kind, values: result.values, errors: result.errors, t: translators.tr, lang: 'tr', roles: [...QUESTION_ROLES], earlierQuestions: EARLIER, lists: [...SHARED_LISTS], locked: false },
    { views: [VIEWS_DIR], rmWhitespace: true },
  );
  return `<!DOCTYPE html><html lang="tr"><head><meta name="viewport" content="width=device-width, initial-scale=1"><title>Soru</title><style>${CSS}</style></head>
<body class="admin"><main><h1>Soru</h1><form method="post" action="/x" class="stack">${fields}<p><button type="submit" class="primary">Kaydet</button></p></form></main></body></html>`;
}

describe('the question fields in a browser', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
  });

  it.each([...QUESTION_KINDS])('of a %s question with errors have no axe violation and fit a phone', async (kind) => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: true });
    try {
      const page = await context.newPage();
      await page.setContent(await pageHtml(kind));
      expect(await axeViolations(page)).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, `editor-question-fields-${kind}`);
    } finally {
      await context.close();
    }
  });

  it('name all the later format additions on their questions', () => {
    expect(NEW_FORM_QUESTIONS.map((q) => q.id).sort()).toEqual(NEW_FORMS.flatMap(([, ids]) => ids).sort());
  });

  it.each(NEW_FORM_QUESTIONS.map((q) => [q.id, q] as const))('of %s, with the later format additions filled in, have no axe violation and fit a phone', async (id, question) => {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: true });
    try {
      const page = await context.newPage();
      await page.setContent(await pageHtml(question.kind, { values: formValuesOf(question), errors: {} }));
      expect(await axeViolations(page)).toEqual([]);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, `editor-question-fields-${id}`);
    } finally {
      await context.close();
    }
  });
});
