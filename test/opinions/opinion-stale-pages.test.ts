// An institution's form open in two windows (or two people with the same link): a section page
// drawn before the other window submitted the opinion, or opened it again for changes, is never
// saved or acknowledged; the page comes back with what was typed and says why.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { csrfFrom } from '../helpers/admin';
import { answerSection, encodeForm, hiddenFields, type Fields } from '../helpers/forms';
import { htmlProblems } from '../helpers/html';
import { invitedInstitution } from '../helpers/invitation';
import { completeSurvey, validSectionFields } from '../helpers/survey-walker';
import { createTestApp, type TestApp } from '../helpers/test-app';

const SLUG = 'kurum-gorus-formu';
const LAST = 6;
let t: TestApp;

beforeEach(async () => {
  t = await createTestApp();
});

afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const survey = () => t.catalog.find(SLUG)!;
const answers = (index: number): Fields => {
  const fields = validSectionFields(survey(), index);
  delete fields.kurum_turu;
  return fields;
};

/** Everything a post could have written. */
async function stored() {
  return {
    responses: await t.db.selectFrom('responses').selectAll().orderBy('id').execute(),
    answers: await t.db.selectFrom('answers').selectAll().orderBy('response_id').orderBy('question_id').execute(),
    invitations: await t.db.selectFrom('invitations').selectAll().execute(),
    outbox: await t.db.selectFrom('outbox_messages').select(['id', 'kind']).execute(),
  };
}

/** Answers sections 1..n-1 in one window, so section n can be drawn. */
async function fillUpTo(agent: TestAgent, link: string, section: number): Promise<void> {
  for (let index = 0; index < section - 1; index++) {
    const { response } = await answerSection(agent, `${link}/${index + 1}`, answers(index));
    expect(response.status).toBe(303);
  }
}

async function startEdit(agent: TestAgent, link: string): Promise<void> {
  const status = await agent.get(link);
  const edit = await agent.post(`${link}/duzenle`).type('form').send({ _csrf: csrfFrom(status.text) });
  expect(edit.headers.location).toBe(`${link}/1`);
}

const postPage = (agent: TestAgent, url: string, html: string, fields: Fields, nav: 'next' | 'back' = 'next') =>
  agent.post(url).type('form').send(encodeForm({ ...hiddenFields(html), _nav: nav, ...fields }));

describe('a section page drawn before another window submitted the opinion', () => {
  it('is not acknowledged: the typed text comes back with a message, 409, and nothing is stored (issue 15, item 1)', async () => {
    const { link } = await invitedInstitution(t);
    const a = request.agent(t.app);
    const c = request.agent(t.app);
    await fillUpTo(a, link, LAST);
    const pageC = await c.get(`${link}/${LAST}`);
    expect(pageC.status).toBe(200);

    // Window A submits, opens it again for changes, and submits again.
    await answerSection(a, `${link}/${LAST}`, answers(LAST - 1));
    await startEdit(a, link);
    await completeSurvey(a, survey(), answers, link);
    const before = await stored();

    const typed = 'Ek görüşümüz: <b>kıyı</b> düzenlemesi öncelikli olmalı.';
    const posted = await postPage(c, `${link}/${LAST}`, pageC.text, { ...answers(LAST - 1), ek_gorusler: typed });
    expect(posted.status).toBe(409);
    expect(posted.headers.location).toBeUndefined();
    expect(posted.text).not.toContain('Görüşünüz alındı');
    expect(posted.text).toContain('Görüşünüz bu sayfa açıldıktan sonra başka bir pencereden gönderildi');
    // What C typed, escaped, in its box, and the way to the page where changes start.
    expect(posted.text).toContain('Ek görüşümüz: &lt;b&gt;kıyı&lt;/b&gt; düzenlemesi öncelikli olmalı.</textarea>');
    expect(posted.text).toContain(`href="${link}"`);
    expect(await htmlProblems(posted.text)).toEqual([]);
    expect(await stored()).toEqual(before);

    // Sent again as it is, the page is still refused: it never turns into a receipt.
    const again = await postPage(c, `${link}/${LAST}`, posted.text, { ...answers(LAST - 1), ek_gorusler: typed });
    expect(again.status).toBe(409);
    expect(await stored()).toEqual(before);
  });

  it('says so in English to an institution reading in English', async () => {
    const { link } = await invitedInstitution(t, { language: 'en' });
    const a = request.agent(t.app);
    const c = request.agent(t.app);
    await fillUpTo(a, link, LAST);
    const pageC = await c.get(`${link}/${LAST}?lang=en`);
    await answerSection(a, `${link}/${LAST}`, answers(LAST - 1));
    const posted = await postPage(c, `${link}/${LAST}`, pageC.text, { ...answers(LAST - 1), ek_gorusler: 'Our extra view' });
    expect(posted.status).toBe(409);
    expect(posted.text).toContain('Your opinion was sent from another window after this page was opened');
    expect(posted.text).toContain('Our extra view</textarea>');
  });

  it('refuses the back button of such a page too', async () => {
    const { link } = await invitedInstitution(t);
    const a = request.agent(t.app);
    const c = request.agent(t.app);
    await fillUpTo(a, link, LAST);
    const pageC = await c.get(`${link}/${LAST}`);
    await answerSection(a, `${link}/${LAST}`, answers(LAST - 1));
    const before = await stored();
    const back = await postPage(c, `${link}/${LAST}`, pageC.text, { ...answers(LAST - 1), ek_gorusler: 'Geri giderken' }, 'back');
    expect(back.status).toBe(409);
    expect(await stored()).toEqual(before);
  });
});

describe('a section page drawn before another window opened the opinion again for changes', () => {
  it('does not overwrite the new draft; shown again with the typed text, it can then be saved into it', async () => {
    const { link } = await invitedInstitution(t);
    const a = request.agent(t.app);
    const c = request.agent(t.app);
    await fillUpTo(a, link, LAST);
    await answerSection(a, `${link}/${LAST}`, { ...answers(LAST - 1), ek_gorusler: 'İlk gönderim' });
    await startEdit(a, link);
    // C draws section 3 of the open edit; A submits it and opens it again: C's page is two steps old.
    const pageC = await c.get(`${link}/3`);
    expect(pageC.status).toBe(200);
    await completeSurvey(a, survey(), answers, link);
    await startEdit(a, link);
    const before = await stored();

    const posted = await postPage(c, `${link}/3`, pageC.text, { ...answers(2), firsatlar: 'C penceresinin fırsatları' });
    expect(posted.status).toBe(409);
    expect(posted.text).toContain('Yanıtlarınız bu sayfa açıldıktan sonra başka bir pencerede değiştirildi');
    expect(posted.text).toContain('C penceresinin fırsatları</textarea>');
    expect(await stored()).toEqual(before);

    // The page shown again belongs to the draft open now: sending it saves into that draft.
    const saved = await postPage(c, `${link}/3`, posted.text, { ...answers(2), firsatlar: 'C penceresinin fırsatları' });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`${link}/4`);
    const draft = await t.db.selectFrom('responses').select(['status', 'draft_fields']).orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(draft.status).toBe('draft');
    expect(draft.draft_fields).toContain('C penceresinin fırsatları');
  });
});

describe('the version a section page carries', () => {
  it('refuses a post without it, or with a garbled one, with a 4xx and stores nothing', async () => {
    const { link } = await invitedInstitution(t);
    const agent = request.agent(t.app);
    const page = await agent.get(`${link}/1`);
    const fields = hiddenFields(page.text);
    expect(fields._version).toBeDefined();
    const before = await stored();
    const { _version, ...withoutVersion } = fields;
    for (const body of [
      encodeForm({ ...withoutVersion, _nav: 'next', ...answers(0) }),
      encodeForm({ ...withoutVersion, _version: 'x'.repeat(500), _nav: 'next', ...answers(0) }),
      encodeForm({ ...withoutVersion, _version: [_version!, _version!], _nav: 'next', ...answers(0) }),
      `${encodeForm({ ...withoutVersion, _nav: 'next', ...answers(0) })}&_version[a]=1`,
    ]) {
      const refused = await agent.post(`${link}/1`).type('form').send(body);
      expect(refused.status).toBeGreaterThanOrEqual(400);
      expect(refused.status).toBeLessThan(500);
    }
    expect(await stored()).toEqual(before);
  });

  it('still takes a double tap on the last "Gönder" as the same submission', async () => {
    const { link } = await invitedInstitution(t);
    const agent = request.agent(t.app);
    await fillUpTo(agent, link, LAST);
    const page = await agent.get(`${link}/${LAST}`);
    const first = await postPage(agent, `${link}/${LAST}`, page.text, answers(LAST - 1));
    const second = await postPage(agent, `${link}/${LAST}`, page.text, answers(LAST - 1));
    expect([first.status, second.status]).toEqual([303, 303]);
    expect(second.headers.location).toBe(`${link}/alindi`);
    expect(await t.db.selectFrom('responses').select('id').where('status', '=', 'complete').execute()).toHaveLength(1);
  });

  it('is not on a citizen survey page, which keeps working without one', async () => {
    const page = await request(t.app).get('/anket/vatandas-anketi/1');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('name="_version"');
  });
});
