// A refused definition is explained in the planner's language: the upload page and the editor
// show the rules', the schema's and the stored answers' problems in Turkish or English.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { addUser, csrfFrom, logIn, postForm, type TestUser } from '../helpers/admin';
import { encodeForm } from '../helpers/forms';
import { htmlProblems } from '../helpers/html';
import { completeSurvey, validSectionFields } from '../helpers/survey-walker';
import { createTestApp, FIXTURE_SURVEYS, type TestApp } from '../helpers/test-app';

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

const inEnglish = () => agent.get('/admin/surveys/upload?lang=en');
const storedUploads = async () => (await t.db.selectFrom('uploaded_surveys').select(['slug', 'definition']).execute());

async function upload(content: string) {
  const page = await agent.get('/admin/surveys/upload');
  const token = /action="\/admin\/surveys\/upload\?_csrf=([^"]+)"/.exec(page.text)![1]!;
  const posted = await agent.post(`/admin/surveys/upload?_csrf=${token}`).attach('definition', Buffer.from(content), 'yeni-anket.json');
  expect(posted.status).toBe(303);
  if (posted.headers.location !== '/admin/surveys/upload') return posted;
  return agent.get('/admin/surveys/upload');
}

function definition(change: (survey: any) => void = () => {}): string {
  const survey = JSON.parse(fs.readFileSync(path.join(FIXTURE_SURVEYS, 'tum-soru-tipleri.json'), 'utf8'));
  survey.slug = 'yeni-anket';
  change(survey);
  return JSON.stringify(survey);
}

/** The problems listed on the upload page, as "path: message" in the page's own words. */
function listed(html: string): string[] {
  const summary = /<div class="error-summary"[\s\S]*?<\/div>/.exec(html)?.[0] ?? '';
  return [...summary.matchAll(/<li><code>([^<]*)<\/code>: ([^<]*)<\/li>/g)].map((m) => `${m[1]}: ${m[2]}`);
}

// The first question made to depend on one of the last section: conditions may only look back.
const laterCondition = (s: any) => (s.sections[0].questions[0].showWhen = { question: 'gorus', equals: 'x' });
const schemaMistakes = (s: any) => {
  s.audience = 'herkes';
  s.requird = true;
};
const withoutBus = (s: any) => {
  const ulasim = s.sections[0].questions[1];
  ulasim.options = ulasim.options.filter((o: any) => o.id !== 'otobus');
};

describe('uploading a definition that breaks a rule', () => {
  it('says so in Turkish by default, and saves nothing', async () => {
    const page = await upload(definition(laterCondition));
    expect(page.status).toBe(422);
    expect(listed(page.text)).toEqual([
      '$.sections[0].questions[0].showWhen.question: Koşul, bu sorudan önce gelen bir soruya bağlanmalı; “gorus” önce gelen bir soru değil.',
    ]);
    expect(await htmlProblems(page.text)).toEqual([]);
    expect(await storedUploads()).toEqual([]);
    expect(t.catalog.find('yeni-anket')).toBeUndefined();
  });

  it('says so in English to a planner reading English', async () => {
    await inEnglish();
    const page = await upload(definition(laterCondition));
    expect(page.status).toBe(422);
    expect(listed(page.text)).toEqual([
      '$.sections[0].questions[0].showWhen.question: A condition must refer to a question before this one; “gorus” is not an earlier question.',
    ]);
    expect(await storedUploads()).toEqual([]);
  });
});

describe('uploading a definition that does not fit the schema', () => {
  it('words each zod issue at its path in Turkish, and saves nothing', async () => {
    const page = await upload(definition(schemaMistakes));
    expect(page.status).toBe(422);
    expect(page.text).toContain('Dosyada 2 sorun var; hiçbir şey değiştirilmedi');
    expect(listed(page.text).sort()).toEqual([
      '$.audience: Değer şunlardan biri olmalı: citizen, institution, internal, meeting.',
      '$: Tanınmayan alan (yazım hatası olabilir): requird.',
    ].sort());
    expect(await storedUploads()).toEqual([]);
  });

  it('words them in English to a planner reading English', async () => {
    await inEnglish();
    const page = await upload(definition(schemaMistakes));
    expect(page.status).toBe(422);
    expect(listed(page.text).sort()).toEqual([
      '$.audience: The value must be one of: citizen, institution, internal, meeting.',
      '$: Unknown field (perhaps a typo): requird.',
    ].sort());
    expect(await storedUploads()).toEqual([]);
  });

  it('explains a file that is not JSON at all', async () => {
    const page = await upload('{ "slug": ');
    expect(listed(page.text)).toEqual([expect.stringMatching(/^\$: Dosya geçerli bir JSON değil \(.+\)\.$/)]);
  });
});

describe('uploading a definition that removes what stored answers use', () => {
  beforeEach(async () => {
    expect((await upload(definition())).headers.location).toBe('/admin/surveys/yeni-anket');
    await postForm(agent, '/admin/surveys/yeni-anket', '/admin/surveys/yeni-anket/open', { closes_at: '2026-12-01T00:00' });
    const survey = t.catalog.find('yeni-anket')!;
    await completeSurvey(request.agent(t.app), survey, (i) => validSectionFields(survey, i));
  });

  const storedDefinition = async () => (await storedUploads()).map((u) => JSON.parse(u.definition).sections[0].questions[1].options.length);

  it('refuses it in Turkish, keeping the published definition', async () => {
    const before = await storedDefinition();
    const page = await upload(definition(withoutBus));
    expect(page.status).toBe(422);
    expect(listed(page.text)).toEqual([
      '$: “ulasim” sorusunun “otobus” seçeneği kaldırılmış ya da değiştirilmiş, ama 1 kayıtlı yanıt bunu kullanıyor (“yeni-anket” anketi); geri ekleyin ya da değişen anketi yeni bir adres adıyla (slug) yayımlayın.',
    ]);
    expect(await storedDefinition()).toEqual(before);
    expect(t.catalog.find('yeni-anket')!.sections[0]!.questions[1]!).toMatchObject({ options: expect.arrayContaining([expect.objectContaining({ id: 'otobus' })]) });
  });

  it('refuses it in English to a planner reading English', async () => {
    await inEnglish();
    const before = await storedDefinition();
    const page = await upload(definition(withoutBus));
    expect(page.status).toBe(422);
    expect(listed(page.text)).toEqual([
      '$: Removed or changed: option “otobus” of question “ulasim”; but 1 stored answer uses it (survey “yeni-anket”). Put it back, or publish the changed survey under a new slug.',
    ]);
    expect(await storedDefinition()).toEqual(before);
  });
});

describe('the survey editor', () => {
  const draftOf = async () => (await t.db.selectFrom('survey_drafts').select('definition').where('slug', '=', 'genclik-anketi').executeTakeFirst())!.definition;

  beforeEach(async () => {
    const page = await agent.get('/admin/surveys/new');
    const created = await agent.post('/admin/surveys/new').type('form').send(encodeForm({ _csrf: csrfFrom(page.text), slug: 'genclik-anketi', 'title.tr': 'Gençlik anketi', source: 'scratch' }));
    expect(created.status).toBe(303);
  });

  /** A short text posted with a profile role (the form offers none): refused by the whole-draft rules, not the form's. */
  async function addTextWithProfileRole(): Promise<request.Response> {
    const url = '/admin/surveys/genclik-anketi/edit/sections/bolum_1/questions/new?kind=short_text';
    const form = await agent.get(url);
    return agent.post(url).type('form').send(encodeForm({ _csrf: csrfFrom(form.text), id: 'cinsiyet', 'text.tr': 'Cinsiyetiniz', role: 'profile.gender' }));
  }

  it('shows a rule problem at its field in Turkish, and keeps the draft', async () => {
    const before = await draftOf();
    const refused = await addTextWithProfileRole();
    expect(refused.status).toBe(422);
    const message = 'Anket kurallarına uymuyor (sections.0.questions.1.role): “Profil: cinsiyet” rolü yalnızca şu tipteki sorulara verilebilir: Tek seçim, Açılır liste.';
    expect(refused.text).toContain(message);
    expect(refused.text.indexOf(message)).toBeGreaterThan(refused.text.indexOf('name="role"'));
    expect(await draftOf()).toBe(before);
  });

  it('shows it in English to a planner reading English', async () => {
    await inEnglish();
    const refused = await addTextWithProfileRole();
    expect(refused.status).toBe(422);
    expect(refused.text).toContain(
      'Breaks a survey rule (sections.0.questions.1.role): The role “Profile: gender” can only be given to questions of these kinds: Single choice, Drop-down.',
    );
  });
});
