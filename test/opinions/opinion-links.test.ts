// What a link leads to when it should not lead to the form (unknown, revoked, expired, after the
// deadline, the form closed) and the official letter upload: the right page, and nothing written.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { invitationService } from '../../server/opinions';
import { clearExpiredDrafts } from '../../server/surveys';
import { addUser, csrfFrom, logIn } from '../helpers/admin';
import { answerSection, encodeForm } from '../helpers/forms';
import { htmlProblems } from '../helpers/html';
import { LETTER_PDF } from '../helpers/letter-pdf';
import { validSectionFields } from '../helpers/survey-walker';
import { INVITATION_DEADLINE as DEADLINE, invitedInstitution, mailedLink } from '../helpers/invitation';
import { createTestApp, type TestApp } from '../helpers/test-app';

const SLUG = 'kurum-gorus-formu';
let t: TestApp;
const actor = { userId: null, email: 'test', ip: null };

beforeEach(async () => {
  t = await createTestApp();
});

afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});


const invited = (name?: string) => invitedInstitution(t, { name });

/** Everything an answer or a letter could have written. */
async function writes() {
  return {
    responses: await t.db.selectFrom('responses').selectAll().execute(),
    letters: await t.db.selectFrom('opinion_letters').selectAll().execute(),
    contents: await t.db.selectFrom('opinion_letter_contents').selectAll().execute(),
  };
}

/** A browser with a CSRF token (from a citizen survey's form), so refusals are about the link, not the token. */
async function browser(): Promise<{ agent: TestAgent; csrf: string }> {
  const agent = request.agent(t.app);
  const page = await agent.get('/anket/vatandas-anketi/1');
  return { agent, csrf: csrfFrom(page.text) };
}

async function tryEverything(link: string, expected: number): Promise<void> {
  const { agent, csrf } = await browser();
  const fields = validSectionFields(t.catalog.find(SLUG)!, 0);
  const attempts = [
    await agent.get(link),
    await agent.get(`${link}/1`),
    await agent.get(`${link}/alindi`),
    await agent.post(`${link}/1`).type('form').send(encodeForm({ _csrf: csrf, _key: 'k'.repeat(22), _nav: 'next', ...fields })),
    await agent.post(`${link}/duzenle`).type('form').send({ _csrf: csrf }),
    await agent.post(`${link}/yazi?_csrf=${encodeURIComponent(csrf)}`).attach('letter', Buffer.from('%PDF-1.4\n%%EOF\n'), 'yazi.pdf'),
  ];
  expect(attempts.map((r) => r.status)).toEqual(attempts.map(() => expected));
}

describe('links that do not lead to the form', () => {
  it('an unknown or malformed token: "not recognised", and nothing written', async () => {
    await invited();
    const before = await writes();
    await tryEverything('/gorus/AAAAAAAAAAAAAAAAAAAAAA', 404);
    const page = await request(t.app).get('/gorus/AAAAAAAAAAAAAAAAAAAAAA');
    expect(page.text).toContain('Bağlantı geçersiz');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect(await htmlProblems(page.text)).toEqual([]);
    expect((await request(t.app).get('/gorus/kisa')).status).toBe(404);
    expect((await request(t.app).get(`/gorus/${'x'.repeat(500)}`)).status).toBe(404);
    expect(await writes()).toEqual(before);
  });

  it('a revoked invitation: says it was withdrawn and whom to ask; nothing written, not even "opened"', async () => {
    const { link, id } = await invited();
    await invitationService.revoke(t.db, t.catalog.find(SLUG)!, id, actor, t.clock.now);
    const before = await writes();
    await tryEverything(link, 410);
    const page = await request(t.app).get(link);
    expect(page.text).toContain('Bu davet iptal edildi');
    expect(page.text).toContain(t.catalog.municipality.contact.email);
    expect(await htmlProblems(page.text)).toEqual([]);
    expect(await writes()).toEqual(before);
    expect((await t.db.selectFrom('invitations').select('opened_at').executeTakeFirstOrThrow()).opened_at).toBeNull();
  });

  it('after the deadline: closed, nothing written; an answer given in time is said to be on record', async () => {
    const { link } = await invited();
    const agent = request.agent(t.app);
    const survey = t.catalog.find(SLUG)!;
    for (let index = 0; index < survey.sections.length; index++) await answerSection(agent, `${link}/${index + 1}`, validSectionFields(survey, index));
    const submitted = await t.db.selectFrom('invitations').select(['response_id', 'submitted_at']).executeTakeFirstOrThrow();
    expect(submitted.response_id).not.toBeNull();

    t.clock.now = new Date(Date.parse(DEADLINE) + 1000);
    const before = await writes();
    await tryEverything(link, 410);
    const page = await request(t.app).get(link);
    expect(page.text).toContain('Görüş bildirme süresi doldu');
    expect(page.text).toContain('15.12.2026 23:59');
    expect(page.text).toContain(invitationService.receiptReference(submitted.response_id!, submitted.submitted_at!));
    expect(await writes()).toEqual(before);
  });

  it('a form the planner closed early closes its links too', async () => {
    const { link } = await invited();
    const planner = await logIn(t, await addUser(t, 'planner'));
    const show = await planner.get(`/admin/surveys/${SLUG}`);
    const closed = await planner.post(`/admin/surveys/${SLUG}/close`).type('form').send({ _csrf: csrfFrom(show.text) });
    expect(closed.status).toBe(303);
    const before = await writes();
    await tryEverything(link, 410);
    const page = await request(t.app).get(link);
    expect(page.text).toContain('Görüş bildirme süresi doldu');
    expect(page.text).toContain('21.11.2026 10:00');
    expect(await writes()).toEqual(before);
  });

  it('an expired confirmation link of a self-registration: says so, and no stakeholder is created', async () => {
    const form = request.agent(t.app);
    const page = await form.get('/kurum-gorusu');
    await form.post('/kurum-gorusu').type('form').send({ _csrf: csrfFrom(page.text), survey: SLUG, name: 'Esnaf Odası', group: 'meslek_odasi', email: 'esnaf@example.org', language: 'tr', authority: '1' });
    const link = await mailedLink(t, '/kurum-gorusu/onay/');
    t.clock.now = new Date(t.clock.now.getTime() + 49 * 3_600_000);
    const ask = await form.get(link);
    const expired = await form.post(link).type('form').send({ _csrf: csrfFrom(ask.text) });
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('Bu doğrulama bağlantısının süresi doldu');
    expect(await htmlProblems(expired.text)).toEqual([]);
    const unknown = await form.post('/kurum-gorusu/onay/AAAAAAAAAAAAAAAAAAAAAA').type('form').send({ _csrf: csrfFrom(ask.text) });
    expect(unknown.status).toBe(404);
    expect(await t.db.selectFrom('stakeholders').selectAll().execute()).toEqual([]);
    expect(await t.db.selectFrom('invitations').selectAll().execute()).toEqual([]);
  });

  it("keeps an institution's draft past the seven days a citizen's draft lives", async () => {
    const { link } = await invited();
    const agent = request.agent(t.app);
    await answerSection(agent, `${link}/1`, { ...validSectionFields(t.catalog.find(SLUG)!, 0), formu_dolduran_birim: 'Genel Sekreterlik' });
    t.clock.now = new Date(t.clock.now.getTime() + 20 * 24 * 3_600_000);
    expect(await clearExpiredDrafts(t.db, t.clock.now, t.catalog.surveys)).toBe(0);
    expect((await agent.get(`${link}/1`)).text).toContain('value="Genel Sekreterlik"');
  });
});

describe('the official letter', () => {
  const pdf = LETTER_PDF;
  const upload = async (agent: TestAgent, link: string, content: Buffer, name: string, type = 'application/pdf') => {
    const page = await agent.get(link);
    const token = /action="[^"]*\/yazi\?_csrf=([^"]+)"/.exec(page.text)![1]!;
    return agent.post(`${link}/yazi?_csrf=${token}`).attach('letter', content, { filename: name, contentType: type });
  };

  it('takes a PDF, keeps it in the database (never under public/), and hands it only to planners', async () => {
    const { link } = await invited();
    const agent = request.agent(t.app);
    const uploaded = await upload(agent, link, pdf, '../../Resmi Yazı <2026>.pdf');
    expect(uploaded.status).toBe(303);
    const [letter] = await t.db.selectFrom('opinion_letters').selectAll().execute();
    expect(letter).toMatchObject({ file_name: 'Resmi Yazı 2026.pdf', size: pdf.length });
    expect(await t.db.selectFrom('opinion_letter_contents').selectAll().execute()).toEqual([{ letter_id: letter!.id, content: pdf }]);
    expect((await agent.get(link)).text).toContain('Resmi Yazı 2026.pdf');

    expect((await request(t.app).get(`/admin/opinions/letters/${letter!.id}`)).status).toBe(303);
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    expect((await viewer.get(`/admin/opinions/letters/${letter!.id}`)).status).toBe(403);
    const planner = await logIn(t, await addUser(t, 'planner'));
    const download = await planner.get(`/admin/opinions/letters/${letter!.id}`).buffer(true).parse((res, done) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => done(null, Buffer.concat(chunks)));
    });
    expect(download.status).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['content-disposition']).toContain('attachment');
    expect(download.body).toEqual(pdf);
    expect(await t.db.selectFrom('audit_events').select('action').where('action', '=', 'letter.downloaded').execute()).toHaveLength(1);
    const tracking = await planner.get(`/admin/opinions/${SLUG}`);
    expect(tracking.text).toContain(`/admin/opinions/letters/${letter!.id}`);
  });

  it.each([
    ['a PNG renamed to .pdf', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(500, 1)]), 'yazi.pdf'],
    ['an HTML page renamed to .pdf', Buffer.from('<html><script>alert(1)</script>%PDF-</html>'.padEnd(2000, ' ')), 'yazi.pdf'],
    ['a PDF cut short (no %%EOF)', Buffer.from('%PDF-1.4\n' + 'x'.repeat(3000)), 'yazi.pdf'],
    ['an HTML page holding %PDF-…%%EOF', Buffer.from('<html><body>%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\nstartxref\n9\n%%EOF</body></html>'), 'yazi.pdf'],
    ['HTML behind a PDF header and before a trailer', Buffer.from('%PDF-1.4\n<html><script>alert(1)</script></html>\ntrailer\n<< /Root 1 0 R >>\nstartxref\n9\n%%EOF\n'), 'yazi.pdf'],
    ['a text file', Buffer.from('Görüşlerimiz ektedir.\n'.repeat(100)), 'yazi.pdf'],
    ['a real PDF cut in half', LETTER_PDF.subarray(0, LETTER_PDF.length / 2), 'yazi.pdf'],
  ])('refuses %s with a clear message and stores nothing', async (_what, content, name) => {
    const { link } = await invited();
    const agent = request.agent(t.app);
    const refused = await upload(agent, link, content, name);
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Bu dosya PDF değil');
    expect(await htmlProblems(refused.text)).toEqual([]);
    expect(await writes()).toMatchObject({ letters: [], contents: [] });
  });

  it('refuses a file over 5 MB, an empty post and a post without its token', async () => {
    const { link } = await invited();
    const agent = request.agent(t.app);
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(5 * 1024 * 1024, 0x20), Buffer.from('\n%%EOF\n')]);
    const tooLarge = await upload(agent, link, big, 'buyuk.pdf');
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.text).toContain('Dosya çok büyük');
    const page = await agent.get(link);
    const token = /action="[^"]*\/yazi\?_csrf=([^"]+)"/.exec(page.text)![1]!;
    const empty = await agent.post(`${link}/yazi?_csrf=${token}`).field('x', '1');
    expect(empty.status).toBe(422);
    expect(empty.text).toContain('Yüklemek için bir PDF dosyası seçin');
    const noToken = await agent.post(`${link}/yazi`).attach('letter', pdf, 'yazi.pdf');
    expect(noToken.status).toBe(403);
    expect(await writes()).toMatchObject({ letters: [], contents: [] });
  });
});
