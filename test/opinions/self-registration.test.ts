// Institutions asking to take part at /kurum-gorusu with an address the register already knows:
// they are that entry, in the state it is in (a revoked invitation stays revoked), never a second
// entry; and the deadline a self-registered institution gets is the one planners set for the round.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { invitationService } from '../../server/opinions';
import { stakeholderService } from '../../server/stakeholders';
import { addUser, csrfFrom, logIn, postForm } from '../helpers/admin';
import { htmlProblems } from '../helpers/html';
import { invitedInstitution, mailedLink } from '../helpers/invitation';
import { createTestApp, TEST_BASE_URL, type TestApp } from '../helpers/test-app';

const SLUG = 'kurum-gorus-formu';
const actor = { userId: null, email: 'test', ip: null };
let t: TestApp;
let planner: TestAgent;

beforeEach(async () => {
  t = await createTestApp();
  planner = await logIn(t, await addUser(t, 'planner'));
});

afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const survey = () => t.catalog.find(SLUG)!;
const mail = () => ({ mailer: t.mailer, baseUrl: TEST_BASE_URL });
const stakeholders = () => t.db.selectFrom('stakeholders').select(['id', 'name', 'source', 'importance', 'influence']).orderBy('id').execute();
const invitations = () => t.db.selectFrom('invitations').selectAll().orderBy('id').execute();
const outbox = () => t.db.selectFrom('outbox_messages').select(['id', 'to_address', 'kind', 'status']).orderBy('id').execute();

async function ask(email: string, name = 'Mimarlar Derneği', language = 'tr') {
  const form = request.agent(t.app);
  const page = await form.get('/kurum-gorusu');
  const answer = await form.post('/kurum-gorusu').type('form').send({ _csrf: csrfFrom(page.text), survey: SLUG, name, group: 'stk', email, language, authority: '1' });
  return { form, answer };
}

/** Asks, confirms the address from the mail, and returns where the confirmation leads. */
async function selfRegister(email: string, name?: string) {
  const { form, answer } = await ask(email, name);
  expect(answer.status).toBe(200);
  const confirm = await mailedLink(t, '/kurum-gorusu/onay/');
  const page = await form.get(confirm);
  return form.post(confirm).type('form').send({ _csrf: csrfFrom(page.text) });
}

async function registerEntry(name: string, email: string): Promise<number> {
  return stakeholderService.create(
    t.db,
    { name, group: 'stk', scope: 'external', type: null, emails: [email], contactPerson: null, areas: [], reason: null, importance: 4, influence: 5, language: 'tr' },
    actor,
    t.clock.now,
  );
}

const recordRows = async () => {
  const record = await planner.get(`/admin/opinions/${SLUG}/record`);
  return /<table id="record-institutions">[\s\S]*?<\/table>/.exec(record.text)![0].match(/<tr data-institution/g)?.length ?? 0;
};

describe('an address whose invitation was revoked (issue 15, item 2)', () => {
  it('is refused politely: nothing mailed, no second entry, and the planner is told', async () => {
    const { id } = await invitedInstitution(t);
    await invitationService.revoke(t.db, survey(), id, actor, t.clock.now);
    const mailBefore = await outbox();
    const sentBefore = t.sent.length;

    // The register's own address, typed with other capitals and spaces.
    const { answer } = await ask('  ODA@Example.org ');
    expect(answer.text).not.toContain('E-postanızı kontrol edin');
    expect(answer.text).toContain('Bu adresle başvuru alınamıyor');
    expect(answer.text).toContain('Bu e-posta adresine gönderilen davet belediye tarafından iptal edildi');
    expect(answer.text).toContain(t.catalog.municipality.contact.email);
    expect(answer.text).not.toContain('href="/kurum-gorusu"');
    expect(await htmlProblems(answer.text)).toEqual([]);

    await t.worker.runOnce();
    expect(t.sent.length).toBe(sentBefore);
    expect(await outbox()).toEqual(mailBefore);
    expect(await t.db.selectFrom('self_registrations').selectAll().execute()).toEqual([]);
    // T1, T2 (the register) and T14 (the record) still hold one entry for the institution.
    expect((await stakeholders()).map((s) => s.name)).toEqual(['Mimarlar Odası']);
    expect(await invitations()).toHaveLength(1);
    expect(await recordRows()).toBe(1);

    // The planner sees it where invitations are managed, and it is in the audit log.
    const manage = await planner.get(`/admin/opinions/${SLUG}`);
    expect(manage.text).toContain('Geri çevrilen başvurular');
    expect(manage.text).toMatch(/Mimarlar Odası[^<]*<\/strong>[^<]*daveti iptal edildiği için/);
    expect(await htmlProblems(manage.text)).toEqual([]);
    const notes = await t.db.selectFrom('audit_events').select(['action', 'target']).where('action', '=', 'invitation.self_registration_refused').execute();
    expect(notes).toEqual([{ action: 'invitation.self_registration_refused', target: 'Mimarlar Odası' }]);
  });

  it('is refused at the confirmation too, when the revocation came after the request', async () => {
    const { id } = await invitedInstitution(t);
    const { form } = await ask('oda@example.org', 'Mimarlar Odası', 'tr');
    const confirm = await mailedLink(t, '/kurum-gorusu/onay/');
    await invitationService.revoke(t.db, survey(), id, actor, t.clock.now);
    const sentBefore = t.sent.length;
    const page = await form.get(confirm);
    const confirmed = await form.post(confirm).type('form').send({ _csrf: csrfFrom(page.text) });
    expect(confirmed.headers.location).toBeUndefined();
    expect(confirmed.text).toContain('Bu e-posta adresine gönderilen davet belediye tarafından iptal edildi');
    expect(confirmed.text).not.toContain('href="/kurum-gorusu"');
    await t.worker.runOnce();
    expect(t.sent.length).toBe(sentBefore);
    expect(await stakeholders()).toHaveLength(1);
    expect((await invitations()).map((i) => i.revoked_at !== null)).toEqual([true]);
  });

  it('shows a revoked link without pointing to the self-registration page', async () => {
    const { id, link } = await invitedInstitution(t);
    await invitationService.revoke(t.db, survey(), id, actor, t.clock.now);
    const page = await request(t.app).get(link);
    expect(page.status).toBe(410);
    expect(page.text).toContain('Bu davet iptal edildi');
    expect(page.text).not.toContain('/kurum-gorusu');
  });
});

describe('an address the register knows', () => {
  it('of an entry never invited to the form: the institution answers as that entry', async () => {
    const entry = await registerEntry('Kent Vakfı', 'Vakif@Example.org');
    const confirmed = await selfRegister('vakif@example.org', 'Kent Vakfı Başkanlığı');
    expect(confirmed.status).toBe(303);
    expect((await stakeholders()).map((s) => [s.id, s.name, s.source])).toEqual([[entry, 'Kent Vakfı', 'register']]);
    const [invitation] = await invitations();
    expect(invitation).toMatchObject({ stakeholder_id: entry, self_registered: 1, email: 'vakif@example.org' });
    expect((await request(t.app).get(confirmed.headers.location!)).text).toContain('Kurum: Kent Vakfı (STK)');
  });

  it('of an entry with a live invitation: that invitation again, whatever the capitals', async () => {
    const entry = await registerEntry('Kent Vakfı', 'Vakif@Example.org');
    await invitationService.invite(t.db, mail(), { survey: survey(), stakeholderIds: [entry], deadline: '2026-12-15T20:59:59.000Z', reminderDays: null, actor, now: t.clock.now });
    const confirmed = await selfRegister('VAKIF@example.org');
    expect(confirmed.status).toBe(303);
    expect(await stakeholders()).toHaveLength(1);
    expect((await invitations()).map((i) => [i.stakeholder_id, i.self_registered])).toEqual([[entry, 0]]);
  });

  it('of an entry whose invitation ran out while the form is still open: refused, the planner told', async () => {
    await invitedInstitution(t, { deadline: '2026-11-30T20:59:59.000Z' });
    t.clock.now = new Date('2026-12-02T09:00:00Z');
    const { answer } = await ask('oda@example.org');
    expect(answer.text).toContain('Bu e-posta adresine gönderilen davetin son günü geçti');
    await t.worker.runOnce();
    expect(await t.db.selectFrom('self_registrations').selectAll().execute()).toEqual([]);
    expect(await stakeholders()).toHaveLength(1);
    planner = await logIn(t, await addUser(t, 'planner'));
    expect((await planner.get(`/admin/opinions/${SLUG}`)).text).toMatch(/Mimarlar Odası[^<]*<\/strong>[^<]*davetin son günü geçtiği için/);
  });
});

describe('an institution whose own self-registration ran out while the form is still open', () => {
  it('is let in again with a new link (no planner set that deadline), in the same register entry', async () => {
    await invitedInstitution(t, { deadline: '2026-11-30T20:59:59.000Z' });
    expect((await selfRegister('dernek@example.org')).status).toBe(303);
    t.clock.now = new Date('2026-12-02T09:00:00Z');
    const again = await selfRegister('dernek@example.org');
    expect(again.status).toBe(303);
    const own = (await invitations()).filter((i) => i.self_registered === 1);
    expect(own).toHaveLength(2);
    expect(new Set(own.map((i) => i.stakeholder_id)).size).toBe(1);
    expect(own[1]!.deadline_at).toBe(new Date('2027-12-31T23:59:00+03:00').toISOString());
    expect(await stakeholders()).toHaveLength(2);
    expect(await t.db.selectFrom('audit_events').select('action').where('action', '=', 'invitation.self_registration_refused').execute()).toEqual([]);
  });
});

describe('the deadline of a self-registered institution (issue 15, item 5)', () => {
  it("is the invitation round's deadline, not the form's closing", async () => {
    // Planners invited with 15.12.2026 as the last day; the form closes on 31.12.2027.
    await invitedInstitution(t);
    const confirmed = await selfRegister('dernek@example.org');
    expect(confirmed.status).toBe(303);
    const own = (await invitations()).find((i) => i.self_registered === 1)!;
    expect(own.deadline_at).toBe('2026-12-15T20:59:59.000Z');
    await t.worker.runOnce();
    expect(t.sent.at(-1)!.text).toContain('15.12.2026');
    expect((await request(t.app).get(confirmed.headers.location!)).text).toContain('Son gün: 15.12.2026 23:59');
  });

  it("is the latest round's when planners invited more than once", async () => {
    await invitedInstitution(t, { name: 'Birinci Tur', deadline: '2026-12-15T20:59:59.000Z' });
    t.clock.now = new Date(t.clock.now.getTime() + 3_600_000);
    await registerEntry('İkinci Tur', 'ikinci@example.org');
    const second = (await stakeholders()).at(-1)!.id;
    await invitationService.invite(t.db, mail(), { survey: survey(), stakeholderIds: [second], deadline: '2026-12-10T20:59:59.000Z', reminderDays: null, actor, now: t.clock.now });
    await selfRegister('dernek@example.org');
    expect((await invitations()).find((i) => i.self_registered === 1)!.deadline_at).toBe('2026-12-10T20:59:59.000Z');
  });

  it('is the closing date when nobody was invited', async () => {
    await selfRegister('dernek@example.org');
    expect((await invitations())[0]!.deadline_at).toBe(new Date('2027-12-31T23:59:00+03:00').toISOString());
  });
});
