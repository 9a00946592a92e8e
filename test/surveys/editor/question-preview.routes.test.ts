import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { addUser, csrfFrom, logIn, type TestUser } from '../../helpers/admin';
import { encodeForm, type Fields } from '../../helpers/forms';
import { htmlProblems } from '../../helpers/html';
import { createTestApp, FIXTURE_SURVEYS, type TestApp } from '../../helpers/test-app';

let t: TestApp;
let planner: TestUser;
let agent: TestAgent;
const SLUG = 'genclik-anketi';
const PREVIEW = `/admin/surveys/${SLUG}/edit/questions/preview`;
const NEW_PAGE = `/admin/surveys/${SLUG}/edit/sections/bolum_1/questions/new`;

beforeEach(async () => {
  t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });
  planner = await addUser(t, 'planner', 'Ayşe Planlamacı');
  agent = await logIn(t, planner);
  const page = await agent.get('/admin/surveys/new');
  const created = await agent.post('/admin/surveys/new').type('form')
    .send(encodeForm({ _csrf: csrfFrom(page.text), slug: SLUG, 'title.tr': 'Gençlik anketi', source: 'scratch' }));
  expect(created.status).toBe(303);
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const stored = async () => {
  const draft = await t.db.selectFrom('survey_drafts').select(['definition', 'updated_at']).where('slug', '=', SLUG).executeTakeFirstOrThrow();
  // Logging in is audited; the survey's own trail is what must not grow.
  const audits = (await t.db.selectFrom('audit_events').select('action').execute()).filter((a) => a.action.startsWith('survey.'));
  return { draft, audits: audits.length };
};

async function preview(kind: string, fields: Fields, as: TestAgent = agent, language = 'tr') {
  const page = await as.get(`${NEW_PAGE}?kind=${kind}`);
  return as.post(`${PREVIEW}?kind=${kind}`).set('Accept', 'text/html').set('Accept-Language', language).type('form')
    .send(encodeForm({ _csrf: csrfFrom(page.text), ...fields }));
}

describe('the question page', () => {
  it('has the preview panel outside the form, with a note for pages without JavaScript, and loads the script', async () => {
    const page = await agent.get(`${NEW_PAGE}?kind=single_choice`);
    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    const form = page.text.slice(page.text.indexOf('<form method="post" action="/admin/surveys/genclik-anketi'), page.text.indexOf('</form>', page.text.indexOf('data-live-preview')));
    expect(form).not.toContain('live-preview-phone');
    expect(page.text).toMatch(/<aside class="live-preview"[^>]*data-url="\/admin\/surveys\/genclik-anketi\/edit\/questions\/preview\?kind=single_choice"/);
    expect(page.text).toContain('aria-live="polite"');
    expect(page.text).toContain('genel bakış sayfasındaki bölüm önizlemesinde');
    expect(page.text).toMatch(/<script src="[^"]*js\/question-preview\.[0-9a-f]+\.js" defer><\/script>/);
  });
});

describe('previewing a question', () => {
  it('draws a single choice through the public partial, labels escaped, disabled and prefixed, and stores nothing', async () => {
    const before = await stored();
    const response = await preview('single_choice', {
      id: 'cinsiyet', 'text.tr': 'Cinsiyetiniz?', 'options.0.id': 'kadin', 'options.0.tr': 'Kadın',
      'options.1.id': 'x', 'options.1.tr': '<b>x</b>', other: 'on',
    });
    expect(response.status).toBe(200);
    expect(response.type).toBe('text/html');
    // A fragment, not a page.
    expect(response.text).not.toContain('<html');
    expect(response.text).not.toContain('<form');
    expect(response.text).toContain('Cinsiyetiniz?');
    expect(response.text).toContain('Kadın');
    expect(response.text).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(response.text).not.toContain('<b>x</b>');
    expect(response.text).toContain('Diğer');
    expect(response.text).toMatch(/<fieldset class="preview-inert" disabled>/);
    // The partial's ids carry a prefix: nothing on the editor's page has them.
    expect(response.text).toContain('id="q-onizleme-cinsiyet"');
    expect(response.text).toContain('name="onizleme-cinsiyet"');
    expect(response.text).not.toContain('id="q-cinsiyet"');
    expect(await stored()).toEqual(before);
  });

  it('draws a likert matrix with its rows and scale, and the condition is ignored', async () => {
    const response = await preview('likert_matrix', {
      id: 'memnuniyet', 'text.tr': 'Ne kadar memnunsunuz?', 'rows.0.id': 'park', 'rows.0.tr': 'Parklar <i>ve</i> bahçeler',
      'scale.0.value': '1', 'scale.0.tr': 'Hiç', 'scale.1.value': '5', 'scale.1.tr': 'Çok', 'notApplicable.tr': 'Bilgim yok',
    });
    expect(response.status).toBe(200);
    expect(response.text).toContain('Ne kadar memnunsunuz?');
    expect(response.text).toContain('Parklar &lt;i&gt;ve&lt;/i&gt; bahçeler');
    expect(response.text).toContain('Hiç');
    expect(response.text).toContain('Çok');
    expect(response.text).toContain('Bilgim yok');
    expect(response.text).toContain('name="onizleme-memnuniyet.park"');
  });

  it('resolves a shared list from the municipality, in the planner\'s language', async () => {
    const response = await preview('select', { id: 'mahalle', 'text.tr': 'Mahalleniz', 'text.en': 'Your neighbourhood', 'options.list': 'mahalles' }, agent, 'en');
    expect(response.status).toBe(200);
    expect(response.text).toContain('Your neighbourhood');
    expect(response.text).toContain('İstasyon');
  });

  it('refuses an invalid form with 422 and the fields to correct, in Turkish, storing nothing', async () => {
    const before = await stored();
    const response = await preview('single_choice', { id: 'cinsiyet', 'text.tr': '' });
    expect(response.status).toBe(422);
    expect(response.text).not.toContain('<html');
    expect(response.text).toContain('Önizleme için önce şu alanları düzeltin:');
    expect(response.text).toContain('href="#qf-text-tr"');
    expect(response.text).toContain('Soru metni: Türkçe metin zorunludur.');
    expect(await stored()).toEqual(before);
  });

  it('needs a CSRF token, the surveys.manage permission and a login', async () => {
    const before = await stored();
    const noToken = await agent.post(`${PREVIEW}?kind=short_text`).type('form').send(encodeForm({ id: 'a', 'text.tr': 'A' }));
    expect(noToken.status).toBe(403);
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    const home = await viewer.get('/admin/surveys');
    const refused = await viewer.post(`${PREVIEW}?kind=short_text`).type('form').send(encodeForm({ _csrf: csrfFrom(home.text), id: 'a', 'text.tr': 'A' }));
    expect(refused.status).toBe(403);
    const anonymous = request.agent(t.app);
    const login = await anonymous.get('/admin/login');
    const redirected = await anonymous.post(`${PREVIEW}?kind=short_text`).type('form').send(encodeForm({ _csrf: csrfFrom(login.text), id: 'a', 'text.tr': 'A' }));
    expect(redirected.status).toBe(303);
    expect(redirected.headers.location).toMatch(/^\/admin\/login/);
    expect(await stored()).toEqual(before);
  });
});
