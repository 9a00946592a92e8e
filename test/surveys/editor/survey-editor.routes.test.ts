import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { addUser, csrfFrom, downloadBinary, logIn, postForm, type TestUser } from '../../helpers/admin';
import { encodeForm, type Fields } from '../../helpers/forms';
import { htmlProblems } from '../../helpers/html';
import { completeSurvey, validSectionFields } from '../../helpers/survey-walker';
import { createTestApp, FIXTURE_SURVEYS, type TestApp } from '../../helpers/test-app';
import { SurveyFile } from '../../../server/surveys/survey-definition';

let t: TestApp;
let planner: TestUser;
let agent: TestAgent;
beforeEach(async () => {
  t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });
  planner = await addUser(t, 'planner', 'Ayşe Planlamacı');
  agent = await logIn(t, planner);
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const audits = async () => (await t.db.selectFrom('audit_events').select(['action', 'target', 'details']).orderBy('id').execute()).map((e) => ({ ...e, details: e.details ? JSON.parse(e.details) : null }));
const storedDraft = async (slug: string) => {
  const row = await t.db.selectFrom('survey_drafts').select('definition').where('slug', '=', slug).executeTakeFirst();
  return row && SurveyFile.parse(JSON.parse(row.definition));
};
const layout = (file: SurveyFile) => file.sections.map((s) => `${s.id}:${s.questions.map((q) => q.id).join(',')}`);

async function post(pageUrl: string, action: string, fields: Fields = {}) {
  const page = await agent.get(pageUrl);
  return agent.post(action).type('form').send(encodeForm({ _csrf: csrfFrom(page.text), ...fields }));
}

async function createSurvey(fields: Fields) {
  return post('/admin/surveys/new', '/admin/surveys/new', { 'title.tr': 'Gençlik anketi', ...fields });
}

async function settingsFields(slug: string, changes: Fields = {}): Promise<Fields> {
  const page = await agent.get(`/admin/surveys/${slug}/edit/settings`);
  const value = (name: string) => new RegExp(`name="${name.replace('.', '\\.')}" value="([^"]*)"`).exec(page.text)?.[1] ?? '';
  const area = (name: string) => new RegExp(`name="${name.replace('.', '\\.')}" rows="3"[^>]*>([^<]*)</textarea>`).exec(page.text)?.[1] ?? '';
  return {
    'title.tr': value('title.tr'),
    'title.en': value('title.en'),
    'intro.tr': area('intro.tr'),
    'intro.en': area('intro.en'),
    audience: 'citizen',
    opens_at: value('opens_at'),
    closes_at: value('closes_at'),
    // Ticked checkboxes post as they are shown; an unticked one posts nothing.
    ...Object.fromEntries(['anonymous', 'oneResponsePerBrowser'].filter((box) => page.text.includes(`name="${box}" value="on" checked`)).map((box) => [box, 'on'])),
    ...changes,
  };
}

describe('creating a survey in the editor', () => {
  it('starts from scratch with a valid one-question skeleton, reachable from the survey list', async () => {
    const list = await agent.get('/admin/surveys');
    expect(list.text).toContain('href="/admin/surveys/new"');
    const page = await agent.get('/admin/surveys/new');
    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    const created = await createSurvey({ slug: 'genclik-anketi', 'title.en': 'Youth survey', source: 'scratch' });
    expect(created.status).toBe(303);
    expect(created.headers.location).toBe('/admin/surveys/genclik-anketi/edit');
    const draft = (await storedDraft('genclik-anketi'))!;
    expect(draft.title).toEqual({ tr: 'Gençlik anketi', en: 'Youth survey' });
    expect(layout(draft)).toEqual(['bolum_1:soru_1']);
    // A draft is not a survey: the public site does not know it.
    expect(t.catalog.find('genclik-anketi')).toBeUndefined();
    expect((await request(t.app).get('/anket/genclik-anketi')).status).toBe(404);
    const overview = await agent.get('/admin/surveys/genclik-anketi/edit');
    expect(overview.status).toBe(200);
    expect(await htmlProblems(overview.text)).toEqual([]);
    expect(overview.text).toContain('Gençlik anketi');
    expect(overview.text).toContain('src="/admin/surveys/genclik-anketi/edit/preview/1"');
    expect(overview.text).toContain('henüz yayımlanmadı');
    expect((await audits()).at(-1)).toMatchObject({ action: 'survey.draft_created', target: 'genclik-anketi', details: { source: 'scratch' } });
  });

  it('starts from a bundled template or a copy of a survey, with the new slug and title', async () => {
    expect((await createSurvey({ slug: 'vatandas-2027', source: 'template', template: 'vatandas-anketi' })).status).toBe(303);
    const fromTemplate = (await storedDraft('vatandas-2027'))!;
    expect(fromTemplate.slug).toBe('vatandas-2027');
    expect(fromTemplate.title.tr).toBe('Gençlik anketi');
    expect(fromTemplate.sections.length).toBeGreaterThan(2);

    expect((await createSurvey({ slug: 'kopya', source: 'copy', copy: 'tum-soru-tipleri' })).status).toBe(303);
    const copy = (await storedDraft('kopya'))!;
    expect(copy.sections.map((s) => s.questions.map((q) => q.id))).toEqual(t.catalog.find('tum-soru-tipleri')!.sections.map((s) => s.questions.map((q) => q.id)));
    expect((await audits()).filter((a) => a.action.startsWith('survey.')).map((a) => [a.action, a.details?.from])).toEqual([
      ['survey.draft_created', 'vatandas-anketi'],
      ['survey.draft_created', 'tum-soru-tipleri'],
    ]);
  });

  it('refuses a taken, reserved or malformed slug with the reason at the field, in Turkish', async () => {
    for (const [slug, message] of [
      ['tum-soru-tipleri', 'Bu adla bir anket ya da taslak zaten var'],
      ['new', 'yönetim panelinin adreslerinde kullanılıyor'],
      ['Büyük Harf', 'küçük harf ve rakamlardan'],
    ] as const) {
      const refused = await createSurvey({ slug, source: 'scratch' });
      expect(refused.status).toBe(422);
      expect(refused.text).toMatch(new RegExp(`<p class="error" id="f-slug-error">[^<]*${message}`));
    }
    expect(await t.db.selectFrom('survey_drafts').selectAll().execute()).toEqual([]);
  });
});

describe('editing a draft', () => {
  beforeEach(async () => {
    await createSurvey({ slug: 'genclik-anketi', source: 'scratch' });
  });

  it('saves the settings, and shows a wrong date at its field in Turkish without saving', async () => {
    const refused = await post('/admin/surveys/genclik-anketi/edit/settings', '/admin/surveys/genclik-anketi/edit/settings', await settingsFields('genclik-anketi', { closes_at: '2026-05-01T10:00', 'title.tr': 'Değişmemeli' }));
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('<p class="error" id="f-closes_at-error">Kapanış, açılıştan sonra olmalı.</p>');
    expect(refused.text).toContain('aria-describedby="f-closes_at-error"');
    expect(await htmlProblems(refused.text)).toEqual([]);
    const empty = await post('/admin/surveys/genclik-anketi/edit/settings', '/admin/surveys/genclik-anketi/edit/settings', await settingsFields('genclik-anketi', { 'title.tr': '' }));
    expect(empty.text).toContain('<p class="error" id="f-title-tr-error">Bu alanı doldurun.</p>');
    expect((await storedDraft('genclik-anketi'))!.title.tr).toBe('Gençlik anketi');

    const saved = await post('/admin/surveys/genclik-anketi/edit/settings', '/admin/surveys/genclik-anketi/edit/settings', await settingsFields('genclik-anketi', {
      'title.tr': 'Gençlik <anketi>',
      'thanks.tr': 'Katkınız için çok teşekkürler!',
      audience: 'institution',
      opens_at: '2026-06-02T09:00',
      closes_at: '2026-07-01T18:00',
    }));
    expect(saved.status).toBe(303);
    const draft = (await storedDraft('genclik-anketi'))!;
    expect(draft).toMatchObject({ title: { tr: 'Gençlik <anketi>' }, thanks: { tr: 'Katkınız için çok teşekkürler!' }, audience: 'institution', opensAt: '2026-06-02T06:00:00.000Z', closesAt: '2026-07-01T15:00:00.000Z' });
    const overview = await agent.get('/admin/surveys/genclik-anketi/edit');
    expect(overview.text).toContain('Gençlik &lt;anketi&gt;');
    expect((await audits()).at(-1)).toMatchObject({ action: 'survey.draft_changed', details: { step: 'settings' } });
  });

  it('adds a section and questions, moves them, and previews a section at phone size', async () => {
    expect((await post('/admin/surveys/genclik-anketi/edit/sections/new', '/admin/surveys/genclik-anketi/edit/sections/new', { id: 'profil', 'title.tr': 'Sizi tanıyalım' })).status).toBe(303);
    expect(layout((await storedDraft('genclik-anketi'))!)).toEqual(['bolum_1:soru_1', 'profil:soru_2']);

    const kindPage = await agent.get('/admin/surveys/genclik-anketi/edit/sections/profil/questions/new');
    expect(kindPage.text).toContain('value="single_choice"');
    const form = await agent.get('/admin/surveys/genclik-anketi/edit/sections/profil/questions/new?kind=single_choice');
    expect(form.status).toBe(200);
    expect(await htmlProblems(form.text)).toEqual([]);
    const added = await agent
      .post('/admin/surveys/genclik-anketi/edit/sections/profil/questions/new?kind=single_choice')
      .type('form')
      .send(encodeForm({ _csrf: csrfFrom(form.text), id: 'cinsiyet', 'text.tr': 'Cinsiyetiniz', 'options.0.id': 'kadin', 'options.0.tr': 'Kadın', 'options.1.id': 'erkek', 'options.1.tr': 'Erkek', 'options.2.id': '', 'options.2.tr': '' }));
    expect(added.status).toBe(303);
    expect(layout((await storedDraft('genclik-anketi'))!)).toEqual(['bolum_1:soru_1', 'profil:soru_2,cinsiyet']);

    // The up button past the top of a section goes to the end of the one before.
    await post('/admin/surveys/genclik-anketi/edit', '/admin/surveys/genclik-anketi/edit/questions/cinsiyet/move', { direction: 'up' });
    await post('/admin/surveys/genclik-anketi/edit', '/admin/surveys/genclik-anketi/edit/questions/cinsiyet/move', { direction: 'up' });
    expect(layout((await storedDraft('genclik-anketi'))!)).toEqual(['bolum_1:soru_1,cinsiyet', 'profil:soru_2']);
    // Drag-and-drop posts a section and position, and gets JSON back.
    const page = await agent.get('/admin/surveys/genclik-anketi/edit');
    const dropped = await agent.post('/admin/surveys/genclik-anketi/edit/questions/cinsiyet/move').set('Accept', 'application/json').type('form').send({ _csrf: csrfFrom(page.text), section: 'bolum_1', position: '0' });
    expect(dropped.body).toEqual({ ok: true });
    expect(layout((await storedDraft('genclik-anketi'))!)).toEqual(['bolum_1:cinsiyet,soru_1', 'profil:soru_2']);
    await post('/admin/surveys/genclik-anketi/edit', '/admin/surveys/genclik-anketi/edit/sections/profil/move', { direction: 'up' });
    expect(layout((await storedDraft('genclik-anketi'))!)).toEqual(['profil:soru_2', 'bolum_1:cinsiyet,soru_1']);

    const preview = await agent.get('/admin/surveys/genclik-anketi/edit/preview/2');
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Cinsiyetiniz');
    expect(preview.text).toContain('Kadın');
    expect(preview.text).toContain('Taslak önizlemesi');
    // Framed by the back office only; every other page refuses to be framed.
    expect(preview.headers['content-security-policy']).toContain("frame-ancestors 'self'");
    expect(preview.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect((await agent.get('/admin/surveys/genclik-anketi/edit')).headers['x-frame-options']).toBe('DENY');
    expect((await agent.get('/admin/surveys/genclik-anketi/edit/preview/3')).status).toBe(404);

    const steps = (await audits()).filter((a) => a.action === 'survey.draft_changed').map((a) => a.details.step);
    expect(steps).toEqual(['section.added', 'question.added', 'question.moved', 'question.moved', 'question.moved', 'section.moved']);
  });

  it('starts a new matrix with the five-point scale, which the planner may change', async () => {
    const form = await agent.get('/admin/surveys/genclik-anketi/edit/sections/bolum_1/questions/new?kind=likert_matrix');
    expect(form.status).toBe(200);
    for (const [i, label] of ['Çok kötü', 'Kötü', 'Orta', 'İyi', 'Çok iyi'].entries()) {
      expect(form.text).toMatch(new RegExp(`name="scale\\.${i}\\.tr" value="${label}"`));
      expect(form.text).toMatch(new RegExp(`name="scale\\.${i}\\.value" value="${i + 1}"`));
    }
  });

  it('shows a whole-draft rule at the question field: a duplicate id is refused and nothing changes', async () => {
    const form = await agent.get('/admin/surveys/genclik-anketi/edit/sections/bolum_1/questions/new?kind=short_text');
    const refused = await agent
      .post('/admin/surveys/genclik-anketi/edit/sections/bolum_1/questions/new?kind=short_text')
      .type('form')
      .send(encodeForm({ _csrf: csrfFrom(form.text), id: 'soru_1', 'text.tr': 'İkinci soru' }));
    expect(refused.status).toBe(422);
    // At the id field (whose markup is question-fields.ejs's), in the planner's language: the message comes before the next field.
    const message = '“soru_1” soru kimliği birden fazla kez kullanılmış; her sorunun kimliği farklı olmalı.';
    expect(refused.text).toContain(message);
    expect(refused.text.indexOf(message)).toBeGreaterThan(refused.text.indexOf('name="id"'));
    expect(refused.text.indexOf(message)).toBeLessThan(refused.text.indexOf('name="text.tr"'));
    expect(refused.text).toContain('>İkinci soru</textarea>');
    expect(layout((await storedDraft('genclik-anketi'))!)).toEqual(['bolum_1:soru_1']);
  });

  it('downloads the draft as JSON that the upload takes back to the same definition', async () => {
    const download = await downloadBinary(agent, '/admin/surveys/genclik-anketi/edit/draft.json');
    expect(download.status).toBe(200);
    expect(download.headers['content-disposition']).toContain('genclik-anketi.json');
    const text = (download.body as Buffer).toString('utf8');
    const row = await t.db.selectFrom('survey_drafts').select('definition').where('slug', '=', 'genclik-anketi').executeTakeFirstOrThrow();
    expect(text).toBe(row.definition);
    const page = await agent.get('/admin/surveys/upload');
    const token = /action="\/admin\/surveys\/upload\?_csrf=([^"]+)"/.exec(page.text)![1]!;
    expect((await agent.post(`/admin/surveys/upload?_csrf=${token}`).attach('definition', Buffer.from(text), 'genclik-anketi.json')).status).toBe(303);
    const uploaded = t.catalog.find('genclik-anketi')!;
    const stored = await t.db.selectFrom('uploaded_surveys').select('definition').where('slug', '=', 'genclik-anketi').executeTakeFirstOrThrow();
    expect(stored.definition).toBe(text);
    // Publishing the same draft gives the very same definition hash.
    await post('/admin/surveys/genclik-anketi/edit', '/admin/surveys/genclik-anketi/edit/publish');
    expect(t.catalog.find('genclik-anketi')!.hash).toBe(uploaded.hash);
  });

  it('publishes: respondents then get the draft, and the draft is gone', async () => {
    const form = await agent.get('/admin/surveys/genclik-anketi/edit/questions/soru_1');
    expect(form.status).toBe(200);
    await agent.post('/admin/surveys/genclik-anketi/edit/questions/soru_1').type('form').send(encodeForm({ _csrf: csrfFrom(form.text), id: 'soru_1', 'text.tr': 'Mahallenizde en çok neyi seviyorsunuz?' }));
    await post('/admin/surveys/genclik-anketi/edit/settings', '/admin/surveys/genclik-anketi/edit/settings', await settingsFields('genclik-anketi', { 'thanks.tr': 'Yanıtınız bize ulaştı, teşekkürler.' }));
    expect((await request(t.app).get('/anket/genclik-anketi')).status).toBe(404);
    const published = await post('/admin/surveys/genclik-anketi/edit', '/admin/surveys/genclik-anketi/edit/publish');
    expect(published.headers.location).toBe('/admin/surveys/genclik-anketi');
    expect(t.catalog.schedule('genclik-anketi').published).toBe(true);
    expect(await storedDraft('genclik-anketi')).toBeUndefined();
    const survey = t.catalog.find('genclik-anketi')!;
    const section = await request(t.app).get('/anket/genclik-anketi/1');
    expect(section.status).toBe(200);
    expect(section.text).toContain('Mahallenizde en çok neyi seviyorsunuz?');
    const citizen = request.agent(t.app);
    await completeSurvey(citizen, survey, (i) => validSectionFields(survey, i));
    const thanks = await citizen.get('/anket/genclik-anketi/tesekkurler');
    expect(thanks.status).toBe(200);
    expect(thanks.text).toContain('Yanıtınız bize ulaştı, teşekkürler.');
    expect((await audits()).map((a) => a.action)).toEqual(expect.arrayContaining(['survey.published']));
    const show = await agent.get('/admin/surveys/genclik-anketi');
    expect(show.text).toContain('href="/admin/surveys/genclik-anketi/edit"');
  });

  it('discards a draft', async () => {
    const discarded = await post('/admin/surveys/genclik-anketi/edit', '/admin/surveys/genclik-anketi/edit/discard');
    expect(discarded.headers.location).toBe('/admin/surveys');
    expect(await storedDraft('genclik-anketi')).toBeUndefined();
    expect((await audits()).at(-1)).toMatchObject({ action: 'survey.draft_discarded', target: 'genclik-anketi' });
    expect((await agent.get('/admin/surveys/genclik-anketi/edit')).status).toBe(404);
  });
});

describe('after responses exist', () => {
  it('refuses removing an answered option or question with the reason, and allows rewording', async () => {
    await createSurvey({ slug: 'genclik-anketi', source: 'scratch' });
    const form = await agent.get('/admin/surveys/genclik-anketi/edit/sections/bolum_1/questions/new?kind=single_choice');
    await agent.post('/admin/surveys/genclik-anketi/edit/sections/bolum_1/questions/new?kind=single_choice').type('form')
      .send(encodeForm({ _csrf: csrfFrom(form.text), id: 'cinsiyet', 'text.tr': 'Cinsiyetiniz', 'options.0.id': 'kadin', 'options.0.tr': 'Kadın', 'options.1.id': 'erkek', 'options.1.tr': 'Erkek' }));
    await post('/admin/surveys/genclik-anketi/edit', '/admin/surveys/genclik-anketi/edit/publish');
    const survey = t.catalog.find('genclik-anketi')!;
    await completeSurvey(request.agent(t.app), survey, (i) => validSectionFields(survey, i));

    expect((await post('/admin/surveys/genclik-anketi/edit', '/admin/surveys/genclik-anketi/edit/start')).status).toBe(303);
    const edit = await agent.get('/admin/surveys/genclik-anketi/edit/questions/cinsiyet');
    expect(edit.text).toContain('kayıtlı yanıtları var');
    const refused = await agent.post('/admin/surveys/genclik-anketi/edit/questions/cinsiyet').type('form')
      .send(encodeForm({ _csrf: csrfFrom(edit.text), id: 'cinsiyet', 'text.tr': 'Cinsiyetiniz', 'options.0.id': 'erkek', 'options.0.tr': 'Erkek' }));
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('“cinsiyet” sorusunun “kadin” seçeneği değiştirilemez ya da silinemez: 1 kayıtlı yanıt bunu kullanıyor.');
    const removed = await post('/admin/surveys/genclik-anketi/edit', '/admin/surveys/genclik-anketi/edit/questions/soru_1/remove');
    expect(removed.status).toBe(303);
    const overview = await agent.get('/admin/surveys/genclik-anketi/edit');
    expect(overview.text).toContain('Değişiklik kaydedilmedi: “soru_1” sorusu (kimliği ve tipi) değiştirilemez ya da silinemez');
    expect(layout((await storedDraft('genclik-anketi'))!)).toEqual(['bolum_1:soru_1,cinsiyet']);

    const reworded = await agent.post('/admin/surveys/genclik-anketi/edit/questions/cinsiyet').type('form')
      .send(encodeForm({ _csrf: csrfFrom(edit.text), id: 'cinsiyet', 'text.tr': 'Cinsiyetiniz nedir?', 'options.0.id': 'kadin', 'options.0.tr': 'Kadın', 'options.1.id': 'erkek', 'options.1.tr': 'Erkek', 'options.2.id': 'belirtmek_istemiyorum', 'options.2.tr': 'Belirtmek istemiyorum' }));
    expect(reworded.status).toBe(303);
    expect((await storedDraft('genclik-anketi'))!.sections[0]!.questions[1]!.text.tr).toBe('Cinsiyetiniz nedir?');
    // Publishing the reworded survey keeps the stored answers readable and serves the new wording.
    expect((await post('/admin/surveys/genclik-anketi/edit', '/admin/surveys/genclik-anketi/edit/publish')).headers.location).toBe('/admin/surveys/genclik-anketi');
    expect(t.catalog.find('genclik-anketi')!.hash).not.toBe(survey.hash);
    expect((await request(t.app).get('/anket/genclik-anketi/1')).text).toContain('Cinsiyetiniz nedir?');
    expect((await agent.get('/admin/surveys/genclik-anketi/responses/1')).text).toContain('Kadın');
  });

  it('offers a copy, not a draft, of a survey defined by a file', async () => {
    const overview = await agent.get('/admin/surveys/tum-soru-tipleri/edit');
    expect(overview.status).toBe(200);
    expect(overview.text).toContain('href="/admin/surveys/new?copy=tum-soru-tipleri"');
    expect((await post('/admin/surveys/tum-soru-tipleri/edit', '/admin/surveys/tum-soru-tipleri/edit/start')).status).toBe(303);
    expect(await storedDraft('tum-soru-tipleri')).toBeUndefined();
    const form = await agent.get('/admin/surveys/new?copy=tum-soru-tipleri');
    expect(form.text).toMatch(/<option value="tum-soru-tipleri" selected>/);
  });
});

describe('access', () => {
  it('needs a login and the surveys.manage permission', async () => {
    const anonymous = await request(t.app).get('/admin/surveys/new');
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/admin\/login/);
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    expect((await viewer.get('/admin/surveys/new')).status).toBe(403);
  });

  it('needs the form token on every change; nothing is stored without it', async () => {
    const refused = await agent.post('/admin/surveys/new').type('form').send({ slug: 'genclik-anketi', 'title.tr': 'X', source: 'scratch' });
    expect(refused.status).toBe(403);
    await createSurvey({ slug: 'genclik-anketi', source: 'scratch' });
    const before = await t.db.selectFrom('survey_drafts').selectAll().execute();
    expect((await agent.post('/admin/surveys/genclik-anketi/edit/questions/soru_1/remove').type('form').send({})).status).toBe(403);
    expect((await agent.post('/admin/surveys/genclik-anketi/edit/publish').type('form').send({})).status).toBe(403);
    expect(await t.db.selectFrom('survey_drafts').selectAll().execute()).toEqual(before);
    expect(t.catalog.find('genclik-anketi')).toBeUndefined();
  });
});
