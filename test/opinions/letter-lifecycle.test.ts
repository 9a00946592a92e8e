// An institution's official letter from upload to submission, through HTTP and a real SMTP server:
// the confirmation after an upload, replacing and removing it until the answer is submitted (no
// bytes left behind in the database), the receipt page and mail naming it, and every change
// refused once submitted.
import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { invitationService } from '../../server/opinions';
import { stakeholderService } from '../../server/stakeholders';
import { csrfFrom } from '../helpers/admin';
import { answerSection } from '../helpers/forms';
import { htmlProblems } from '../helpers/html';
import { LETTER_PDF, makePdf } from '../helpers/letter-pdf';
import { createTestSmtp, linkIn, type TestSmtp } from '../helpers/smtp';
import { validSectionFields } from '../helpers/survey-walker';
import { createTestApp, TEST_BASE_URL, type TestApp } from '../helpers/test-app';

const SLUG = 'kurum-gorus-formu';
const actor = { userId: null, email: 'test', ip: null };
let t: TestApp;
let smtp: TestSmtp;

beforeEach(async () => {
  smtp = await createTestSmtp();
  t = await createTestApp({ smtpPort: smtp.port });
});

afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
  await smtp.stop();
});

const survey = () => t.catalog.find(SLUG)!;
const kb = (content: Buffer) => Math.max(1, Math.round(content.length / 1024));

/** Sends the outbox and returns what the SMTP server received in this round. */
async function deliver(): Promise<ParsedMail[]> {
  const before = smtp.received.length;
  await t.worker.runOnce();
  return smtp.received.slice(before);
}

/** An invited institution; its link read from the invitation mail the SMTP server received. */
async function invited(name = 'Mimarlar Odası', email = 'oda@example.org'): Promise<{ link: string; id: number }> {
  const stakeholder = await stakeholderService.create(
    t.db,
    { name, group: 'meslek_odasi', scope: 'external', type: null, emails: [email], contactPerson: null, areas: [], reason: null, importance: 4, influence: 4, language: 'tr' },
    actor,
    t.clock.now,
  );
  await invitationService.invite(t.db, { mailer: t.mailer, baseUrl: TEST_BASE_URL }, { survey: survey(), stakeholderIds: [stakeholder], deadline: '2026-12-15T20:59:59.000Z', reminderDays: null, actor, now: t.clock.now });
  const [mail] = await deliver();
  const invitation = await t.db.selectFrom('invitations').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
  return { link: linkIn(mail!, `${TEST_BASE_URL}/gorus/`).replace(TEST_BASE_URL, ''), id: invitation.id };
}

/** What the letters' storage holds: rows, and whose bytes are stored (with the bytes). */
async function storage() {
  return {
    letters: await t.db.selectFrom('opinion_letters').selectAll().orderBy('id').execute(),
    contents: await t.db.selectFrom('opinion_letter_contents').selectAll().orderBy('letter_id').execute(),
  };
}

const uploadAction = (html: string) => /action="([^"]*\/yazi\?_csrf=[^"]+)"/.exec(html)?.[1];
const replaceAction = (html: string) => /action="([^"]*\/yazi\/\d+\/degistir\?_csrf=[^"]+)"/.exec(html)?.[1];
const removeAction = (html: string) => /action="([^"]*\/yazi\/\d+\/sil)"/.exec(html)?.[1];

async function upload(agent: TestAgent, link: string, content: Buffer, name: string) {
  const page = await agent.get(link);
  return agent.post(uploadAction(page.text)!).attach('letter', content, { filename: name, contentType: 'application/pdf' });
}

async function submitAll(agent: TestAgent, link: string): Promise<void> {
  for (let index = 0; index < survey().sections.length; index++) {
    const { response } = await answerSection(agent, `${link}/${index + 1}`, validSectionFields(survey(), index));
    expect(response.status).toBe(303);
  }
}

describe('the letter before the answer is submitted', () => {
  it('confirms an upload, replaces and removes it without leaving its bytes behind, then goes with the answer into the receipt page and mail', async () => {
    const { link } = await invited();
    const agent = request.agent(t.app);

    // Upload: the page says so, with the name and size, and that it can still change.
    const uploaded = await upload(agent, link, LETTER_PDF, 'Görüş yazısı.pdf');
    expect(uploaded.status).toBe(303);
    const [first] = (await storage()).letters;
    expect(uploaded.headers.location).toBe(`${link}?yazi=yuklendi-${first!.id}#letter-heading`);
    expect(first).toMatchObject({ file_name: 'Görüş yazısı.pdf', response_id: null, pages: 1 });
    const confirmed = await agent.get(uploaded.headers.location!);
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain(`Yazınız yüklendi: Görüş yazısı.pdf, ${kb(LETTER_PDF)} KB, 1 sayfa.`);
    expect(confirmed.text).toContain('Formu gönderene kadar yazınızı değiştirebilir ya da kaldırabilirsiniz.');
    expect(await htmlProblems(confirmed.text)).toEqual([]);
    expect((await storage()).contents).toEqual([{ letter_id: first!.id, content: LETTER_PDF }]);

    // Replace: one row and its bytes, the new ones; the old bytes are gone.
    const threePages = await makePdf({ pages: 3 });
    const replaced = await agent.post(replaceAction(confirmed.text)!).attach('letter', threePages, { filename: 'yeni-yazi.pdf', contentType: 'application/pdf' });
    expect(replaced.status).toBe(303);
    const afterReplace = await storage();
    expect(afterReplace.letters).toHaveLength(1);
    expect(afterReplace.letters[0]).toMatchObject({ file_name: 'yeni-yazi.pdf', pages: 3, size: threePages.length, response_id: null });
    expect(afterReplace.contents).toEqual([{ letter_id: afterReplace.letters[0]!.id, content: threePages }]);
    const replacedPage = await agent.get(replaced.headers.location!);
    expect(replacedPage.text).toContain(`Yazınız değiştirildi. Yeni yazınız: yeni-yazi.pdf, ${kb(threePages)} KB, 3 sayfa.`);
    expect(replacedPage.text).not.toContain('Görüş yazısı.pdf');
    expect(await htmlProblems(replacedPage.text)).toEqual([]);

    // A file that is not a PDF does not replace it: refused, the letter as it was.
    const refused = await agent.post(replaceAction(replacedPage.text)!).attach('letter', Buffer.from('<html>yazı</html>'.padEnd(800)), { filename: 'sahte.pdf', contentType: 'application/pdf' });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Bu dosya PDF değil');
    expect(refused.text).toContain(`<a href="#replace-${afterReplace.letters[0]!.id}">`);
    expect(refused.text).toMatch(new RegExp(`id="replace-${afterReplace.letters[0]!.id}"[^>]*aria-invalid="true" aria-describedby="letter-error"`));
    expect(await htmlProblems(refused.text)).toEqual([]);
    expect(await storage()).toEqual(afterReplace);

    // Remove: no row, no bytes.
    const removed = await agent.post(removeAction(replacedPage.text)!).type('form').send({ _csrf: csrfFrom(replacedPage.text) });
    expect(removed.status).toBe(303);
    expect(await storage()).toEqual({ letters: [], contents: [] });
    const removedPage = await agent.get(removed.headers.location!);
    expect(removedPage.text).toContain('Yazınız kaldırıldı.');
    expect(removeAction(removedPage.text)).toBeUndefined();
    expect(await htmlProblems(removedPage.text)).toEqual([]);

    // A last one, then the answer: the letter goes with it.
    expect((await upload(agent, link, LETTER_PDF, 'Resmi yazı.pdf')).status).toBe(303);
    await deliver();
    await submitAll(agent, link);
    const invitation = await t.db.selectFrom('invitations').selectAll().executeTakeFirstOrThrow();
    const [sent] = (await storage()).letters;
    expect(sent).toMatchObject({ file_name: 'Resmi yazı.pdf', response_id: invitation.response_id });

    const receipt = await agent.get(`${link}/alindi`);
    expect(receipt.status).toBe(200);
    expect(receipt.text).toContain('Yanıtınıza eklenen resmî yazı:');
    expect(receipt.text).toContain(`Resmi yazı.pdf (${kb(LETTER_PDF)} KB, 1 sayfa)`);
    expect(await htmlProblems(receipt.text)).toEqual([]);

    const [mail] = await deliver();
    expect(mail!.subject).toContain(invitationService.receiptReference(invitation.response_id!, invitation.submitted_at!));
    expect(mail!.text).toContain('Yanıtınıza eklenen resmî yazı:');
    expect(mail!.text).toContain(`Resmi yazı.pdf (${kb(LETTER_PDF)} KB, 1 sayfa)`);
    expect(mail!.html).toContain(`<li>Resmi yazı.pdf (${kb(LETTER_PDF)} KB, 1 sayfa)</li>`);
  });

  it('says plainly on the receipt page and in the mail that no letter was attached', async () => {
    const { link } = await invited();
    const agent = request.agent(t.app);
    await submitAll(agent, link);
    const receipt = await agent.get(`${link}/alindi`);
    expect(receipt.text).toContain('Yanıtınıza resmî yazı eklenmedi.');
    const mails = await deliver();
    const mail = mails.find((m) => m.subject?.includes('PD-'))!;
    expect(mail.text).toContain('Yanıtınıza resmî yazı eklenmedi.');
    expect(mail.html).toContain('Yanıtınıza resmî yazı eklenmedi.');
  });

  it("refuses to replace or remove another institution's letter through this link (404), changing nothing", async () => {
    const mine = await invited();
    const theirs = await invited('Ziraat Odası', 'ziraat@example.org');
    const them = request.agent(t.app);
    expect((await upload(them, theirs.link, LETTER_PDF, 'onlarin.pdf')).status).toBe(303);
    const [their] = (await storage()).letters;
    const agent = request.agent(t.app);
    const page = await agent.get(mine.link);
    const token = /\/yazi\?_csrf=([^"]+)"/.exec(page.text)![1]!;
    const before = await storage();
    const replace = await agent.post(`${mine.link}/yazi/${their!.id}/degistir?_csrf=${token}`).attach('letter', LETTER_PDF, 'benim.pdf');
    expect(replace.status).toBe(404);
    expect(replace.text).toContain('Bu yazı bulunamadı');
    const remove = await agent.post(`${mine.link}/yazi/${their!.id}/sil`).type('form').send({ _csrf: decodeURIComponent(token) });
    expect(remove.status).toBe(404);
    expect((await agent.post(`${mine.link}/yazi/abc/sil`).type('form').send({ _csrf: decodeURIComponent(token) })).status).toBe(404);
    // A form token gone stale: refused, with the way back to the link's page.
    const stale = await agent.post(`${mine.link}/yazi/${their!.id}/sil`).type('form').send({ _csrf: 'eskimis' });
    expect(stale.status).toBe(403);
    expect(stale.text).toContain(`href="${mine.link}"`);
    const staleReplace = await agent.post(`${mine.link}/yazi/${their!.id}/degistir?_csrf=eskimis`).attach('letter', LETTER_PDF, 'benim.pdf');
    expect(staleReplace.status).toBe(403);
    expect(staleReplace.text).toContain(`href="${mine.link}"`);
    expect(await storage()).toEqual(before);
  });
});

describe('the letter once the answer is submitted', () => {
  it('refuses replace, remove and a new upload (409) and changes nothing; a change of the answer opens a new letter for the new version', async () => {
    const { link } = await invited();
    const agent = request.agent(t.app);
    expect((await upload(agent, link, LETTER_PDF, 'ilk.pdf')).status).toBe(303);
    const before = await agent.get(link);
    const replace = replaceAction(before.text)!;
    const remove = removeAction(before.text)!;
    const add = uploadAction(before.text)!;
    await submitAll(agent, link);
    const submitted = await storage();
    expect(submitted.letters[0]!.response_id).not.toBeNull();

    const page = await agent.get(link);
    expect(replaceAction(page.text)).toBeUndefined();
    expect(removeAction(page.text)).toBeUndefined();
    expect(uploadAction(page.text)).toBeUndefined();
    expect(page.text).toContain('Yanıtınızla gönderilen yazı:');
    expect(page.text).toContain('Gönderilmiş bir yanıtın yazısı değiştirilemez');
    expect(await htmlProblems(page.text)).toEqual([]);

    const replaced = await agent.post(replace).attach('letter', LETTER_PDF, { filename: 'baska.pdf', contentType: 'application/pdf' });
    expect(replaced.status).toBe(409);
    expect(replaced.text).toContain('Yanıtınız gönderildiği için yazı artık değiştirilemez ya da kaldırılamaz. Hiçbir şey değiştirilmedi.');
    const removed = await agent.post(remove).type('form').send({ _csrf: csrfFrom(page.text) });
    expect(removed.status).toBe(409);
    const added = await agent.post(add).attach('letter', LETTER_PDF, { filename: 'ek.pdf', contentType: 'application/pdf' });
    expect(added.status).toBe(409);
    expect(await storage()).toEqual(submitted);

    // Changing the answer: the first letter stays with version 1; a new one goes with version 2.
    const edit = await agent.post(`${link}/duzenle`).type('form').send({ _csrf: csrfFrom(page.text) });
    expect(edit.status).toBe(303);
    const editing = await agent.get(link);
    expect(editing.text).toContain('Önceki bir sürümle gönderdiğiniz yazılar kayıtlı kalır: ilk.pdf.');
    expect(removeAction(editing.text)).toBeUndefined();
    expect((await upload(agent, link, LETTER_PDF, 'ikinci.pdf')).status).toBe(303);
    await submitAll(agent, link);
    const invitation = await t.db.selectFrom('invitations').selectAll().executeTakeFirstOrThrow();
    const letters = (await storage()).letters;
    expect(letters.map((l) => [l.file_name, l.response_id])).toEqual([
      ['ilk.pdf', submitted.letters[0]!.response_id],
      ['ikinci.pdf', invitation.response_id],
    ]);
    expect(invitation.response_id).not.toBe(submitted.letters[0]!.response_id);
  });
});
