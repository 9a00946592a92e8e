// The consultation of institutions end to end, through HTTP and a real SMTP server: a planner
// imports institutions and invites them, an institution follows the link from the e-mail it
// received, saves a draft, submits, edits; reminders reach the silent ones; an uninvited
// institution takes part through the public page; the consultation record shows it all.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import type { ParsedMail } from 'mailparser';
import { invitationService } from '../../server/opinions';
import { addUser, csrfFrom, downloadWorkbook, logIn, postForm } from '../helpers/admin';
import { readCsvAsExcel } from '../helpers/excel-csv';
import { answerSection, encodeForm, hiddenFields } from '../helpers/forms';
import { htmlProblems } from '../helpers/html';
import { createTestSmtp, linkIn, type TestSmtp } from '../helpers/smtp';
import { completeSurvey, validSectionFields } from '../helpers/survey-walker';
import { createTestApp, TEST_BASE_URL, type TestApp } from '../helpers/test-app';

const SLUG = 'kurum-gorus-formu';
let t: TestApp;
let smtp: TestSmtp;
let planner: TestAgent;

beforeEach(async () => {
  smtp = await createTestSmtp();
  t = await createTestApp({ smtpPort: smtp.port });
  planner = await logIn(t, await addUser(t, 'planner'));
});

afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
  await smtp.stop();
});

const survey = () => t.catalog.find(SLUG)!;
const path = (url: string) => url.replace(TEST_BASE_URL, '');

async function importInstitutions(): Promise<void> {
  const csv = [
    'Ad;Grup;Kapsam;Tür;E-posta;İletişim kişisi;Faaliyet alanları;Neden;Önem;Etki;Dil',
    'Yeşilvadi Üniversitesi;Üniversite;Dış;Stratejik ortak;rektorluk@yesilvadi.example.org;;;Bilimsel iş birliği;5;4;tr',
    'Mimarlar Odası;Meslek odası;Dış;;mimarlar@example.org;;;Kentsel tasarım;4;4;tr',
    'Green Future Association;STK;Dış;;info@greenfuture.example.org;;;Çevre;3;2;en',
    'Tabip Odası;Meslek odası;Dış;;;;;Sağlık;4;3;tr',
  ].join('\n');
  const page = await planner.get('/admin/stakeholders/import');
  const token = /action="\/admin\/stakeholders\/import\?_csrf=([^"]+)"/.exec(page.text)![1]!;
  const preview = await planner.post(`/admin/stakeholders/import?_csrf=${token}`).attach('file', Buffer.from(csv), 'kurumlar.csv');
  expect(preview.status).toBe(200);
  const confirmed = await postForm(planner, '/admin/stakeholders', '/admin/stakeholders/import/confirm');
  expect(confirmed.status).toBe(303);
}

const stakeholderId = async (name: string) => (await t.db.selectFrom('stakeholders').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
const invitationOf = async (name: string) =>
  t.db
    .selectFrom('invitations as i')
    .innerJoin('stakeholders as s', 's.id', 'i.stakeholder_id')
    .selectAll('i')
    .where('s.name', '=', name)
    .orderBy('i.id', 'desc')
    .executeTakeFirstOrThrow();

async function invite(names: string[], fields: Record<string, string> = {}) {
  const ids = await Promise.all(names.map(stakeholderId));
  const page = await planner.get(`/admin/opinions/${SLUG}`);
  expect(page.status).toBe(200);
  return planner
    .post(`/admin/opinions/${SLUG}/invite`)
    .type('form')
    .send(encodeForm({ _csrf: csrfFrom(page.text), deadline: '2026-12-15', reminder_days: '3', scope: 'selected', stakeholder: ids.map(String), ...fields }));
}

/** Sends the outbox and returns what the SMTP server received in this round. */
async function deliver(): Promise<ParsedMail[]> {
  const before = smtp.received.length;
  await t.worker.runOnce();
  return smtp.received.slice(before);
}

const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)!.text;
const mailTo = (mails: ParsedMail[], address: string) => {
  const mail = mails.find((m) => to(m) === address);
  if (!mail) throw new Error(`No mail to ${address} among ${mails.map(to).join(', ')}`);
  return mail;
};

/** The institution's answers for every section, without the question it is not asked (its type). */
const answers = (index: number) => {
  const fields = validSectionFields(survey(), index);
  delete fields.kurum_turu;
  return fields;
};

describe('invitations, the opinion form and the consultation record', () => {
  it('goes from the import to the record: invite, mail, link, draft, submit, receipt, edit', async () => {
    await importInstitutions();
    const invited = await invite(['Yeşilvadi Üniversitesi', 'Mimarlar Odası', 'Green Future Association', 'Tabip Odası']);
    expect(invited.status).toBe(303);
    const flashed = await planner.get(`/admin/opinions/${SLUG}`);
    expect(flashed.text).toContain('3 kuruma davet gönderildi. Atlananlar (1): Tabip Odası (e-posta adresi yok)');
    // Nothing reached the SMTP server yet: mail waits in the outbox until the worker runs.
    expect(smtp.received).toHaveLength(0);
    expect(flashed.text).toContain('Gönderilmeyi bekliyor');

    const mails = await deliver();
    expect(mails.map(to).sort()).toEqual(['info@greenfuture.example.org', 'mimarlar@example.org', 'rektorluk@yesilvadi.example.org']);
    const university = mailTo(mails, 'rektorluk@yesilvadi.example.org');
    expect(university.subject).toBe('Görüşünüzü rica ediyoruz: 2025-2029 Stratejik Plan Kurumsal Paydaş Görüş Formu');
    expect(university.text).toContain('Sayın Yeşilvadi Üniversitesi yetkilisi,');
    expect(university.html).toContain('Görüş formunu açın');
    // English when the register says so.
    const english = mailTo(mails, 'info@greenfuture.example.org');
    expect(english.subject).toBe('Your opinion is requested: 2025-2029 Strategic Plan Institutional Stakeholder Opinion Form');
    expect(linkIn(english, `${TEST_BASE_URL}/gorus/`)).toMatch(/\?lang=en$/);

    // Only a hash of the token is stored; the token carries 128 bits.
    const link = path(linkIn(university, `${TEST_BASE_URL}/gorus/`));
    const token = link.split('/').pop()!;
    expect(Buffer.from(token, 'base64url')).toHaveLength(16);
    const stored = await t.db.selectFrom('invitation_tokens').select('token_hash').execute();
    expect(stored.map((s) => s.token_hash)).not.toContain(token);
    expect(JSON.stringify(await t.db.selectFrom('invitations').selectAll().execute())).not.toContain(token);
    // Nor in the outbox: the link was sealed there until sent, and dropped once it was.
    expect(JSON.stringify(await t.db.selectFrom('outbox_messages').selectAll().execute())).not.toContain(token);

    // The planner sees it delivered.
    const tracking = await planner.get(`/admin/opinions/${SLUG}`);
    expect(tracking.text).not.toContain('Gönderilmeyi bekliyor');
    expect(tracking.text).toContain('İletildi');
    expect(await htmlProblems(tracking.text)).toEqual([]);
    const list = await planner.get('/admin/opinions');
    expect(list.text).toMatch(/Görüş Formu<\/th>\s*<td class="num">3<\/td>\s*<td class="num">0<\/td>/);
    expect(await htmlProblems(list.text)).toEqual([]);

    // The institution opens the link: its name and group are shown, its type is not asked.
    const institution = request.agent(t.app);
    const intro = await institution.get(link);
    expect(intro.status).toBe(200);
    expect(intro.text).toContain('Kurum: Yeşilvadi Üniversitesi (Üniversite)');
    expect(await htmlProblems(intro.text)).toEqual([]);
    expect((await invitationOf('Yeşilvadi Üniversitesi')).opened_at).toBe(t.clock.now.toISOString());
    const first = await institution.get(`${link}/1`);
    expect(first.status).toBe(200);
    expect(first.text).not.toContain('name="kurum_turu"');
    expect(first.text).toContain('Kurum: Yeşilvadi Üniversitesi (Üniversite)');

    // A draft: the first section saved, and found again from another browser with the same link.
    const saved = await answerSection(institution, `${link}/1`, { ...answers(0), formu_dolduran_birim: 'Strateji Daire Başkanlığı' });
    expect(saved.response.headers.location).toBe(`${link}/2`);
    expect((await invitationOf('Yeşilvadi Üniversitesi')).draft_saved_at).not.toBeNull();
    const elsewhere = request.agent(t.app);
    const again = await elsewhere.get(`${link}/1`);
    expect(again.text).toContain('value="Strateji Daire Başkanlığı"');
    expect((await elsewhere.get(link)).text).toContain('Taslak kaydedildi');

    // Submit: the receipt page, the receipt mail with a reference and a copy of the answers.
    await completeSurvey(elsewhere, survey(), (index) => (index === 0 ? { ...answers(0), formu_dolduran_birim: 'Strateji Daire Başkanlığı' } : answers(index)), link);
    const invitation = await invitationOf('Yeşilvadi Üniversitesi');
    expect(invitation.submitted_at).toBe(t.clock.now.toISOString());
    const response = await t.db.selectFrom('responses').selectAll().where('id', '=', invitation.response_id!).executeTakeFirstOrThrow();
    expect(response).toMatchObject({ survey_slug: SLUG, status: 'complete', excluded_at: null });
    const type = await t.db.selectFrom('answers').select('option_id').where('response_id', '=', response.id).where('question_id', '=', 'kurum_turu').executeTakeFirstOrThrow();
    expect(type.option_id).toBe('universite');
    const reference = invitationService.receiptReference(response.id, invitation.submitted_at!);
    const receiptPage = await elsewhere.get(`${link}/alindi`);
    expect(receiptPage.text).toContain(`Referans numarası: ${reference}`);
    expect(receiptPage.text).toContain('Strateji Daire Başkanlığı');
    expect(await htmlProblems(receiptPage.text)).toEqual([]);
    const [receipt, ...others] = await deliver();
    expect(others).toHaveLength(0);
    expect(to(receipt!)).toBe('rektorluk@yesilvadi.example.org');
    expect(receipt!.subject).toContain(reference);
    expect(receipt!.text).toContain('Strateji Daire Başkanlığı');
    expect(receipt!.text).toContain('Üniversite');

    // Edit before the deadline: the submitted answers come back, the new version replaces the old.
    t.clock.now = new Date(t.clock.now.getTime() + 24 * 3_600_000);
    const status = await elsewhere.get(link);
    expect(status.text).toContain(reference);
    const edit = await elsewhere.post(`${link}/duzenle`).type('form').send({ _csrf: csrfFrom(status.text) });
    expect(edit.status).toBe(303);
    expect(edit.headers.location).toBe(`${link}/1`);
    const prefilled = await elsewhere.get(`${link}/1`);
    expect(prefilled.text).toContain('value="Strateji Daire Başkanlığı"');
    expect((await elsewhere.get(link)).text).toContain('Görüşünüzü değiştiriyorsunuz');
    await completeSurvey(elsewhere, survey(), (index) => (index === 0 ? { ...answers(0), formu_dolduran_birim: 'Rektörlük' } : answers(index)), link);
    const edited = await invitationOf('Yeşilvadi Üniversitesi');
    expect(edited.response_id).not.toBe(response.id);
    expect(edited.version).toBe(2);
    const versions = await t.db.selectFrom('responses').select(['id', 'status', 'exclusion_reason']).where('survey_slug', '=', SLUG).orderBy('id').execute();
    expect(versions).toEqual([
      { id: response.id, status: 'complete', exclusion_reason: 'superseded' },
      { id: edited.response_id, status: 'complete', exclusion_reason: null },
    ]);
    const secondReceipt = await deliver();
    expect(secondReceipt).toHaveLength(1);
    expect(secondReceipt[0]!.text).toContain('Rektörlük');

    // The record: one institution answered out of three invited; the one without e-mail was not invited.
    planner = await logIn(t, await addUser(t, 'planner'));
    const record = await planner.get(`/admin/opinions/${SLUG}/record`);
    expect(record.status).toBe(200);
    expect(await htmlProblems(record.text)).toEqual([]);
    const groups = /<table id="record-groups">[\s\S]*?<\/table>/.exec(record.text)![0];
    expect(groups).toMatch(/Üniversite<\/th><td class="num">1<\/td><td class="num">1<\/td><td class="num">%100/);
    expect(groups).toMatch(/Meslek odası<\/th><td class="num">1<\/td><td class="num">0<\/td>/);
    expect(groups).toMatch(/Toplam<\/th><td class="num">3<\/td><td class="num">1<\/td><td class="num">%33,3/);
    // One percent format per language, through Intl (as the report writes it): 33.3% in English.
    const englishGroups = /<table id="record-groups">[\s\S]*?<\/table>/.exec((await planner.get(`/admin/opinions/${SLUG}/record?lang=en`)).text)![0];
    expect(englishGroups).toMatch(/Total<\/th><td class="num">3<\/td><td class="num">1<\/td><td class="num">33\.3%</);
    const rows = /<table id="record-institutions">[\s\S]*?<\/table>/.exec(record.text)![0];
    expect(rows).toContain(`/admin/surveys/${SLUG}/responses/${edited.response_id}`);
    expect(rows).not.toContain(`/responses/${response.id}"`);
    expect(rows).not.toContain('Tabip Odası');
    expect(rows.match(/Yanıtlamadı/g)).toHaveLength(2);
  });

  it('reminds the silent ones on demand and automatically before the deadline, once', async () => {
    await importInstitutions();
    await invite(['Yeşilvadi Üniversitesi', 'Mimarlar Odası', 'Green Future Association']);
    const mails = await deliver();
    const link = path(linkIn(mailTo(mails, 'mimarlar@example.org'), `${TEST_BASE_URL}/gorus/`));
    await completeSurvey(request.agent(t.app), survey(), answers, link);
    await deliver();

    // On demand, with nobody ticked: everyone who has not answered.
    const reminded = await postForm(planner, `/admin/opinions/${SLUG}`, `/admin/opinions/${SLUG}/remind`);
    expect(reminded.status).toBe(303);
    const manual = await deliver();
    expect(manual.map(to).sort()).toEqual(['info@greenfuture.example.org', 'rektorluk@yesilvadi.example.org']);
    expect(mailTo(manual, 'rektorluk@yesilvadi.example.org').subject).toMatch(/^Hatırlatma: /);
    expect(mailTo(manual, 'info@greenfuture.example.org').subject).toMatch(/^Reminder: /);
    // The reminder's own link opens the same invitation.
    const fromReminder = path(linkIn(mailTo(manual, 'rektorluk@yesilvadi.example.org'), `${TEST_BASE_URL}/gorus/`));
    expect((await request(t.app).get(fromReminder)).text).toContain('Kurum: Yeşilvadi Üniversitesi');

    // Ticking one: only that one.
    const page = await planner.get(`/admin/opinions/${SLUG}`);
    const one = (await invitationOf('Green Future Association')).id;
    await planner.post(`/admin/opinions/${SLUG}/remind`).type('form').send({ _csrf: csrfFrom(page.text), invitation: String(one) });
    expect((await deliver()).map(to)).toEqual(['info@greenfuture.example.org']);

    // Automatic: nothing before 3 days ahead of the deadline (15.12.2026 23:59:59 Istanbul) ...
    const sweep = () => invitationService.sendDueReminders(t.db, { mailer: t.mailer, baseUrl: TEST_BASE_URL }, t.catalog, t.clock.now);
    t.clock.now = new Date('2026-12-12T20:00:00Z');
    expect(await sweep()).toBe(0);
    // ... then once to each silent institution, and never again.
    t.clock.now = new Date('2026-12-12T21:00:00Z');
    expect(await sweep()).toBe(2);
    expect(await sweep()).toBe(0);
    expect((await deliver()).map(to).sort()).toEqual(['info@greenfuture.example.org', 'rektorluk@yesilvadi.example.org']);
    expect(await invitationOf('Yeşilvadi Üniversitesi')).toMatchObject({ reminder_count: 2, auto_reminded_at: t.clock.now.toISOString() });
    expect(await invitationOf('Mimarlar Odası')).toMatchObject({ reminder_count: 0 });

    planner = await logIn(t, await addUser(t, 'viewer'));
    const record = await planner.get(`/admin/opinions/${SLUG}/record`);
    expect(record.text).toMatch(/Yeşilvadi Üniversitesi<\/th>\s*<td>21\.11\.2026<\/td>\s*<td class="num">2<\/td>/);
  });

  it('lets an uninvited institution confirm its address, answer, and be merged into the register', async () => {
    await importInstitutions();
    const form = await request.agent(t.app);
    const page = await form.get('/kurum-gorusu');
    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    const bad = await form.post('/kurum-gorusu').type('form').send({ _csrf: csrfFrom(page.text), survey: SLUG, name: '', group: 'uzay', email: 'yok', language: 'tr' });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Kurum türünü seçin.');
    expect(bad.text).toContain('Geçerli bir e-posta adresi yazın.');
    expect(bad.text).toContain('<a href="#reg-authority">Kurum adına başvurmaya yetkili olduğunuzu beyan etmek için kutuyu işaretleyin.</a>');
    expect(bad.text).toContain('<a href="#reg-email">Geçerli bir e-posta adresi yazın.</a>');
    expect(await htmlProblems(bad.text)).toEqual([]);
    expect(await t.db.selectFrom('self_registrations').selectAll().execute()).toEqual([]);

    const sent = await form
      .post('/kurum-gorusu')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), survey: SLUG, name: 'Yeşilvadi Üniversitesi Rektörlüğü', group: 'universite', email: 'Strateji@Yesilvadi.example.org', contact_person: 'Ayşe Yılmaz', language: 'tr', authority: '1' });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain('E-postanızı kontrol edin');
    const [confirmation] = await deliver();
    expect(to(confirmation!)).toBe('strateji@yesilvadi.example.org');
    const confirmLink = path(linkIn(confirmation!, `${TEST_BASE_URL}/kurum-gorusu/onay/`));

    // Opening the link (as a mail scanner would) confirms nothing; the button does.
    const ask = await form.get(confirmLink);
    expect(ask.status).toBe(200);
    expect(await t.db.selectFrom('stakeholders').selectAll().where('source', '=', 'self').execute()).toEqual([]);
    const confirmed = await form.post(confirmLink).type('form').send({ _csrf: csrfFrom(ask.text) });
    expect(confirmed.status).toBe(303);
    const link = confirmed.headers.location!;
    expect(link).toMatch(/^\/gorus\/[A-Za-z0-9_-]{22}$/);
    const twice = await form.post(confirmLink).type('form').send({ _csrf: csrfFrom(ask.text) });
    expect(twice.status).toBe(409);
    // The invitation e-mail carries the same link, so the institution can come back.
    const [invitationMail] = await deliver();
    expect(path(linkIn(invitationMail!, `${TEST_BASE_URL}/gorus/`))).toBe(link);

    await completeSurvey(form, survey(), answers, link);
    const own = await t.db.selectFrom('stakeholders').selectAll().where('source', '=', 'self').executeTakeFirstOrThrow();
    expect(own).toMatchObject({ name: 'Yeşilvadi Üniversitesi Rektörlüğü', group_id: 'universite' });

    const listed = await planner.get('/admin/stakeholders');
    expect(listed.text).toMatch(/Yeşilvadi Üniversitesi Rektörlüğü<\/a> <small>\(kendi başvurdu\)<\/small>/);
    let record = await planner.get(`/admin/opinions/${SLUG}/record`);
    expect(/<table id="record-groups">[\s\S]*?<\/table>/.exec(record.text)![0]).toMatch(/Üniversite<\/th><td class="num">0<\/td><td class="num">0<\/td><td class="num">–<\/td><td class="num">1<\/td>/);

    // Merged into the register's entry: the answer now belongs to the university.
    const into = await stakeholderId('Yeşilvadi Üniversitesi');
    const merged = await postForm(planner, `/admin/stakeholders/${own.id}`, `/admin/stakeholders/${own.id}/merge`, { into: String(into) });
    expect(merged.status).toBe(303);
    record = await planner.get(`/admin/opinions/${SLUG}/record`);
    const rows = /<table id="record-institutions">[\s\S]*?<\/table>/.exec(record.text)![0];
    expect(rows).toContain(`data-institution="${into}"`);
    expect(rows).not.toContain('Rektörlüğü');
  });

  it('sends nothing more than three times to one address that keeps asking', async () => {
    const form = request.agent(t.app);
    for (let i = 0; i < 5; i++) {
      const page = await form.get('/kurum-gorusu');
      const sent = await form
        .post('/kurum-gorusu')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), survey: SLUG, name: `Kurum ${i}`, group: 'stk', email: 'hedef@example.org', language: 'tr', authority: '1' });
      expect(sent.status).toBe(200);
    }
    expect(await deliver()).toHaveLength(3);
  });

  it('revokes and resends: a revoked link stops, a resent one works', async () => {
    await importInstitutions();
    await invite(['Mimarlar Odası', 'Yeşilvadi Üniversitesi']);
    const mails = await deliver();
    const chamber = path(linkIn(mailTo(mails, 'mimarlar@example.org'), `${TEST_BASE_URL}/gorus/`));
    const id = (await invitationOf('Yeşilvadi Üniversitesi')).id;
    const resent = await postForm(planner, `/admin/opinions/${SLUG}`, `/admin/opinions/${SLUG}/invitations/${id}/resend`);
    expect(resent.status).toBe(303);
    const [again] = await deliver();
    expect(to(again!)).toBe('rektorluk@yesilvadi.example.org');
    expect((await request(t.app).get(path(linkIn(again!, `${TEST_BASE_URL}/gorus/`)))).status).toBe(200);

    const chamberId = (await invitationOf('Mimarlar Odası')).id;
    await postForm(planner, `/admin/opinions/${SLUG}`, `/admin/opinions/${SLUG}/invitations/${chamberId}/revoke`, { confirm: 'yes' });
    const revoked = await request(t.app).get(chamber);
    expect(revoked.status).toBe(410);
    expect(revoked.text).toContain('Bu davet iptal edildi');
    const tracking = await planner.get(`/admin/opinions/${SLUG}`);
    expect(tracking.text).toContain('İptal edildi');
    // Invited again after the revocation: a fresh invitation, the record counts the institution once.
    await invite(['Mimarlar Odası']);
    const record = await planner.get(`/admin/opinions/${SLUG}/record`);
    const rows = /<table id="record-institutions">[\s\S]*?<\/table>/.exec(record.text)![0];
    expect(rows.match(/Mimarlar Odası/g)).toHaveLength(1);
  });

  it('exports the record as XLSX and CSV with formula-safe cells', async () => {
    await importInstitutions();
    await postForm(planner, '/admin/stakeholders/new', '/admin/stakeholders', {
      name: '=HYPERLINK("http://kotu.example.org")',
      group: 'stk',
      scope: 'external',
      type: '',
      emails: 'kotu@example.org',
      contact_person: '',
      reason: '',
      importance: '3',
      influence: '3',
      language: 'tr',
    });
    await invite(['Yeşilvadi Üniversitesi', '=HYPERLINK("http://kotu.example.org")']);
    const csv = await planner.get(`/admin/opinions/${SLUG}/record.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    // One header row, in the planner's language; read as Turkish Excel reads it (semicolons).
    const [header, ...rows] = readCsvAsExcel(csv.text, 'tr');
    expect(header).toEqual(['Kurum türü', 'Kurum', 'Davet tarihi', 'Kendi başvurusu', 'Hatırlatma sayısı', 'Yanıt tarihi', 'Durum', 'Resmî yazı', 'Yanıt no']);
    expect(csv.text).toContain(`"'=HYPERLINK(""http://kotu.example.org"")"`);
    expect(rows).toContainEqual(['Üniversite', 'Yeşilvadi Üniversitesi', '21.11.2026', '', '0', '', 'Yanıtlamadı', '0', '']);
    const groups = await planner.get(`/admin/opinions/${SLUG}/record-groups.csv`);
    expect(readCsvAsExcel(groups.text, 'tr').map((row) => row.slice(0, 5))).toContainEqual(['Toplam', '2', '0', '0', '0']);
    expect(groups.text).not.toContain('answer_rate');
    const { status, book } = await downloadWorkbook(planner, `/admin/opinions/${SLUG}/record.xlsx`);
    expect(status).toBe(200);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Kurum türüne göre', 'Kurum bazında']);
    const sheet = book.worksheets[1]!;
    expect(sheet.getRow(1).getCell(2).value).toBe('Kurum');
    // In the register's group order: Üniversite before STK; a text cell as typed (XLSX runs no text).
    expect([sheet.getRow(2).getCell(2).value, sheet.getRow(3).getCell(2).value]).toEqual(['Yeşilvadi Üniversitesi', `=HYPERLINK("http://kotu.example.org")`]);
    expect(sheet.getRow(2).getCell(7).value).toBe('Yanıtlamadı');
  });

  it('refuses a bad invitation form with messages, sending nothing', async () => {
    await importInstitutions();
    const nothing = async () => {
      expect(await t.db.selectFrom('invitations').selectAll().execute()).toEqual([]);
      expect(await t.db.selectFrom('outbox_messages').selectAll().execute()).toEqual([]);
    };
    const past = await invite(['Mimarlar Odası'], { deadline: '2026-11-20' });
    expect(past.status).toBe(422);
    expect(past.text).toContain('Son gün bugünden sonra olmalı.');
    const malformed = await invite(['Mimarlar Odası'], { deadline: '15.12.2026', reminder_days: 'üç' });
    expect(malformed.status).toBe(422);
    expect(malformed.text).toContain('Son günü bir tarih olarak girin.');
    expect(malformed.text).toContain('1 ile 60 arasında bir gün sayısı yazın ya da boş bırakın.');
    expect(await htmlProblems(malformed.text)).toEqual([]);
    const none = await invite([]);
    expect(none.status).toBe(422);
    expect(none.text).toContain('En az bir kurum seçin.');
    const page = await planner.get(`/admin/opinions/${SLUG}`);
    const hostile = await planner.post(`/admin/opinions/${SLUG}/invite`).type('form').send(encodeForm({ _csrf: csrfFrom(page.text), deadline: '2026-12-15', reminder_days: '', stakeholder: ['1', 'x'] }));
    expect(hostile.status).toBe(422);
    const remind = await planner.post(`/admin/opinions/${SLUG}/remind`).type('form').send(encodeForm({ _csrf: csrfFrom(page.text), invitation: ['<b>'] }));
    expect(remind.status).toBe(400);
    expect((await planner.get('/admin/opinions/vatandas-anketi')).status).toBe(404);
    expect((await planner.post(`/admin/opinions/${SLUG}/invitations/999/revoke`).type('form').send({ _csrf: csrfFrom(page.text) })).status).toBe(404);
    await nothing();
    expect(t.logged).toEqual([]);
  });

  it('escapes what institutions and planners typed on every page it appears', async () => {
    const name = '<img src=x onerror=alert(1)>';
    await postForm(planner, '/admin/stakeholders/new', '/admin/stakeholders', {
      name, group: 'stk', scope: 'external', type: '', emails: 'x@example.org', contact_person: '', reason: '', importance: '3', influence: '3', language: 'tr',
    });
    await invite([name]);
    const [mail] = await deliver();
    const link = path(linkIn(mail!, `${TEST_BASE_URL}/gorus/`));
    expect(mail!.html).not.toContain(name);
    for (const page of [await request(t.app).get(link), await request(t.app).get(`${link}/1`), await planner.get(`/admin/opinions/${SLUG}`), await planner.get(`/admin/opinions/${SLUG}/record`)]) {
      expect(page.status).toBe(200);
      expect(page.text).not.toContain(name);
      expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
  });
});
