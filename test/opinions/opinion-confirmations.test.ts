// Destructive one-tap actions on institutions' invitations ask first (issue 20, item 3): the button
// leads to a page saying what will happen; only the confirmed post (confirm=yes) changes anything.
// Also "invite every listed institution" (item 4): how many invitations and e-mails, to which kinds.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { addUser, csrfFrom, logIn, postForm } from '../helpers/admin';
import { stakeholderService, type StakeholderGroup } from '../../server/stakeholders';
import { invitedInstitution } from '../helpers/invitation';
import { createTestApp, type TestApp } from '../helpers/test-app';

const SLUG = 'kurum-gorus-formu';
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

const state = async () => ({
  invitations: await t.db.selectFrom('invitations').selectAll().orderBy('id').execute(),
  outbox: await t.db.selectFrom('outbox_messages').selectAll().orderBy('id').execute(),
  audit: await t.db.selectFrom('audit_events').selectAll().orderBy('id').execute(),
});

describe('revoking an invitation', () => {
  it('names the institution and says its link will stop working; an unconfirmed post changes nothing', async () => {
    const { id, link } = await invitedInstitution(t, { name: 'Mimarlar <Odası>' });
    const before = await state();
    const manage = await planner.get(`/admin/opinions/${SLUG}`);
    const asked = await planner.post(`/admin/opinions/${SLUG}/invitations/${id}/revoke`).type('form').send({ _csrf: csrfFrom(manage.text) });
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('Mimarlar &lt;Odası&gt; davetini iptal etmek istiyor musunuz?');
    expect(asked.text).toContain('Mimarlar &lt;Odası&gt; kurumuna (oda@example.org) gönderilen davet bağlantısı artık çalışmayacak');
    expect(asked.text).toContain('name="confirm" value="yes"');
    expect(asked.text).toContain(`action="/admin/opinions/${SLUG}/invitations/${id}/revoke"`);
    expect(asked.text).toContain(`<a href="/admin/opinions/${SLUG}">Vazgeç, davetlere dön</a>`);
    expect(await state()).toEqual(before);
    expect((await planner.post(`/admin/opinions/${SLUG}/invitations/${id}/revoke`).type('form').send({ _csrf: csrfFrom(manage.text), confirm: 'evet' })).status).toBe(200);
    expect(await state()).toEqual(before);
    // The link still works until the planner confirms.
    expect((await request(t.app).get(link)).text).not.toContain('Bu davet iptal edildi');

    const confirmed = await planner.post(`/admin/opinions/${SLUG}/invitations/${id}/revoke`).type('form').send({ _csrf: csrfFrom(asked.text), confirm: 'yes' });
    expect(confirmed.status).toBe(303);
    expect((await t.db.selectFrom('invitations').select('revoked_at').executeTakeFirstOrThrow()).revoked_at).toBe(t.clock.now.toISOString());
    expect((await request(t.app).get(link)).text).toContain('Bu davet iptal edildi');
  });

  it('asks in English too, and refuses an unknown invitation before asking', async () => {
    const { id } = await invitedInstitution(t);
    const asked = await postForm(planner, `/admin/opinions/${SLUG}`, `/admin/opinions/${SLUG}/invitations/${id}/revoke?lang=en`);
    expect(asked.text).toContain('Withdraw the invitation to Mimarlar Odası?');
    expect(asked.text).toContain('Yes, withdraw the invitation');
    expect((await postForm(planner, `/admin/opinions/${SLUG}`, `/admin/opinions/${SLUG}/invitations/999/revoke`)).status).toBe(404);
  });
});

async function institution(name: string, group: StakeholderGroup, emails: string[]): Promise<number> {
  return stakeholderService.create(
    t.db,
    { name, group, scope: 'external', type: null, emails, contactPerson: null, areas: [], reason: null, importance: 4, influence: 4, language: 'tr' },
    { userId: null, email: 'test', ip: null },
    t.clock.now,
  );
}

describe('inviting every listed institution', () => {
  it('says how many invitations and e-mails will go out, to which kinds; an unconfirmed post changes nothing', async () => {
    await invitedInstitution(t, { name: 'Mimarlar Odası' });
    await institution('Ziraat Odası', 'meslek_odasi', ['ziraat@example.org']);
    await institution('Esnaf Odası', 'meslek_odasi', ['esnaf@example.org']);
    await institution('Kent Konseyi', 'kent_konseyi', ['konsey@example.org']);
    await institution('Adressiz Dernek', 'kent_konseyi', []);
    const before = await state();

    const fields = { scope: 'filtered', deadline: '2026-12-15', reminder_days: '3', group: '', category: '' };
    const asked = await postForm(planner, `/admin/opinions/${SLUG}`, `/admin/opinions/${SLUG}/invite`, fields);
    expect(asked.status).toBe(200);
    expect(asked.text).toContain('3 kuruma davet gönderilsin mi?');
    expect(asked.text).toContain('3 davet ve 3 davet e-postası gidecek.');
    expect(asked.text).toContain('Kurum türleri: Meslek odası: 2, Kent konseyi: 1.');
    expect(asked.text).toContain('Listelenen 2 kurum atlanacak');
    expect(asked.text).toContain('Evet, 3 davet gönder');
    for (const [name, value] of Object.entries({ ...fields, confirm: 'yes' })) expect(asked.text).toContain(`name="${name}" value="${value}"`);
    expect(await state()).toEqual(before);

    // The page's own form sends them.
    const confirmed = await planner.post(`/admin/opinions/${SLUG}/invite`).type('form').send({ _csrf: csrfFrom(asked.text), ...fields, confirm: 'yes' });
    expect(confirmed.status).toBe(303);
    const invited = await t.db.selectFrom('invitations').select('email').orderBy('id').execute();
    expect(invited.map((i) => i.email).sort()).toEqual(['esnaf@example.org', 'konsey@example.org', 'oda@example.org', 'ziraat@example.org']);
    expect((await t.db.selectFrom('outbox_messages').select('kind').where('kind', '=', 'invitation').execute())).toHaveLength(4);
  });

  it('counts only the listed group, in English too; inviting chosen institutions needs no confirmation', async () => {
    await institution('Ziraat Odası', 'meslek_odasi', ['ziraat@example.org']);
    const konsey = await institution('Kent Konseyi', 'kent_konseyi', ['konsey@example.org']);
    const asked = await postForm(planner, `/admin/opinions/${SLUG}`, `/admin/opinions/${SLUG}/invite?lang=en`, { scope: 'filtered', deadline: '2026-12-15', reminder_days: '', group: 'kent_konseyi', category: '' });
    expect(asked.text).toContain('Invite 1 institution?');
    expect(asked.text).toContain('1 invitation and 1 invitation e-mail will go out.');
    expect(asked.text).not.toContain('skipped');
    expect(await t.db.selectFrom('invitations').selectAll().execute()).toEqual([]);

    const chosen = await postForm(planner, `/admin/opinions/${SLUG}`, `/admin/opinions/${SLUG}/invite`, { scope: 'selected', deadline: '2026-12-15', reminder_days: '', stakeholder: String(konsey) });
    expect(chosen.status).toBe(303);
    expect(await t.db.selectFrom('invitations').select('email').execute()).toEqual([{ email: 'konsey@example.org' }]);
  });
});
