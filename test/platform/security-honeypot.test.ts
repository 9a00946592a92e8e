import request, { type Response } from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { HONEYPOT_FIELD } from '../../server/platform/security/honeypot';
import { changedTables, dumpDatabase } from '../helpers/database-dump';
import type { Fields } from '../helpers/forms';
import { invitedInstitution, mailedLink } from '../helpers/invitation';
import { LETTER_PDF } from '../helpers/letter-pdf';
import { scheduleMeeting, signUp } from '../helpers/meetings';
import { postForm, postForms, type PageForm } from '../helpers/page-forms';
import { completeSurvey, validSectionFields } from '../helpers/survey-walker';
import { createTestApp, TEST_BASE_URL, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const PDF = LETTER_PDF;
const BOT_VALUE = 'https://spam.example/ucuz-ilac';
const institutionForm = () => t.catalog.find('kurum-gorus-formu')!;
/** The institution's answers to a section, without the question its register entry answers (its type). */
const institutionAnswers = (index: number): Fields => {
  const fields = validSectionFields(institutionForm(), index);
  delete fields.kurum_turu;
  return fields;
};

interface Opened {
  agent: TestAgent;
  /** The page holding the form. */
  page: string;
}

interface FormCase {
  name: string;
  /** Prepares what the form needs (an invitation, a sign-up…) and says where the form is. */
  open(): Promise<Opened>;
  action: RegExp;
  /** What a person types or picks; the page's hidden fields and ticked boxes come from the page. */
  typed(): Fields;
  multipart?: boolean;
  /** What the post does when the honeypot is left empty, as before the honeypot existed. */
  worked(response: Response, opened: Opened): Promise<void>;
}

const count = async (table: 'responses' | 'meeting_registrations' | 'self_registrations' | 'opinion_letters' | 'outbox_messages') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

/** A resident signed up through the form; their personal page's path. */
async function signedUp(agent: TestAgent, consent = false): Promise<string> {
  const id = await scheduleMeeting(t);
  const response = await signUp(agent, id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org', ...(consent ? { future_meetings: '1' } : {}) });
  if (response.status !== 303) throw new Error(`sign-up answered ${response.status}`);
  return response.headers.location!;
}

async function invited(agent: TestAgent, submitted = false): Promise<string> {
  const { link } = await invitedInstitution(t);
  if (submitted) await completeSurvey(agent, institutionForm(), institutionAnswers, link);
  return link;
}

const CASES: FormCase[] = [
  {
    name: 'citizen survey section',
    open: async () => ({ agent: request.agent(t.app), page: '/anket/vatandas-anketi/1' }),
    action: /^\/anket\/vatandas-anketi\/1$/,
    typed: () => ({ ...validSectionFields(t.catalog.find('vatandas-anketi')!, 0), _nav: 'next' }),
    async worked(response) {
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe('/anket/vatandas-anketi/2');
      expect(await count('responses')).toBe(1);
    },
  },
  {
    name: 'meeting sign-up',
    async open() {
      const id = await scheduleMeeting(t);
      return { agent: request.agent(t.app), page: `/bulusmalar/${id}` };
    },
    action: /^\/bulusmalar\/\d+$/,
    typed: () => ({ name: 'Ayşe Yılmaz', phone: '0532 123 45 67', accessibility_need: 'Tekerlekli sandalye', accessibility_consent: '1' }),
    async worked(response) {
      expect(response.status).toBe(303);
      expect(response.headers.location).toMatch(/^\/bulusmalar\/kayit\//);
      expect(await count('meeting_registrations')).toBe(1);
    },
  },
  {
    name: 'resident’s cancellation',
    async open() {
      const agent = request.agent(t.app);
      // The confirmation page: its form is the one that cancels.
      return { agent, page: `${await signedUp(agent)}/iptal` };
    },
    action: /\/iptal$/,
    typed: () => ({}),
    async worked(response, opened) {
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe(opened.page.replace(/\/iptal$/, ''));
      const row = await t.db.selectFrom('meeting_registrations').select('status').executeTakeFirstOrThrow();
      expect(row.status).toBe('cancelled');
    },
  },
  {
    name: 'institution self-registration',
    open: async () => ({ agent: request.agent(t.app), page: '/kurum-gorusu' }),
    action: /^\/kurum-gorusu$/,
    typed: () => ({ name: 'Kent Konseyi', group: 'kent_konseyi', email: 'konsey@example.org', contact_person: 'Ali Veli' }),
    async worked(response) {
      expect(response.status).toBe(200);
      expect(response.text).toContain('konsey@example.org');
      expect(await count('self_registrations')).toBe(1);
      expect(await count('outbox_messages')).toBe(1);
    },
  },
  {
    name: 'institution’s address confirmation',
    async open() {
      const agent = request.agent(t.app);
      const page = await agent.get('/kurum-gorusu');
      const form = postForm(page.text, /^\/kurum-gorusu$/, { tickAll: true });
      const sent = await agent
        .post(form.action)
        .type('form')
        .send({ ...form.fields, name: 'Kent Konseyi', group: 'kent_konseyi', email: 'konsey@example.org' });
      expect(sent.status).toBe(200);
      return { agent, page: await mailedLink(t, '/kurum-gorusu/onay/') };
    },
    action: /^\/kurum-gorusu\/onay\//,
    typed: () => ({}),
    async worked(response) {
      expect(response.status).toBe(303);
      expect(response.headers.location).toMatch(/^\/gorus\//);
    },
  },
  {
    name: 'institution opinion form section',
    async open() {
      const agent = request.agent(t.app);
      return { agent, page: `${await invited(agent)}/1` };
    },
    action: /^\/gorus\/[\w-]+\/1$/,
    typed: () => ({ ...institutionAnswers(0), _nav: 'next' }),
    async worked(response, opened) {
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe(opened.page.replace(/1$/, '2'));
      expect(await count('responses')).toBe(1);
    },
  },
  {
    name: 'institution’s edit button',
    async open() {
      const agent = request.agent(t.app);
      return { agent, page: await invited(agent, true) };
    },
    action: /\/duzenle$/,
    typed: () => ({}),
    async worked(response, opened) {
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe(`${opened.page}/1`);
    },
  },
  {
    name: 'institution’s letter upload (multipart)',
    async open() {
      const agent = request.agent(t.app);
      return { agent, page: await invited(agent) };
    },
    action: /\/yazi\?_csrf=/,
    typed: () => ({}),
    multipart: true,
    async worked(response, opened) {
      expect(response.status).toBe(303);
      expect(response.headers.location).toMatch(new RegExp(`^${opened.page}\\?yazi=yuklendi-\\d+#letter-heading$`));
      expect(await count('opinion_letters')).toBe(1);
    },
  },
  {
    name: 'consent withdrawal',
    async open() {
      const agent = request.agent(t.app);
      await signedUp(agent, true);
      await t.worker.runOnce();
      const link = new RegExp(`${TEST_BASE_URL.replace(/\./g, '\\.')}(/acik-riza/[A-Za-z0-9_-]+)`).exec(t.sent.at(-1)?.text ?? '')?.[1];
      if (!link) throw new Error('No withdrawal link in the confirmation mail');
      return { agent, page: link };
    },
    action: /^\/acik-riza\//,
    typed: () => ({}),
    async worked(response) {
      expect(response.status).toBe(200);
      const consent = await t.db.selectFrom('consents').select('withdrawn_at').executeTakeFirstOrThrow();
      expect(consent.withdrawn_at).not.toBeNull();
    },
  },
];

async function openForm(form: FormCase): Promise<{ opened: Opened; html: string; target: PageForm }> {
  const opened = await form.open();
  const page = await opened.agent.get(opened.page);
  expect(page.status).toBe(200);
  return { opened, html: page.text, target: postForm(page.text, form.action, { tickAll: true }) };
}

function send(form: FormCase, opened: Opened, target: PageForm, honeypot: string) {
  if (form.multipart) {
    return opened.agent.post(target.action).field(HONEYPOT_FIELD, honeypot).attach('letter', PDF, 'resmi-yazi.pdf');
  }
  return opened.agent
    .post(target.action)
    .type('form')
    .send({ ...target.fields, ...form.typed(), [HONEYPOT_FIELD]: honeypot });
}

describe.each(CASES)('the honeypot on the $name form', (form) => {
  it('is on every form of the page, out of sight, out of the tab order and hidden from screen readers', async () => {
    const { html } = await openForm(form);
    const forms = postForms(html);
    expect(forms.length).toBeGreaterThan(0);
    for (const each of forms) {
      expect({ action: each.action, names: each.names }).toEqual({ action: each.action, names: expect.arrayContaining([HONEYPOT_FIELD]) });
      expect(each.html).toMatch(
        /<div class="hp" aria-hidden="true"><label>(Bu alanı boş bırakın|Leave this field empty) <input type="text" name="web-site" value="" tabindex="-1" autocomplete="off"><\/label><\/div>/,
      );
    }
  });

  it('when filled, answers like a success and stores nothing', async () => {
    const { opened, target } = await openForm(form);
    const before = await dumpDatabase(t.db);

    const response = await send(form, opened, target, BOT_VALUE);

    expect(response.status).toBe(200);
    expect(response.text).toContain('<h1>Teşekkürler</h1>');
    expect(response.text).toContain('Gönderiminiz alındı.');
    expect(changedTables(before, await dumpDatabase(t.db))).toEqual({});
    // Counted and logged, without the post's content or the personal link it went to.
    expect(t.warnings).toEqual([`Honeypot: dropped a form post to /${target.action.split('/')[1]!.split('?')[0]} (1 since start); nothing was stored.`]);
  });

  it('when left empty, lets the form work as it always did', async () => {
    const { opened, target } = await openForm(form);
    const response = await send(form, opened, target, '');
    await form.worked(response, opened);
    expect(t.warnings).toEqual([]);
  });
});

describe('the honeypot', () => {
  it('says "received" in English to English readers, and counts each drop', async () => {
    const agent = request.agent(t.app);
    for (let i = 1; i <= 2; i++) {
      const page = await agent.get('/kurum-gorusu?lang=en');
      const form = postForm(page.text, /^\/kurum-gorusu$/, { tickAll: true });
      expect(form.html).toContain('Leave this field empty');
      const response = await agent
        .post('/kurum-gorusu')
        .type('form')
        .send({ ...form.fields, name: 'Spam Ltd', group: 'kent_konseyi', email: 'spam@example.org', [HONEYPOT_FIELD]: [BOT_VALUE, ''] });
      expect(response.text).toContain('<h1>Thank you</h1>');
      expect(response.text).toContain('Your submission has been received.');
    }
    expect(t.warnings).toEqual([
      'Honeypot: dropped a form post to /kurum-gorusu (1 since start); nothing was stored.',
      'Honeypot: dropped a form post to /kurum-gorusu (2 since start); nothing was stored.',
    ]);
    expect(await count('self_registrations')).toBe(0);
  });

  it('does not stop a survey from being completed when left empty on every page', async () => {
    const survey = t.catalog.find('vatandas-anketi')!;
    await completeSurvey(request.agent(t.app), survey, (index) => ({ ...validSectionFields(survey, index), [HONEYPOT_FIELD]: '' }));
    expect(await t.db.selectFrom('responses').select('status').execute()).toEqual([{ status: 'complete' }]);
  });
});
