// Consultation activities recorded by hand (report table T4) over HTTP: the form and what it
// refuses, editing and deleting with their audit events, who may read and write, and the set of
// institutions that took part.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { activityRepository } from '../../../server/analysis';
import { stakeholderRepository, stakeholderService, type StakeholderInput } from '../../../server/stakeholders';
import { addUser, csrfFrom, logIn, postForm } from '../../helpers/admin';
import { htmlProblems } from '../../helpers/html';
import { createTestApp, type TestApp } from '../../helpers/test-app';

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

type Fields = Record<string, string | string[]>;

const activityForm = (overrides: Fields = {}): Fields => ({
  method: 'focus_group',
  title: 'Gençlerle odak grup',
  target_group: '18–25 yaş gençler',
  starts_on: '2026-11-03',
  ends_on: '2026-11-04',
  participants: '12',
  mahalles: ['gazi', 'fatih'],
  stakeholders: [],
  notes: 'Gençlik merkezinde yapıldı.',
  ...overrides,
});

const encode = (fields: Fields) => {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const item of [value].flat()) params.append(name, item);
  return params.toString();
};

async function post(agent: TestAgent, fields: Fields, action = '/admin/report/activities', page = '/admin/report/activities/new') {
  const form = await agent.get(page);
  return agent.post(action).type('form').send(encode({ _csrf: csrfFrom(form.text), ...fields }));
}

async function addStakeholder(name: string, group: StakeholderInput['group'] = 'stk', archived = false): Promise<number> {
  const id = await stakeholderRepository.insert(
    t.db,
    { name, group, scope: 'external', type: null, contactPerson: null, reason: null, importance: 3, influence: 3, language: 'tr', emails: [], areas: [] },
    'register',
    t.clock.now,
  );
  if (archived) await stakeholderRepository.setArchived(t.db, id, true, t.clock.now);
  return id;
}

const activities = () => t.db.selectFrom('consultation_activities').selectAll().orderBy('id').execute();
const mahalleLinks = () => t.db.selectFrom('consultation_activity_mahalles').selectAll().orderBy('activity_id').orderBy('mahalle_id').execute();
const stakeholderLinks = () => t.db.selectFrom('consultation_activity_stakeholders').selectAll().orderBy('activity_id').orderBy('stakeholder_id').execute();
const auditActions = async () => (await t.db.selectFrom('audit_events').select(['action', 'target']).where('action', 'in', ['activity.created', 'activity.changed', 'activity.deleted']).orderBy('id').execute()).map((e) => `${e.action} ${e.target}`);
const everything = async () => ({ activities: await activities(), mahalles: await mahalleLinks(), stakeholders: await stakeholderLinks(), audit: await auditActions() });

describe('recording an activity', () => {
  it('stores it with its mahalles and institutions, audits it and lists it in the table', async () => {
    const oda = await addStakeholder('Ticaret Odası', 'meslek_odasi');
    const dernek = await addStakeholder('Engelliler Derneği', 'stk');
    const response = await post(planner, activityForm({ stakeholders: [String(oda), String(dernek)] }));
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/admin/report/activities');
    const [row] = await activities();
    expect(row).toMatchObject({
      method: 'focus_group',
      title: 'Gençlerle odak grup',
      target_group: '18–25 yaş gençler',
      starts_on: '2026-11-03',
      ends_on: '2026-11-04',
      participants: 12,
      notes: 'Gençlik merkezinde yapıldı.',
      created_at: t.clock.now.toISOString(),
    });
    expect(await mahalleLinks()).toEqual([
      { activity_id: row!.id, mahalle_id: 'fatih' },
      { activity_id: row!.id, mahalle_id: 'gazi' },
    ]);
    expect(await stakeholderLinks()).toEqual([
      { activity_id: row!.id, stakeholder_id: oda },
      { activity_id: row!.id, stakeholder_id: dernek },
    ]);
    expect(await auditActions()).toEqual([`activity.created activity:${row!.id}`]);
    expect(await activityRepository.find(t.db, row!.id)).toEqual({
      id: row!.id,
      method: 'focus_group',
      title: 'Gençlerle odak grup',
      targetGroup: '18–25 yaş gençler',
      startsOn: '2026-11-03',
      endsOn: '2026-11-04',
      participants: 12,
      notes: 'Gençlik merkezinde yapıldı.',
      mahalleIds: ['fatih', 'gazi'],
      stakeholderIds: [oda, dernek],
    });

    const list = await planner.get('/admin/report/activities');
    expect(list.status).toBe(200);
    expect(list.text).toContain('“Gençlerle odak grup” kaydedildi.');
    expect(list.text).toContain('<td>Odak grup görüşmesi</td>');
    expect(list.text).toContain('03.11.2026–04.11.2026');
    expect(list.text).toContain('Ticaret Odası, Engelliler Derneği');
    expect(list.text).toContain('<td>Fatih, Gazi</td>');
    expect(await htmlProblems(list.text)).toEqual([]);
  });

  it('takes a one-day activity without an end date, mahalles or institutions', async () => {
    const response = await post(planner, activityForm({ method: 'workshop', ends_on: '', mahalles: [], participants: '0', notes: '' }));
    expect(response.status).toBe(303);
    expect((await activities())[0]).toMatchObject({ method: 'workshop', ends_on: null, participants: 0, notes: null });
    expect(await mahalleLinks()).toEqual([]);
    expect(await stakeholderLinks()).toEqual([]);
    const list = await planner.get('/admin/report/activities');
    expect(list.text).toContain('<td>03.11.2026</td>');
  });

  it('lists activities by start date, with the total of participants', async () => {
    await post(planner, activityForm({ title: 'Sonraki çalıştay', method: 'workshop', starts_on: '2026-12-01', ends_on: '', participants: '40' }));
    await post(planner, activityForm({ title: 'İlk görüşme', method: 'interview', starts_on: '2026-10-01', ends_on: '', participants: '1' }));
    expect((await activityRepository.list(t.db)).map((a) => a.title)).toEqual(['İlk görüşme', 'Sonraki çalıştay']);
    const list = await planner.get('/admin/report/activities');
    expect(list.text.indexOf('İlk görüşme')).toBeLessThan(list.text.indexOf('Sonraki çalıştay'));
    expect(list.text).toContain('Yüz yüze görüşme (mülakat)');
    expect(list.text).toMatch(/Toplam: 2 faaliyet<\/th><td class="num">41<\/td>/);
  });

  it('shows the form as valid HTML and escapes a title that looks like a script', async () => {
    const oda = await addStakeholder('Ticaret Odası', 'meslek_odasi');
    const form = await planner.get('/admin/report/activities/new');
    expect(form.status).toBe(200);
    expect(form.text).toContain('Ticaret Odası (Meslek odası)');
    expect(await htmlProblems(form.text)).toEqual([]);
    await post(planner, activityForm({ title: '<script>alert(1)</script>', stakeholders: String(oda) }));
    const [row] = await activities();
    expect(row!.title).toBe('<script>alert(1)</script>');
    for (const url of ['/admin/report/activities', `/admin/report/activities/${row!.id}`]) {
      const page = await planner.get(url);
      expect(page.text).not.toContain('<script>alert(1)</script>');
      expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
      expect(await htmlProblems(page.text)).toEqual([]);
    }
  });
});

describe('when the form is wrong', () => {
  const cases: [string, Fields, string][] = [
    ['no method', { method: '' }, 'Listeden bir yöntem seçin.'],
    ['an unknown method', { method: 'survey' }, 'Listeden bir yöntem seçin.'],
    ['an empty title', { title: '  ' }, 'Bu alanı doldurun.'],
    ['a title over 200 characters', { title: 'a'.repeat(201) }, 'Bu alan çok uzun.'],
    ['an empty target group', { target_group: '' }, 'Bu alanı doldurun.'],
    ['a target group over 200 characters', { target_group: 'ğ'.repeat(201) }, 'Bu alan çok uzun.'],
    ['no start date', { starts_on: '' }, 'Bu alanı doldurun.'],
    ['a start date that is not a day', { starts_on: '2026-02-30' }, 'Geçerli bir tarih girin.'],
    ['a start date in another format', { starts_on: '03.11.2026' }, 'Geçerli bir tarih girin.'],
    ['a start date in a month that does not exist', { starts_on: '2026-13-01' }, 'Geçerli bir tarih girin.'],
    ['an end date on day 00', { ends_on: '2026-11-00' }, 'Geçerli bir tarih girin.'],
    ['an end date that is not a date', { ends_on: 'yarın' }, 'Geçerli bir tarih girin.'],
    ['an end date before the start', { ends_on: '2026-11-02' }, 'Bitiş tarihi başlangıç tarihinden önce olamaz.'],
    ['no participant count', { participants: '' }, '0 ile 1.000.000 arasında bir tam sayı yazın.'],
    ['a negative participant count', { participants: '-1' }, '0 ile 1.000.000 arasında bir tam sayı yazın.'],
    ['a fractional participant count', { participants: '2.5' }, '0 ile 1.000.000 arasında bir tam sayı yazın.'],
    ['too many participants', { participants: '1000001' }, '0 ile 1.000.000 arasında bir tam sayı yazın.'],
    ['an unknown mahalle', { mahalles: ['gazi', 'uzay'] }, 'Listedeki mahallelerden seçin.'],
    ['an unknown stakeholder', { stakeholders: '999' }, 'Paydaş kaydındaki güncel kurumlardan seçin.'],
    ['a stakeholder id that is not a number', { stakeholders: 'abc' }, 'Paydaş kaydındaki güncel kurumlardan seçin.'],
    ['notes over 2000 characters', { notes: 'n'.repeat(2001) }, 'Bu alan çok uzun.'],
  ];

  it.each(cases)('refuses %s with 422 and writes nothing', async (_name, overrides, message) => {
    const response = await post(planner, activityForm(overrides));
    expect(response.status).toBe(422);
    expect(response.text).toContain('Formda düzeltilmesi gereken alanlar var');
    expect(response.text).toContain(message);
    expect(response.text).toMatch(new RegExp(`<li><a href="#a-[a-z-]+">${message.replace(/[.()]/g, '\\$&')}</a></li>`));
    expect(await htmlProblems(response.text)).toEqual([]);
    expect(await everything()).toEqual({ activities: [], mahalles: [], stakeholders: [], audit: [] });
  });

  it('refuses an archived institution', async () => {
    const archived = await addStakeholder('Kapanmış Dernek', 'stk', true);
    const form = await planner.get('/admin/report/activities/new');
    expect(form.text).not.toContain('Kapanmış Dernek');
    const response = await post(planner, activityForm({ stakeholders: String(archived) }));
    expect(response.status).toBe(422);
    expect(response.text).toContain('Paydaş kaydındaki güncel kurumlardan seçin.');
    expect(await everything()).toEqual({ activities: [], mahalles: [], stakeholders: [], audit: [] });
  });

  it('lists every wrong field at once and keeps what was typed', async () => {
    const response = await post(planner, activityForm({ method: 'x', title: '', target_group: '', starts_on: '2026-11-10', ends_on: '2026-11-09', participants: 'çok', mahalles: 'uzay', notes: 'not kalsın' }));
    expect(response.status).toBe(422);
    const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(response.text)![0];
    expect([...summary.matchAll(/<a href="#([a-z-]+)">/g)].map((m) => m[1])).toEqual(['a-method', 'a-title', 'a-target', 'a-participants', 'a-mahalles', 'a-ends']);
    expect(response.text).toContain('value="2026-11-10"');
    expect(response.text).toContain('>not kalsın</textarea>');
    expect(await activities()).toEqual([]);
  });
});

describe('editing and deleting', () => {
  async function recorded(fields: Fields = activityForm()) {
    await post(planner, fields);
    return (await activities())[0]!;
  }

  it('changes the activity and replaces its mahalles and institutions', async () => {
    const oda = await addStakeholder('Ticaret Odası', 'meslek_odasi');
    const dernek = await addStakeholder('Engelliler Derneği', 'stk');
    const row = await recorded(activityForm({ stakeholders: String(oda) }));
    const form = await planner.get(`/admin/report/activities/${row.id}`);
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/value="focus_group" selected/);
    expect(form.text).toMatch(new RegExp(`value="${oda}" checked`));
    expect(await htmlProblems(form.text)).toEqual([]);
    t.clock.now = new Date(t.clock.now.getTime() + 60_000);
    const response = await post(
      planner,
      activityForm({ method: 'face_to_face_survey', title: 'Pazar yerinde anket', ends_on: '', participants: '150', mahalles: 'cumhuriyet', stakeholders: String(dernek), notes: '' }),
      `/admin/report/activities/${row.id}`,
      `/admin/report/activities/${row.id}`,
    );
    expect(response.status).toBe(303);
    expect((await activities())[0]).toMatchObject({ id: row.id, method: 'face_to_face_survey', title: 'Pazar yerinde anket', ends_on: null, participants: 150, notes: null, updated_at: t.clock.now.toISOString(), created_at: row.created_at });
    expect(await mahalleLinks()).toEqual([{ activity_id: row.id, mahalle_id: 'cumhuriyet' }]);
    expect(await stakeholderLinks()).toEqual([{ activity_id: row.id, stakeholder_id: dernek }]);
    expect(await auditActions()).toEqual([`activity.created activity:${row.id}`, `activity.changed activity:${row.id}`]);
  });

  it('refuses a wrong edit with 422 and leaves the activity as it was', async () => {
    const row = await recorded();
    const before = await everything();
    const response = await post(planner, activityForm({ title: '', mahalles: 'uzay' }), `/admin/report/activities/${row.id}`, `/admin/report/activities/${row.id}`);
    expect(response.status).toBe(422);
    expect(response.text).toContain('Listedeki mahallelerden seçin.');
    expect(await htmlProblems(response.text)).toEqual([]);
    expect(await everything()).toEqual(before);
  });

  it('keeps an institution archived after the activity, but refuses adding another archived one', async () => {
    const oda = await addStakeholder('Ticaret Odası', 'meslek_odasi');
    const other = await addStakeholder('Eski Vakıf', 'stk', true);
    const row = await recorded(activityForm({ stakeholders: String(oda) }));
    await stakeholderRepository.setArchived(t.db, oda, true, t.clock.now);
    const form = await planner.get(`/admin/report/activities/${row.id}`);
    expect(form.text).toContain('Ticaret Odası (Meslek odası, arşivde)');
    expect(form.text).not.toContain('Eski Vakıf');
    const kept = await post(planner, activityForm({ title: 'Yeni ad', stakeholders: String(oda) }), `/admin/report/activities/${row.id}`, `/admin/report/activities/${row.id}`);
    expect(kept.status).toBe(303);
    expect(await stakeholderLinks()).toEqual([{ activity_id: row.id, stakeholder_id: oda }]);
    expect((await planner.get('/admin/report/activities')).text).toContain('Ticaret Odası');
    const refused = await post(planner, activityForm({ stakeholders: [String(oda), String(other)] }), `/admin/report/activities/${row.id}`, `/admin/report/activities/${row.id}`);
    expect(refused.status).toBe(422);
    expect(await stakeholderLinks()).toEqual([{ activity_id: row.id, stakeholder_id: oda }]);
  });

  it('deletes the activity with its links, and audits it', async () => {
    const oda = await addStakeholder('Ticaret Odası', 'meslek_odasi');
    const row = await recorded(activityForm({ stakeholders: String(oda) }));
    const response = await postForm(planner, `/admin/report/activities/${row.id}`, `/admin/report/activities/${row.id}/delete`);
    expect(response.status).toBe(303);
    expect(await activities()).toEqual([]);
    expect(await mahalleLinks()).toEqual([]);
    expect(await stakeholderLinks()).toEqual([]);
    expect(await auditActions()).toEqual([`activity.created activity:${row.id}`, `activity.deleted activity:${row.id}`]);
    expect((await planner.get('/admin/report/activities')).text).toContain('“Gençlerle odak grup” silindi.');
    expect(await stakeholderRepository.find(t.db, oda)).toBeDefined();
  });

  it('answers 404 for an activity that does not exist', async () => {
    const row = await recorded();
    expect((await planner.get('/admin/report/activities/999')).status).toBe(404);
    expect((await planner.get('/admin/report/activities/abc')).status).toBe(404);
    const token = csrfFrom((await planner.get('/admin/report/activities/new')).text);
    expect((await planner.post('/admin/report/activities/999').type('form').send(encode({ _csrf: token, ...activityForm() }))).status).toBe(404);
    expect((await planner.post('/admin/report/activities/999/delete').type('form').send({ _csrf: token })).status).toBe(404);
    expect((await activities()).map((a) => a.id)).toEqual([row.id]);
  });
});

describe('access', () => {
  it('lets a viewer read the list but not write', async () => {
    await post(planner, activityForm());
    const row = (await activities())[0]!;
    const before = await everything();
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    const list = await viewer.get('/admin/report/activities');
    expect(list.status).toBe(200);
    expect(list.text).toContain('Gençlerle odak grup');
    expect(list.text).not.toContain('/admin/report/activities/new');
    expect(list.text).not.toContain(`href="/admin/report/activities/${row.id}"`);
    expect(await htmlProblems(list.text)).toEqual([]);
    expect((await viewer.get('/admin/report/activities/new')).status).toBe(403);
    expect((await viewer.get(`/admin/report/activities/${row.id}`)).status).toBe(403);
    const token = csrfFrom(list.text);
    expect((await viewer.post('/admin/report/activities').type('form').send(encode({ _csrf: token, ...activityForm() }))).status).toBe(403);
    expect((await viewer.post(`/admin/report/activities/${row.id}`).type('form').send(encode({ _csrf: token, ...activityForm({ title: 'Değişti' }) }))).status).toBe(403);
    expect((await viewer.post(`/admin/report/activities/${row.id}/delete`).type('form').send({ _csrf: token })).status).toBe(403);
    expect(await everything()).toEqual(before);
  });

  it('refuses a post without its CSRF token', async () => {
    await planner.get('/admin/report/activities/new');
    const response = await planner.post('/admin/report/activities').type('form').send(encode(activityForm()));
    expect(response.status).toBe(403);
    expect(await activities()).toEqual([]);
  });

  it('sends someone not logged in to the login page', async () => {
    const response = await request(t.app).get('/admin/report/activities');
    expect(response.status).toBe(303);
    expect(response.headers.location).toMatch(/^\/admin\/login/);
  });
});

describe('activityRepository.stakeholderIdsInActivities', () => {
  it('returns each institution that took part in any activity once', async () => {
    expect(await activityRepository.stakeholderIdsInActivities(t.db)).toEqual(new Set());
    const oda = await addStakeholder('Ticaret Odası', 'meslek_odasi');
    const dernek = await addStakeholder('Engelliler Derneği', 'stk');
    await addStakeholder('Katılmayan Vakıf', 'stk');
    await post(planner, activityForm({ stakeholders: [String(oda), String(dernek)] }));
    await post(planner, activityForm({ title: 'İkinci', stakeholders: String(oda) }));
    await post(planner, activityForm({ title: 'Kurumsuz', stakeholders: [] }));
    expect(await activityRepository.stakeholderIdsInActivities(t.db)).toEqual(new Set([oda, dernek]));
  });
});

describe('merging a register entry that took part in an activity', () => {
  it('moves its participation to the entry kept, once, and deletes nothing else', async () => {
    const kept = await addStakeholder('Ticaret Odası', 'meslek_odasi');
    const duplicate = await addStakeholder('Ticaret Odasi', 'meslek_odasi');
    await post(planner, activityForm({ stakeholders: [String(kept), String(duplicate)] }));
    await post(planner, activityForm({ title: 'İkinci', stakeholders: String(duplicate) }));

    const outcome = await stakeholderService.merge(t.db, duplicate, kept, { userId: null, email: 'test', ip: null }, t.clock.now);

    expect(outcome).toEqual({ kind: 'merged' });
    const activities = await activityRepository.list(t.db);
    expect(activities.map((a) => a.stakeholderIds)).toEqual([[kept], [kept]]);
    expect(await activityRepository.stakeholderIdsInActivities(t.db)).toEqual(new Set([kept]));
  });
});
