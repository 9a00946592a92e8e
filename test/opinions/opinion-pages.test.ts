// What an institution reads on its pages: wording for an opinion form, not a citizen survey, and a
// receipt page that says what happened to the receipt e-mail at the time it is shown.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { invitedInstitution } from '../helpers/invitation';
import { answerSection } from '../helpers/forms';
import { completeSurvey, validSectionFields } from '../helpers/survey-walker';
import { createTestApp, type TestApp } from '../helpers/test-app';

const SLUG = 'kurum-gorus-formu';
let t: TestApp;

afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

/** The text a person reads: no tags, scripts or attributes. */
const visible = (html: string) =>
  html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ');

async function submitted(agent: TestAgent, language: 'tr' | 'en' = 'tr'): Promise<string> {
  const { link } = await invitedInstitution(t, { language });
  const survey = t.catalog.find(SLUG)!;
  await completeSurvey(agent, survey, (index) => validSectionFields(survey, index), link);
  return link;
}

describe("an institution's pages (issue 15, item 10)", () => {
  beforeEach(async () => {
    t = await createTestApp();
  });

  it('invite it to fill in an opinion form, in Turkish and English, while citizens still start a survey', async () => {
    const { link } = await invitedInstitution(t);
    const agent = request.agent(t.app);
    const turkish = visible((await agent.get(`${link}?lang=tr`)).text);
    expect(turkish).toContain('Forma başla');
    expect(turkish).not.toMatch(/anket/i);
    const english = visible((await agent.get(`${link}?lang=en`)).text);
    expect(english).toContain('Start the form');
    expect(english).not.toMatch(/survey/i);
    for (const lang of ['tr', 'en']) {
      const section = visible((await agent.get(`${link}/1?lang=${lang}`)).text);
      expect(section).not.toMatch(lang === 'tr' ? /anket/i : /survey/i);
    }
    const citizen = request.agent(t.app);
    expect(visible((await citizen.get('/anket/vatandas-anketi?lang=tr')).text)).toContain('Ankete başla');
    expect(visible((await citizen.get('/anket/vatandas-anketi?lang=en')).text)).toContain('Start the survey');
  });

  it('say the receipt e-mail will be sent while it waits in the outbox, and that it was sent once it was', async () => {
    const agent = request.agent(t.app);
    const link = await submitted(agent);
    const waiting = visible((await agent.get(`${link}/alindi`)).text);
    expect(waiting).toContain('Alındı belgesi ve yanıtlarınızın bir kopyası oda@example.org adresine e-postayla gönderilecek.');

    await t.worker.runOnce();
    const sent = visible((await agent.get(`${link}/alindi`)).text);
    expect(sent).not.toContain('gönderilecek');
    expect(sent).toContain('Alındı belgesi ve yanıtlarınızın bir kopyası 21.11.2026 10:00 tarihinde oda@example.org adresine e-postayla gönderildi.');
    expect(visible((await agent.get(`${link}/alindi?lang=en`)).text)).toContain('A receipt and a copy of your answers were e-mailed to oda@example.org on 21 Nov 2026, 10:00.');
    expect(await t.db.selectFrom('outbox_messages').select('status').where('kind', '=', 'receipt').execute()).toEqual([{ status: 'sent' }]);
  });
});

describe('the receipt page when the mail server refuses', () => {
  let refuse = false;
  const delivered: string[] = [];

  beforeEach(async () => {
    t = await createTestApp({
      transport: {
        async sendMail(message) {
          if (refuse) throw new Error('421 try again later');
          delivered.push(String(message.text));
          return { messageId: message.messageId, response: '250 ok' };
        },
      },
    });
  });

  it('says the e-mail could not be sent yet and is being tried again', async () => {
    await invitedInstitution(t, { mailed: false });
    await t.worker.runOnce();
    const link = /\/gorus\/[A-Za-z0-9_-]{22}/.exec(delivered.at(-1)!)![0];
    const agent = request.agent(t.app);
    const survey = t.catalog.find(SLUG)!;
    await completeSurvey(agent, survey, (index) => validSectionFields(survey, index), link);
    refuse = true;
    await t.worker.runOnce();
    t.logged.length = 0;
    const page = visible((await agent.get(`${link}/alindi`)).text);
    expect(page).not.toContain('gönderilecek');
    expect(page).toContain('Alındı belgesi oda@example.org adresine henüz gönderilemedi; yeniden deneniyor.');
    expect(await t.db.selectFrom('outbox_messages').select(['status', 'attempts']).where('kind', '=', 'receipt').execute()).toEqual([{ status: 'pending', attempts: 1 }]);
  });
});

describe("the status page of a form begun (issue 15, item 4)", () => {
  beforeEach(async () => {
    t = await createTestApp();
  });

  const continueLink = (html: string) => /<a class="button primary" href="([^"]+)">Kaldığınız yerden devam edin<\/a>/.exec(html)?.[1];

  it('continues at the first section that still needs answers, not at section 1', async () => {
    const { link } = await invitedInstitution(t);
    const survey = t.catalog.find(SLUG)!;
    const agent = request.agent(t.app);
    for (let index = 0; index < 3; index++) {
      const { response } = await answerSection(agent, `${link}/${index + 1}`, validSectionFields(survey, index));
      expect(response.status).toBe(303);
    }
    expect(continueLink((await agent.get(link)).text)).toBe(`${link}/4`);
    // Each section saved moves the link on.
    const { response } = await answerSection(agent, `${link}/4`, validSectionFields(survey, 3));
    expect(response.status).toBe(303);
    expect(continueLink((await agent.get(link)).text)).toBe(`${link}/5`);
  });
});
