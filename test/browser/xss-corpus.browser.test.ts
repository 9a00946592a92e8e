/// <reference lib="dom" />
// A corpus of script, markup, template and spreadsheet-formula payloads goes in through every
// free-text field of every public form; then chromium renders every back-office page and public
// page that shows them (the CSP switched off, so this checks the escaping, not the policy), and
// every export that holds them is opened as a spreadsheet program would.
import type { Page } from 'playwright-core';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { codingRepository } from '../../server/analysis/coding';
import * as codingService from '../../server/analysis/coding/coding.service';
import { allQuestions, type Question, type Survey } from '../../server/surveys/survey-definition';
import { otherField } from '../../server/surveys/survey-answers';
import { formList } from '../../server/platform/http/validate';
import { addUser, downloadBinary, downloadWorkbook, logIn } from '../helpers/admin';
import { browserSuite, fill, logInPage } from '../helpers/browser';
import { readCsvAsExcel } from '../helpers/excel-csv';
import type { Fields } from '../helpers/forms';
import { mailedLink } from '../helpers/invitation';
import { LETTER_PDF } from '../helpers/letter-pdf';
import { scheduleMeeting } from '../helpers/meetings';
import { postForm } from '../helpers/page-forms';
import { completeSurvey, validSectionFields } from '../helpers/survey-walker';

const suite = browserSuite();

/** Run if rendered as markup: each sets the canary or opens a dialog. */
const SCRIPT_PAYLOADS = [
  `<script>window.__xss='s1'</script>`,
  `<img src=x onerror="window.__xss='i2'">`,
  `<svg onload=alert('v3')>`,
  `"><script>alert('q4')</script>`,
  `'><img src=x onerror=alert('a5')>`,
  `<a href="javascript:alert('j6')">j6</a>`,
  `javascript:alert('j7')`,
  `<iframe srcdoc="<script>parent.__xss='f8'</script>">`,
  `<details open ontoggle=alert('d9')>`,
  `<input autofocus onfocus=alert('o10')>`,
  `</textarea><script>alert('t11')</script>`,
  `</title><svg onload=alert('t12')>`,
  `<body onload=alert('b13')>`,
  `<style>*{display:none}</style>`,
];
/** Evaluated if any template engine (EJS, i18next, a JS template) ever treated input as a template: ⟦…⟧ marks them. */
const TEMPLATE_PAYLOADS = ['⟦<%= 7*7 %>⟧', '⟦<%- 7*7 %>⟧', '⟦{{7*7}}⟧', '⟦${7*7}⟧', '⟦#{7*7}⟧', '⟦{{email}}⟧', '⟦$t(common:back_home)⟧'];
/** Formulas if a spreadsheet opens them unneutralised; each starts a field. */
const FORMULA_PAYLOADS = ['=HYPERLINK("http://x.example","a")', "+cmd|' /C calc'!A0", '-2+3', '@SUM(1)', '\t=1+1', '\r=1+1'];
const INLINE = [...SCRIPT_PAYLOADS, ...TEMPLATE_PAYLOADS];
const FORMULA_ROOM = Math.max(...FORMULA_PAYLOADS.map((p) => p.length)) + 1;

/**
 * Values for a field of at most `limit` characters: each starts with a formula payload and goes on
 * with as many of the others as fit, so that over the values returned every payload has been
 * through the field, and every formula payload has begun it.
 */
function valuesFor(limit: number): string[] {
  const chunks: string[] = [];
  for (const payload of INLINE) {
    const last = chunks.at(-1);
    if (last !== undefined && last.length + 1 + payload.length <= limit - FORMULA_ROOM) chunks[chunks.length - 1] = `${last} ${payload}`;
    else chunks.push(payload);
  }
  const count = Math.max(FORMULA_PAYLOADS.length, chunks.length);
  return Array.from({ length: count }, (_, i) => `${FORMULA_PAYLOADS[i % FORMULA_PAYLOADS.length]} ${chunks[i % chunks.length]}`);
}

/** Every free-text field of a survey (short and long texts, "other" boxes) with its length limit. */
interface TextField {
  question: Question;
  field: string;
  limit: number;
  section: number;
}

function textFields(survey: Survey): TextField[] {
  return survey.sections.flatMap((section, index) =>
    section.questions.flatMap((question): TextField[] => {
      if (question.kind === 'short_text' || question.kind === 'long_text') return [{ question, field: question.id, limit: question.maxLength, section: index }];
      if ((question.kind === 'single_choice' || question.kind === 'multiple_choice') && question.other) return [{ question, field: otherField(question), limit: 200, section: index }];
      return [];
    }),
  );
}

/** A section's answers with the n-th corpus value in each free-text field (and the choices that show them). */
function corpusAnswers(survey: Survey, index: number, n: number, base: (index: number) => Fields = (i) => validSectionFields(survey, i)): Fields {
  const fields = base(index);
  for (const { question, field, limit, section } of textFields(survey)) {
    if (section !== index) continue;
    const values = valuesFor(limit);
    fields[field] = values[n % values.length]!;
    if (question.kind === 'single_choice') fields[question.id] = 'other';
    if (question.kind === 'multiple_choice') fields[question.id] = [...new Set([...formList(fields[question.id]).map(String), 'other'])];
  }
  return fields;
}

/** How many submissions take every value through every field of the survey. */
const roundsFor = (survey: Survey) => Math.max(...textFields(survey).map((f) => valuesFor(f.limit).length));

interface Seeded {
  meetingId: number;
  registrationPage: string;
  institutionLinks: string[];
}

async function seed(): Promise<Seeded> {
  const t = suite.t;
  const citizen = t.catalog.find('vatandas-anketi')!;
  for (let n = 0; n < roundsFor(citizen); n++) {
    await completeSurvey(request.agent(t.app), citizen, (index) => corpusAnswers(citizen, index, n));
  }

  // Residents sign up with the corpus as their names and accessibility needs.
  const meetingId = await scheduleMeeting(t, { capacity: null });
  const names = valuesFor(100);
  const needs = valuesFor(500);
  let registrationPage = '';
  for (let n = 0; n < Math.max(names.length, needs.length); n++) {
    const agent = request.agent(t.app);
    const page = await agent.get(`/bulusmalar/${meetingId}`);
    const form = postForm(page.text, /^\/bulusmalar\/\d+$/);
    const response = await agent
      .post(form.action)
      .type('form')
      .send({ ...form.fields, name: names[n % names.length], accessibility_need: needs[n % needs.length], accessibility_consent: '1', email: `sakin${n}@example.org`, future_meetings: '1' });
    expect(response.status).toBe(303);
    registrationPage ||= response.headers.location!;
  }

  // Institutions ask to take part under corpus names, confirm, and answer the form with the corpus.
  const institution = t.catalog.find('kurum-gorus-formu')!;
  const withoutType = (index: number) => {
    const fields = validSectionFields(institution, index);
    delete fields.kurum_turu;
    // The choices that bring up the conditional text questions.
    if (fields.ortak_calisma) fields.ortak_calisma = 'evet_duzenli';
    if (fields.isbirligi_alanlari) fields.isbirligi_alanlari = 'ortak_proje';
    return fields;
  };
  const institutionNames = valuesFor(200);
  const institutionLinks: string[] = [];
  for (let n = 0; n < Math.max(roundsFor(institution), institutionNames.length); n++) {
    const agent = request.agent(t.app);
    const page = await agent.get('/kurum-gorusu');
    const form = postForm(page.text, /^\/kurum-gorusu$/, { tickAll: true });
    const asked = await agent
      .post(form.action)
      .type('form')
      .send({ ...form.fields, name: institutionNames[n % institutionNames.length], contact_person: institutionNames[(n + 1) % institutionNames.length], group: 'kent_konseyi', email: `kurum${n}@example.org` });
    expect(asked.status).toBe(200);
    const confirm = await mailedLink(t, '/kurum-gorusu/onay/');
    const ask = await agent.get(confirm);
    const confirmed = await agent.post(confirm).type('form').send(postForm(ask.text, /onay/).fields);
    expect(confirmed.status).toBe(303);
    const link = confirmed.headers.location!.replace(/\?.*$/, '');
    institutionLinks.push(link);
    if (institutionLinks.length === 1) {
      // A letter whose file name is a payload, uploaded before the answer it goes with is sent.
      const status = await agent.get(link);
      const upload = postForm(status.text, /\/yazi\?/);
      const letter = await agent.post(upload.action).attach('letter', LETTER_PDF, `=HYPERLINK("x")<img src=x onerror=alert('l1')>.pdf`);
      expect(letter.status).toBe(303);
    }
    await completeSurvey(agent, institution, (index) => corpusAnswers(institution, index, n, withoutType), link);
  }

  // Open answers coded under a theme, one of them its quote; the rest wait on the coding screen.
  const theme = await codingRepository.insertTheme(t.db, 'vatandas-anketi', { name: 'Altyapı', areaId: null, swotKind: null, keywords: [] }, t.clock.now);
  const texts = await t.db.selectFrom('answers').select('id').where('question_id', '=', 'iyilestirilmesi_gereken').orderBy('id').limit(3).execute();
  for (const { id } of texts) expect((await codingService.codeAnswer(t.db, 'vatandas-anketi', id, [theme], null, t.clock.now)).kind).toBe('coded');
  const actor = { userId: null, email: 'test', ip: null };
  expect((await codingService.chooseQuote(t.db, 'vatandas-anketi', theme, texts[0]!.id, actor, t.clock.now)).kind).toBe('saved');
  await t.worker.runOnce();
  return { meetingId, registrationPage, institutionLinks };
}

interface Inspection {
  url: string;
  executed: unknown;
  injected: string[];
  /** Visible text and form values, whitespace collapsed. */
  text: string;
}

async function inspect(page: Page, url: string): Promise<Inspection> {
  // A payload's image error or autofocus handler would run right after load.
  await page.waitForLoadState('load');
  await page.waitForTimeout(20);
  return page.evaluate((url) => {
    const injected: string[] = [];
    for (const element of Array.from(document.querySelectorAll('*'))) {
      for (const attribute of Array.from(element.attributes)) if (/^on/i.test(attribute.name)) injected.push(`${element.tagName} ${attribute.name}`);
      const tag = element.tagName;
      if (tag === 'A' && /^\s*javascript:/i.test(element.getAttribute('href') ?? '')) injected.push('javascript: link');
      if (tag === 'SCRIPT' && !element.hasAttribute('src')) injected.push('inline script');
      if (tag === 'IFRAME' && element.hasAttribute('srcdoc')) injected.push('iframe srcdoc');
      if (tag === 'STYLE') injected.push('style element');
      if (tag === 'IMG' && element.getAttribute('src') === 'x') injected.push('img src=x');
    }
    const values = Array.from(document.querySelectorAll('input, textarea')).map((field) => (field as HTMLInputElement).value);
    const text = `${document.body.innerText} ${values.join(' ')}`.replace(/\s+/g, ' ');
    return { url, executed: (window as unknown as { __xss?: unknown }).__xss, injected, text };
  }, url);
}

/** Literal payloads found in a page's text, after whitespace is collapsed as in the page. */
const shown = (text: string) => INLINE.filter((payload) => text.includes(payload.replace(/\s+/g, ' ')));
/** Whatever stands between ⟦ and ⟧ must be a template payload, untouched. */
const evaluatedTemplates = (text: string) => [...text.matchAll(/⟦([^⟧]*)⟧/g)].map((m) => m[0]).filter((found) => !TEMPLATE_PAYLOADS.includes(found));

/**
 * Every text cell of a CSV or XLSX export; formulas reported as such. XLSX cells are typed: a
 * text is a string cell, which a spreadsheet shows and never runs, so it stays as typed.
 */
async function exportCells(agent: TestAgent, url: string): Promise<{ status: number; cells: string[]; formulas: string[]; typed: boolean }> {
  if (url.includes('.csv')) {
    const response = await downloadBinary(agent, url);
    if (response.status !== 200) return { status: response.status, cells: [], formulas: [], typed: false };
    // Split as the planner's (Turkish) Excel splits it: a cell is what a spreadsheet would run.
    const rows = readCsvAsExcel(response.body as Buffer, 'tr', { relaxColumnCount: true });
    return { status: 200, cells: rows.flat(), formulas: [], typed: false };
  }
  const { status, book } = await downloadWorkbook(agent, url);
  const cells: string[] = [];
  const formulas: string[] = [];
  book.eachSheet((sheet) =>
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        if (cell.formula || cell.type === 6) formulas.push(`${sheet.name}!${cell.address}`);
        if (typeof cell.value === 'string') cells.push(cell.value);
        else if (cell.value && typeof cell.value === 'object' && 'richText' in cell.value) cells.push(cell.value.richText.map((r) => r.text).join(''));
      }),
    ),
  );
  return { status, cells, formulas, typed: true };
}

/** A cell a spreadsheet would run: starts with = + - @ tab or CR and is not a plain number. */
const runnable = (cell: string) => /^[=+\-@\t\r]/.test(cell) && !/^-?\d+([.,]\d+)?$/.test(cell);

it('runs none of the corpus and evaluates no template, on any page that shows it, and exports no formula', async () => {
  const t = suite.t;
  const seeded = await seed();
  const citizen = t.catalog.find('vatandas-anketi')!;
  const citizenResponse = (await t.db.selectFrom('responses').select('id').where('survey_slug', '=', 'vatandas-anketi').orderBy('id').executeTakeFirstOrThrow()).id;
  const institutionResponse = (await t.db.selectFrom('responses').select('id').where('survey_slug', '=', 'kurum-gorus-formu').orderBy('id').executeTakeFirstOrThrow()).id;
  const themeId = (await t.db.selectFrom('codebook_themes').select('id').executeTakeFirstOrThrow()).id;
  const stakeholderId = (await t.db.selectFrom('stakeholders').select('id').orderBy('id').executeTakeFirstOrThrow()).id;
  const mails = await t.db.selectFrom('outbox_messages').select(['id', 'kind']).orderBy('id').execute();
  const mailPerKind = [...new Map(mails.map((m) => [m.kind, m.id])).values()];

  // Back-office pages, and whether each must show the corpus (some only list or count).
  const textQuestions = allQuestions(citizen).filter((q) => q.kind === 'long_text');
  const otherQuestions = allQuestions(citizen).filter((q) => (q.kind === 'single_choice' || q.kind === 'multiple_choice') && q.other);
  const adminPages: [string, boolean][] = [
    ['/admin/surveys/vatandas-anketi/results', false],
    ...textQuestions.map((q): [string, boolean] => [`/admin/surveys/vatandas-anketi/results/texts/${q.id}`, true]),
    ...otherQuestions.map((q): [string, boolean] => [`/admin/surveys/vatandas-anketi/results/texts/${q.id}?option=other`, true]),
    ['/admin/surveys/vatandas-anketi/responses', false],
    ['/admin/surveys/vatandas-anketi/quality', false],
    [`/admin/surveys/vatandas-anketi/responses/${citizenResponse}`, true],
    ['/admin/surveys/kurum-gorus-formu/responses', false],
    [`/admin/surveys/kurum-gorus-formu/responses/${institutionResponse}`, true],
    ['/admin/surveys/vatandas-anketi/coding', true],
    ['/admin/surveys/vatandas-anketi/codebook', true],
    [`/admin/surveys/vatandas-anketi/codebook/${themeId}`, true],
    ['/admin/report', true],
    ['/admin/meetings', false],
    [`/admin/meetings/${seeded.meetingId}`, true],
    [`/admin/meetings/${seeded.meetingId}/sheet`, true],
    [`/admin/meetings/${seeded.meetingId}/check-in`, true],
    ['/admin/opinions', false],
    ['/admin/opinions/kurum-gorus-formu', true],
    ['/admin/opinions/kurum-gorus-formu/record', true],
    ['/admin/stakeholders', true],
    [`/admin/stakeholders/${stakeholderId}`, true],
    ['/admin/stakeholders/analysis', true],
    ['/admin/outbox', false],
    ...mailPerKind.flatMap((id): [string, boolean][] => [
      [`/admin/outbox/${id}`, true],
      [`/admin/outbox/${id}/html`, true],
    ]),
    ['/admin/audit', false],
  ];

  const context = await suite.browser.newContext({ locale: 'tr-TR', bypassCSP: true });
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${page.url()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await logInPage(suite, page, 'admin');

  const inspections: Inspection[] = [];
  const silent: string[] = [];
  for (const [url, shows] of adminPages) {
    const response = await page.goto(`${suite.url}${url}`);
    expect({ url, status: response?.status() }).toEqual({ url, status: 200 });
    const found = await inspect(page, url);
    inspections.push(found);
    if (shows && shown(found.text).length === 0) silent.push(url);
  }

  // Public pages that give input back: forms sent with a mistake, the resident's and the institution's pages.
  const publicContext = await suite.browser.newContext({ locale: 'tr-TR', bypassCSP: true });
  const visitor = await publicContext.newPage();
  visitor.on('dialog', (dialog) => {
    dialogs.push(`${visitor.url()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  const setValues = (values: Record<string, string>) =>
    visitor.evaluate((values) => {
      for (const [name, value] of Object.entries(values)) (document.querySelector(`[name="${name}"]`) as HTMLInputElement).value = value;
    }, values);
  const send = async () => {
    await Promise.all([visitor.waitForResponse((r) => r.request().method() === 'POST'), visitor.locator('form[method="post"] button[type="submit"]').first().click()]);
  };

  await visitor.goto(`${suite.url}/anket/vatandas-anketi/1`);
  for (let index = 0; index < citizen.sections.length - 1; index++) {
    await fill(visitor, validSectionFields(citizen, index));
    await Promise.all([visitor.waitForURL(new RegExp(`/anket/vatandas-anketi/${index + 2}$`)), visitor.locator('button[value="next"]').click()]);
  }
  const lastTexts = textFields(citizen).filter((f) => f.section === citizen.sections.length - 1);
  // One answer too long, so the page comes back with every answer in it.
  await setValues(Object.fromEntries(lastTexts.map((f, i) => [f.field, `${INLINE.join(' ')}${i === 0 ? ' x'.repeat(f.limit) : ''}`])));
  await Promise.all([visitor.waitForResponse((r) => r.status() === 422), visitor.locator('button[value="next"]').click()]);
  const surveyEcho = await inspect(visitor, 'survey page with an error');

  await visitor.goto(`${suite.url}/bulusmalar/${seeded.meetingId}`);
  await setValues({ name: valuesFor(100)[0]!, accessibility_need: INLINE.join(' ') });
  await send();
  const signUpEcho = await inspect(visitor, 'meeting sign-up with an error');

  await visitor.goto(`${suite.url}/kurum-gorusu`);
  await setValues({ name: valuesFor(200)[0]!, contact_person: valuesFor(200)[1]!, email: 'adres-degil' });
  await send();
  const registerEcho = await inspect(visitor, 'institution self-registration with an error');

  const publicPages: [string, string][] = [
    [seeded.registrationPage, 'resident’s registration page'],
    [seeded.institutionLinks[0]!, 'institution’s status page'],
    [`${seeded.institutionLinks[0]!}/alindi`, 'institution’s receipt'],
  ];
  const publicInspections = [surveyEcho, signUpEcho, registerEcho];
  for (const [url, name] of publicPages) {
    await visitor.goto(`${suite.url}${url}`);
    publicInspections.push(await inspect(visitor, name));
  }
  for (const found of publicInspections) if (shown(found.text).length === 0) silent.push(found.url);

  await context.close();
  await publicContext.close();

  const all = [...inspections, ...publicInspections];
  expect(dialogs).toEqual([]);
  expect(all.filter((i) => i.executed !== undefined).map((i) => `${i.url}: ${String(i.executed)}`)).toEqual([]);
  expect(all.filter((i) => i.injected.length > 0).map((i) => `${i.url}: ${i.injected.join(', ')}`)).toEqual([]);
  expect(all.flatMap((i) => evaluatedTemplates(i.text).map((found) => `${i.url}: ${found}`))).toEqual([]);
  // Each page that should show the corpus does, literally; and every payload is shown somewhere.
  expect(silent).toEqual([]);
  const everywhere = all.map((i) => i.text).join(' ');
  expect(INLINE.filter((payload) => !shown(everywhere).includes(payload))).toEqual([]);

  // Exports: no cell a spreadsheet would run, and the corpus is in those that carry public text.
  const planner = await logIn(t, await addUser(t, 'admin'));
  const report = await planner.get('/admin/report');
  const tableCsvs = [...new Set([...report.text.matchAll(/href="(\/admin\/report\/tables\/[^"]+\.csv)"/g)].map((m) => m[1]!))];
  expect(tableCsvs.length).toBeGreaterThan(5);
  const exports: [string, boolean][] = [
    ['/admin/surveys/vatandas-anketi/export/responses.csv', true],
    ['/admin/surveys/vatandas-anketi/export/responses.xlsx', true],
    ['/admin/surveys/vatandas-anketi/export/results.xlsx', false],
    ['/admin/surveys/kurum-gorus-formu/export/responses.csv', true],
    ['/admin/surveys/kurum-gorus-formu/export/responses.xlsx', true],
    ['/admin/report.xlsx', true],
    ...tableCsvs.map((url): [string, boolean] => [url, false]),
    [`/admin/meetings/${seeded.meetingId}/registrations.csv`, true],
    [`/admin/meetings/${seeded.meetingId}/registrations.xlsx`, true],
    ['/admin/meetings/requests.csv', false],
    ['/admin/meetings/requests.xlsx', false],
    ['/admin/stakeholders/export.csv', true],
    ['/admin/stakeholders/export.xlsx', true],
    ['/admin/opinions/kurum-gorus-formu/record.csv', true],
    ['/admin/opinions/kurum-gorus-formu/record-groups.csv', false],
    ['/admin/opinions/kurum-gorus-formu/record.xlsx', true],
  ];
  const problems: string[] = [];
  let tableCsvsWithCorpus = 0;
  for (const [url, carries] of exports) {
    const { status, cells, formulas, typed } = await exportCells(planner, url);
    if (status !== 200) problems.push(`${url}: HTTP ${status}`);
    if (!typed) for (const cell of cells.filter(runnable)) problems.push(`${url}: ${JSON.stringify(cell.slice(0, 40))}`);
    for (const formula of formulas) problems.push(`${url}: formula in ${formula}`);
    const neutralised = cells.filter((cell) => FORMULA_PAYLOADS.some((payload) => cell.startsWith(typed ? payload.trim() : `'${payload.trim()}`)));
    if (carries && neutralised.length === 0) problems.push(`${url}: no corpus value found`);
    if (url.startsWith('/admin/report/tables/') && neutralised.length > 0) tableCsvsWithCorpus += 1;
  }
  expect(problems).toEqual([]);
  // The report's tables carry institutions' names and coded quotes.
  expect(tableCsvsWithCorpus).toBeGreaterThan(0);
}, 120_000);
