// Destructive one-tap actions on institutions' invitations ask first (issue 20, item 3): the button
// leads to a page saying what will happen; only the confirmed post (confirm=yes) changes anything.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { addUser, csrfFrom, logIn, postForm } from '../helpers/admin';
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
