// The editor's settings page (anonymity, one response per browser, estimated time) and the section
// form's condition, through HTTP with a real database: saved into the draft, refused at the field.
import type TestAgent from 'supertest/lib/agent';
import { addUser, csrfFrom, logIn } from '../../helpers/admin';
import { encodeForm, type Fields } from '../../helpers/forms';
import { htmlProblems } from '../../helpers/html';
import { createTestApp, FIXTURE_SURVEYS, type TestApp } from '../../helpers/test-app';
import { SurveyFile } from '../../../server/surveys/survey-definition';

let t: TestApp;
let agent: TestAgent;
const SLUG = 'genclik-anketi';
const EDIT = `/admin/surveys/${SLUG}/edit`;

beforeEach(async () => {
  t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });
  agent = await logIn(t, await addUser(t, 'planner', 'Ayşe Planlamacı'));
  await post('/admin/surveys/new', '/admin/surveys/new', { slug: SLUG, source: 'scratch', 'title.tr': 'Gençlik anketi' });
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

async function post(pageUrl: string, action: string, fields: Fields = {}) {
  const page = await agent.get(pageUrl);
  return agent.post(action).type('form').send(encodeForm({ _csrf: csrfFrom(page.text), ...fields }));
}
const storedDraft = async () => {
  const row = await t.db.selectFrom('survey_drafts').select('definition').where('slug', '=', SLUG).executeTakeFirstOrThrow();
  return SurveyFile.parse(JSON.parse(row.definition));
};

/** The settings form as the page fills it, checkboxes posted only when ticked. */
async function settingsFields(changes: Fields = {}, untick: string[] = []): Promise<Fields> {
  const page = (await agent.get(`${EDIT}/settings`)).text;
  const value = (name: string) => new RegExp(`name="${name.replace('.', '\\.')}" value="([^"]*)"`).exec(page)?.[1] ?? '';
  const area = (name: string) => new RegExp(`name="${name.replace('.', '\\.')}" rows="3"[^>]*>([^<]*)</textarea>`).exec(page)?.[1] ?? '';
  const fields: Fields = {
    'title.tr': value('title.tr'),
    'intro.tr': area('intro.tr'),
    audience: 'citizen',
    opens_at: value('opens_at'),
    closes_at: value('closes_at'),
    estimatedMinutes: value('estimatedMinutes'),
  };
  for (const box of ['anonymous', 'oneResponsePerBrowser']) {
    if (new RegExp(`name="${box}" value="on" checked`).test(page) && !untick.includes(box)) fields[box] = 'on';
  }
  return { ...fields, ...changes };
}

describe('the settings page', () => {
  it('shows anonymity and one response per browser ticked by default, and saves them with the estimated time', async () => {
    const page = await agent.get(`${EDIT}/settings`);
    expect(page.text).toMatch(/<input type="checkbox" id="f-anonymous" name="anonymous" value="on" checked> <label for="f-anonymous">Anonim anket/);
    expect(page.text).toMatch(/id="f-oneResponsePerBrowser" name="oneResponsePerBrowser" value="on" checked/);
    expect(page.text).toContain('<label for="f-estimatedMinutes">Tahmini süre (dakika)</label>');
    expect(await htmlProblems(page.text)).toEqual([]);

    const saved = await post(`${EDIT}/settings`, `${EDIT}/settings`, await settingsFields({ estimatedMinutes: '7' }, ['anonymous']));
    expect(saved.status).toBe(303);
    expect(await storedDraft()).toMatchObject({ anonymous: false, oneResponsePerBrowser: true, estimatedMinutes: 7 });
    const again = await agent.get(`${EDIT}/settings`);
    expect(again.text).toMatch(/name="anonymous" value="on">/);
    expect(again.text).toContain('name="estimatedMinutes" value="7"');

    expect((await post(`${EDIT}/settings`, `${EDIT}/settings`, await settingsFields({ estimatedMinutes: '' }, ['oneResponsePerBrowser']))).status).toBe(303);
    const cleared = await storedDraft();
    expect(cleared).toMatchObject({ anonymous: false, oneResponsePerBrowser: false });
    expect('estimatedMinutes' in cleared).toBe(false);
  });

  it('refuses an estimated time that is not a whole number from 1 to 120 at its field, and saves nothing', async () => {
    for (const minutes of ['beş', '0', '121', '2.5']) {
      const refused = await post(`${EDIT}/settings`, `${EDIT}/settings`, await settingsFields({ estimatedMinutes: minutes, 'title.tr': 'Değişmemeli' }));
      expect(refused.status).toBe(422);
      expect(refused.text).toContain('<p class="error" id="f-estimatedMinutes-error">Tahmini süre 1 ile 120 arasında bir tam sayı olmalı.</p>');
    }
    expect((await storedDraft()).title.tr).toBe('Gençlik anketi');
  });
});

describe('the section form', () => {
  beforeEach(async () => {
    const form = await agent.get(`${EDIT}/sections/bolum_1/questions/new?kind=single_choice`);
    const added = await agent.post(`${EDIT}/sections/bolum_1/questions/new?kind=single_choice`).type('form').send(encodeForm({
      _csrf: csrfFrom(form.text), id: 'evcil', 'text.tr': 'Evcil hayvanınız var mı?',
      'options.0.id': 'evet', 'options.0.tr': 'Evet', 'options.1.id': 'hayir', 'options.1.tr': 'Hayır',
    }));
    expect(added.status).toBe(303);
  });

  it('offers the questions of earlier sections only, and saves the section\'s condition', async () => {
    const first = await agent.get(`${EDIT}/sections/bolum_1`);
    expect(first.text).toContain('Önceki bölümlerde koşulda kullanılabilecek bir seçmeli soru yok.');
    const fresh = await agent.get(`${EDIT}/sections/new`);
    expect(fresh.text).toContain('<option value="evcil">Evcil hayvanınız var mı?</option>');
    expect(await htmlProblems(fresh.text)).toEqual([]);

    const saved = await post(`${EDIT}/sections/new`, `${EDIT}/sections/new`, {
      id: 'hayvanlar', 'title.tr': 'Hayvanlar',
      'showWhen.question': 'evcil', 'showWhen.operator': 'equals', 'showWhen.value.evcil': 'evet',
    });
    expect(saved.status).toBe(303);
    expect((await storedDraft()).sections[1]).toMatchObject({ id: 'hayvanlar', showWhen: { question: 'evcil', equals: 'evet' } });

    const combined = await post(`${EDIT}/sections/hayvanlar`, `${EDIT}/sections/hayvanlar`, {
      id: 'hayvanlar', 'title.tr': 'Hayvanlar', 'showWhen.combine': 'any',
      'showWhen.question': 'evcil', 'showWhen.operator': 'equals', 'showWhen.value.evcil': 'evet',
      'showWhen.1.question': 'evcil', 'showWhen.1.operator': 'notEquals', 'showWhen.1.value.evcil': 'hayir',
    });
    expect(combined.status).toBe(303);
    const section = (await storedDraft()).sections[1]!;
    expect(section.showWhen).toEqual({ any: [{ question: 'evcil', equals: 'evet' }, { question: 'evcil', notEquals: 'hayir' }] });
    expect(section.questions.length).toBe(1);

    const page = await agent.get(`${EDIT}/sections/hayvanlar`);
    expect(page.text).toMatch(/name="showWhen.1.value.evcil" value="hayir" checked/);
    expect(page.text).toMatch(/<option value="any" selected>/);
    expect(await htmlProblems(page.text)).toEqual([]);
  });

  it('refuses a comparison without a value at its field, in the planner\'s language, and saves nothing', async () => {
    await post(`${EDIT}/sections/new`, `${EDIT}/sections/new`, { id: 'hayvanlar', 'title.tr': 'Hayvanlar' });
    const refused = await post(`${EDIT}/sections/hayvanlar?lang=en`, `${EDIT}/sections/hayvanlar`, {
      id: 'hayvanlar', 'title.tr': 'Hayvanlar', 'showWhen.question': 'evcil', 'showWhen.operator': 'equals',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('<p class="error" id="qf-showWhen-value-error">Tick at least one value for the condition.</p>');
    expect(await htmlProblems(refused.text)).toEqual([]);
    expect('showWhen' in (await storedDraft()).sections[1]!).toBe(false);
  });

  it('shows a rule broken by the section\'s condition at the condition, and saves nothing', async () => {
    await post(`${EDIT}/sections/new`, `${EDIT}/sections/new`, { id: 'hayvanlar', 'title.tr': 'Hayvanlar' });
    // soru_1 is a short text: a condition cannot compare with it.
    const refused = await post(`${EDIT}/sections/hayvanlar`, `${EDIT}/sections/hayvanlar`, {
      id: 'hayvanlar', 'title.tr': 'Hayvanlar', 'showWhen.question': 'soru_1', 'showWhen.operator': 'equals', 'showWhen.value.soru_1': 'evet',
    });
    expect(refused.status).toBe(422);
    const error = /<p class="error" id="qf-showWhen-(question|value)-error">([^<]*)<\/p>/.exec(refused.text);
    expect(error?.[2]).toContain('tipindeki bir soru görünürlüğü belirleyemez');
    expect(error?.[2]).not.toContain('sections.');
    expect(refused.text).toContain('<option value="soru_1" selected>soru_1</option>');
    expect(await htmlProblems(refused.text)).toEqual([]);
    expect('showWhen' in (await storedDraft()).sections[1]!).toBe(false);
  });
});
