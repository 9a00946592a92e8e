// Planners see whose an answer to an institution form is: the responses list and each answer page
// name the institution, its type, the reference its receipt quoted, the version (with the others
// linked), the date and the letter; an answer typed in from paper says it is tied to no invitation.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { invitationService } from '../../server/opinions';
import { addUser, csrfFrom, logIn } from '../helpers/admin';
import { answerSection } from '../helpers/forms';
import { htmlProblems } from '../helpers/html';
import { invitedInstitution } from '../helpers/invitation';
import { LETTER_PDF } from '../helpers/letter-pdf';
import { validSectionFields } from '../helpers/survey-walker';
import { createTestApp, type TestApp } from '../helpers/test-app';

const SLUG = 'kurum-gorus-formu';
const HOSTILE = '<script>alert("x")</script> & Oda';
let t: TestApp;

beforeEach(async () => {
  t = await createTestApp();
});

afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const survey = () => t.catalog.find(SLUG)!;

async function submitAll(agent: TestAgent, base: string): Promise<void> {
  for (let index = 0; index < survey().sections.length; index++) {
    const { response } = await answerSection(agent, `${base}/${index + 1}`, validSectionFields(survey(), index));
    expect(response.status).toBe(303);
  }
}

/**
 * An institution with a hostile name answers with a letter, then changes its answer (without a
 * new letter): two versions, the first with the letter.
 */
async function answeredTwice() {
  const { link } = await invitedInstitution(t, { name: HOSTILE, group: 'universite' });
  const agent = request.agent(t.app);
  const page = await agent.get(link);
  const upload = /action="([^"]*\/yazi\?_csrf=[^"]+)"/.exec(page.text)![1]!;
  expect((await agent.post(upload).attach('letter', LETTER_PDF, { filename: "Görüş & 'yazı'.pdf", contentType: 'application/pdf' })).status).toBe(303);
  await submitAll(agent, link);
  const first = await t.db.selectFrom('invitations').select(['response_id', 'submitted_at']).executeTakeFirstOrThrow();
  t.clock.now = new Date(t.clock.now.getTime() + 2 * 86_400_000);
  const status = await agent.get(link);
  expect((await agent.post(`${link}/duzenle`).type('form').send({ _csrf: csrfFrom(status.text) })).status).toBe(303);
  await submitAll(agent, link);
  const second = await t.db.selectFrom('invitations').select(['response_id', 'submitted_at']).executeTakeFirstOrThrow();
  const letter = await t.db.selectFrom('opinion_letters').selectAll().executeTakeFirstOrThrow();
  return {
    v1: { id: first.response_id!, reference: invitationService.receiptReference(first.response_id!, first.submitted_at!) },
    v2: { id: second.response_id!, reference: invitationService.receiptReference(second.response_id!, second.submitted_at!) },
    letter,
  };
}

/** A paper questionnaire typed in by a planner: an answer to the form tied to no invitation. */
async function enteredFromPaper(planner: TestAgent): Promise<number> {
  const start = await planner.get(`/admin/surveys/${SLUG}/entry/paper`);
  const base = start.headers.location!.replace(/\/1$/, '');
  for (let index = 0; index < survey().sections.length; index++) {
    const { response } = await answerSection(planner, `${base}/${index + 1}`, validSectionFields(survey(), index));
    expect(response.status).toBe(303);
  }
  return (await t.db.selectFrom('responses').select('id').where('channel', '=', 'paper').executeTakeFirstOrThrow()).id;
}

const escaped = '&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Oda';

describe('the responses list of an institution form', () => {
  it('names each answer: institution, type, reference, version and letter; a paper answer is said to have no invitation', async () => {
    const { v1, v2, letter } = await answeredTwice();
    const planner = await logIn(t, await addUser(t, 'planner'));
    const paper = await enteredFromPaper(planner);
    const list = await planner.get(`/admin/surveys/${SLUG}/responses`);
    expect(list.status).toBe(200);
    expect(await htmlProblems(list.text)).toEqual([]);
    expect(list.text).not.toContain('<script>alert');
    const row = (id: number) => new RegExp(`<tr>\\s*<td><a href="/admin/surveys/${SLUG}/responses/${id}">${id}</a></td>[\\s\\S]*?</tr>`).exec(list.text)![0];
    expect(row(v2.id)).toContain(escaped);
    expect(row(v2.id)).toContain('Üniversite');
    expect(row(v2.id)).toContain(v2.reference);
    expect(row(v2.id)).toContain('Sürüm 2 / 2 (geçerli sürüm)');
    expect(row(v2.id)).not.toContain('/admin/opinions/letters/');
    expect(row(v1.id)).toContain(escaped);
    expect(row(v1.id)).toContain(v1.reference);
    expect(row(v1.id)).toContain('Sürüm 1 / 2 (yerine yeni sürüm geldi)');
    expect(row(v1.id)).toContain(`href="/admin/opinions/letters/${letter.id}"`);
    expect(row(v1.id)).toContain('Görüş &amp; &#39;yazı&#39;.pdf');
    expect(row(paper)).toContain('Davete bağlı değil');
  });

  it('has no institution column for a citizen survey', async () => {
    const planner = await logIn(t, await addUser(t, 'planner'));
    const list = await planner.get('/admin/surveys/vatandas-anketi/responses');
    expect(list.status).toBe(200);
    expect(list.text).not.toContain('<th scope="col">Kurum</th>');
  });
});

describe("the form's invitations page", () => {
  it("shows the reference of the answer that counts, its letters, and a letter not yet sent as such", async () => {
    const { v1, v2, letter } = await answeredTwice();
    const { link } = await invitedInstitution(t, { name: 'Ziraat Odası' });
    const agent = request.agent(t.app);
    const page = await agent.get(link);
    const upload = /action="([^"]*\/yazi\?_csrf=[^"]+)"/.exec(page.text)![1]!;
    expect((await agent.post(upload).attach('letter', LETTER_PDF, { filename: 'taslak.pdf', contentType: 'application/pdf' })).status).toBe(303);
    const planner = await logIn(t, await addUser(t, 'planner'));
    const manage = await planner.get(`/admin/opinions/${SLUG}`);
    expect(manage.status).toBe(200);
    expect(manage.text).toContain(v2.reference);
    expect(manage.text).not.toContain(v1.reference);
    // The letter went with version 1: still on record, and not marked as waiting.
    expect(manage.text).toMatch(new RegExp(`/admin/opinions/letters/${letter.id}" download>[^<]+</a> <small>\\([^)]*\\)</small></td>`));
    expect(manage.text).toMatch(/taslak\.pdf<\/a> <small>\([^)]*\)<\/small> <small>\(henüz gönderilmedi\)<\/small>/);
    expect(await htmlProblems(manage.text)).toEqual([]);
  });
});

describe('one answer of an institution', () => {
  it('is titled with the institution and shows its type, reference, version with links to the others, date and letter', async () => {
    const { v1, v2, letter } = await answeredTwice();
    const planner = await logIn(t, await addUser(t, 'planner'));

    const first = await planner.get(`/admin/surveys/${SLUG}/responses/${v1.id}`);
    expect(first.status).toBe(200);
    expect(await htmlProblems(first.text)).toEqual([]);
    expect(first.text).not.toContain('<script>alert');
    expect(first.text).toContain(`<title>${escaped}: Yanıt #${v1.id}`);
    expect(first.text).toContain(`<h1>${escaped}: yanıt #${v1.id}</h1>`);
    expect(first.text).toContain('<dt>Kurum türü</dt><dd>Üniversite</dd>');
    expect(first.text).toContain(`<dt>Referans numarası</dt><dd>${v1.reference}</dd>`);
    expect(first.text).toContain('<dt>Sürüm</dt><dd>Sürüm 1 / 2 (yerine yeni sürüm geldi)</dd>');
    expect(first.text).toContain('<dt>Gönderildiği tarih</dt><dd>21.11.2026 10:00</dd>');
    expect(first.text).toContain(`href="/admin/opinions/letters/${letter.id}" download>Görüş &amp; &#39;yazı&#39;.pdf</a> <small>(${Math.max(1, Math.round(LETTER_PDF.length / 1024))} KB, 1 sayfa)</small>`);
    expect(first.text).toContain(`<a href="/admin/surveys/${SLUG}/responses/${v2.id}">Sürüm 2 / 2</a>`);

    const second = await planner.get(`/admin/surveys/${SLUG}/responses/${v2.id}`);
    expect(second.text).toContain('<dt>Sürüm</dt><dd>Sürüm 2 / 2 (geçerli sürüm)</dd>');
    expect(second.text).toContain('<dt>Gönderildiği tarih</dt><dd>23.11.2026 10:00</dd>');
    expect(second.text).toContain('<dt>Resmî yazı</dt><dd>Bu sürümle yazı gönderilmedi</dd>');
    expect(second.text).toContain(`<a href="/admin/surveys/${SLUG}/responses/${v1.id}">Sürüm 1 / 2</a>`);
    expect(await htmlProblems(second.text)).toEqual([]);

    // The letter link leads to the file.
    const download = await planner.get(`/admin/opinions/letters/${letter.id}`);
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
  });

  it('in English: the type in words and the labels in English', async () => {
    const { v1 } = await answeredTwice();
    const planner = await logIn(t, await addUser(t, 'planner'));
    const page = await planner.get(`/admin/surveys/${SLUG}/responses/${v1.id}?lang=en`);
    expect(page.text).toContain('<dt>Type of institution</dt><dd>University</dd>');
    expect(page.text).toContain('<dt>Version</dt><dd>Version 1 of 2 (replaced by a newer version)</dd>');
    expect(page.text).toContain('1 page)');
  });

  it('typed in from paper: says plainly it is tied to no invitation', async () => {
    const planner = await logIn(t, await addUser(t, 'planner'));
    const paper = await enteredFromPaper(planner);
    const page = await planner.get(`/admin/surveys/${SLUG}/responses/${paper}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Bu yanıt bir kurum davetine bağlı değil');
    expect(page.text).toContain(`<h1>Yanıt #${paper}</h1>`);
    expect(await htmlProblems(page.text)).toEqual([]);
  });

  it('needs a login with the right to read responses', async () => {
    const { v1 } = await answeredTwice();
    for (const url of [`/admin/surveys/${SLUG}/responses`, `/admin/surveys/${SLUG}/responses/${v1.id}`]) {
      const anonymous = await request(t.app).get(url);
      expect(anonymous.status).toBe(303);
      expect(anonymous.headers.location).toMatch(/^\/admin\/login/);
      expect(anonymous.text).not.toContain('alert');
    }
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    const refused = await viewer.get(`/admin/surveys/${SLUG}/responses/${v1.id}`);
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain('alert(');
  });
});
