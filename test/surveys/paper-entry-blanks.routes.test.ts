// A clerk copying paper or face-to-face questionnaires keeps a blank as a blank: "required" is
// asked of people answering online only. Blanks are stored as no answer and left out of results;
// invalid values are still refused.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { surveyForChannel } from '../../server/surveys/answer-requirement';
import { storeEnteredQuestionnaire } from '../../server/surveys/response.service';
import { parseQuestion } from '../../server/surveys/survey-answers';
import { addUser, logIn, type TestUser } from '../helpers/admin';
import { answerSection, encodeForm, hiddenFields, type Fields } from '../helpers/forms';
import { createTestApp, DURING_SURVEY, type TestApp } from '../helpers/test-app';

let t: TestApp;
let clerk: TestUser;
let agent: TestAgent;
beforeEach(async () => {
  t = await createTestApp({ now: DURING_SURVEY });
  clerk = await addUser(t, 'planner', 'Zeynep Veri');
  agent = await logIn(t, clerk);
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const survey = () => t.catalog.find('vatandas-anketi')!;

/** Types one questionnaire in, section by section, with only the given answers; returns the last post. */
async function enterForm(channel: 'paper' | 'face_to_face', answers: Fields) {
  let url = (await agent.get(`/admin/surveys/vatandas-anketi/entry/${channel}`)).headers.location!;
  const base = url.replace(/\/1$/, '');
  for (let step = 0; step < 10; step++) {
    const index = Number(url.split('/').pop()) - 1;
    const own = new Set(survey().sections[index]!.questions.map((q) => q.id));
    const fields = Object.fromEntries(Object.entries(answers).filter(([name]) => own.has(name.split('.')[0]!)));
    const { page, response } = await answerSection(agent, url, fields);
    if (response.status !== 303) return { page, response };
    url = response.headers.location!;
    if (!url.startsWith(base)) return { page, response };
  }
  throw new Error('entry did not finish');
}

const answerRows = (responseId: number) =>
  t.db.selectFrom('answers').select(['question_id', 'option_id', 'value']).where('response_id', '=', responseId).orderBy('id').execute();

describe('a paper form with "Cinsiyetiniz" left blank', () => {
  it('completes, stores no answer for it, and the results count it as no answer', async () => {
    const done = await enterForm('paper', { yas_grubu: 'yas_25_34', 'hizmet_memnuniyeti.temizlik_atik': '4' });
    expect(done.response.status).toBe(303);
    expect((await agent.get(done.response.headers.location!)).text).toMatch(/Yanıt #\d+ kaydedildi/);
    await enterForm('paper', { cinsiyet: 'kadin', yas_grubu: 'yas_35_44' });

    const stored = await t.db.selectFrom('responses').select(['id', 'status', 'channel', 'entered_by']).orderBy('id').execute();
    expect(stored).toEqual([
      { id: stored[0]!.id, status: 'complete', channel: 'paper', entered_by: clerk.id },
      { id: stored[1]!.id, status: 'complete', channel: 'paper', entered_by: clerk.id },
    ]);
    // Only what was on the paper: no gender, one row of the matrix, no ranking.
    expect(await answerRows(stored[0]!.id)).toEqual([
      { question_id: 'yas_grubu', option_id: 'yas_25_34', value: null },
      { question_id: 'hizmet_memnuniyeti', option_id: 'temizlik_atik', value: 4 },
    ]);
    const respondents = await t.db.selectFrom('question_respondents').select(['question_id', 'respondents']).where('survey_slug', '=', 'vatandas-anketi').execute();
    const count = (id: string) => respondents.find((r) => r.question_id === id)?.respondents ?? 0;
    expect([count('cinsiyet'), count('yas_grubu'), count('oncelikli_alanlar')]).toEqual([1, 2, 0]);

    const results = await agent.get('/admin/surveys/vatandas-anketi/results');
    expect(results.status).toBe(200);
    const gender = /<h2 id="q-cinsiyet">[\s\S]*?<\/table>/.exec(results.text)![0];
    expect(gender).toMatch(/<dt>Yanıtlayan \(n\)<\/dt><dd>1<\/dd>/);
    expect(gender).toMatch(/<th scope="row">Kadın<\/th><td class="num" data-value="1">1<\/td>/);
  });

  it('shows the clerk no "required" marks, while online respondents still get "Bu soruyu yanıtlayın"', async () => {
    const entry = await agent.get((await agent.get('/admin/surveys/vatandas-anketi/entry/face_to_face')).headers.location!);
    expect(entry.text).toContain('Cinsiyetiniz');
    expect(entry.text).toContain('Yanıtlanmamış soruyu boş bırakın: yanıtsız sayılır.');
    expect(entry.text).not.toMatch(/\srequired[\s>]/);
    expect(entry.text).not.toContain('(zorunlu)');

    const citizen = request.agent(t.app);
    const online = await citizen.get('/anket/vatandas-anketi/1');
    expect(online.text).toContain('(zorunlu)');
    const refused = await citizen.post('/anket/vatandas-anketi/1').type('form').send(encodeForm({ ...hiddenFields(online.text), _nav: 'next', yas_grubu: 'yas_25_34' }));
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Bu soruyu yanıtlayın.');
  });

  it('still refuses an option that is not on the form, and stores nothing', async () => {
    const done = await enterForm('paper', { cinsiyet: 'yok_boyle', yas_grubu: 'yas_25_34' });
    expect(done.response.status).toBe(422);
    expect(done.response.text).toContain('Lütfen listedeki seçeneklerden birini seçin.');
    expect(await t.db.selectFrom('responses').select('id').execute()).toEqual([]);
  });
});

describe('storeEnteredQuestionnaire', () => {
  const entry = (fields: Fields, idempotencyKey = 'grid-form-0001-abcdef') => ({
    survey: survey(),
    channel: 'paper' as const,
    enteredBy: clerk.id,
    fields,
    idempotencyKey,
    language: 'tr',
    now: t.clock.now,
  });

  it('stores a whole questionnaire with its blanks, the clerk as "Giren", once per key', async () => {
    const first = await t.db.transaction().execute((trx) => storeEnteredQuestionnaire(trx, entry({ yas_grubu: 'yas_45_54', talep_iletildi: 'hayir', talep_sonucu: 'karsilandi' })));
    expect(first).toEqual({ kind: 'completed', responseId: expect.any(Number), ignored: ['talep_sonucu'] });
    if (first.kind !== 'completed') throw new Error('not completed');
    const again = await t.db.transaction().execute((trx) => storeEnteredQuestionnaire(trx, entry({ cinsiyet: 'erkek' })));
    expect(again).toEqual({ kind: 'already_submitted', responseId: first.responseId });
    expect(await t.db.selectFrom('responses').select(['status', 'channel', 'entered_by', 'submitted_at']).execute()).toEqual([
      { status: 'complete', channel: 'paper', entered_by: clerk.id, submitted_at: t.clock.now.toISOString() },
    ]);
    expect(await answerRows(first.responseId)).toEqual([
      { question_id: 'yas_grubu', option_id: 'yas_45_54', value: null },
      { question_id: 'talep_iletildi', option_id: 'hayir', value: null },
    ]);
  });

  it('refuses invalid values with every error and stores nothing', async () => {
    const outcome = await t.db.transaction().execute((trx) => storeEnteredQuestionnaire(trx, entry({ cinsiyet: '7', genel_memnuniyet: '11' })));
    expect(outcome).toEqual({
      kind: 'invalid',
      errors: [
        { questionId: 'cinsiyet', code: 'invalid_option', field: 'cinsiyet' },
        { questionId: 'genel_memnuniyet', code: 'invalid_option', field: 'genel_memnuniyet' },
      ],
    });
    expect(await t.db.selectFrom('responses').select('id').execute()).toEqual([]);
  });
});

describe('a "Diğer" tick with nothing written next to it', () => {
  it('is taken from a clerk as "Diğer" without text, stored and counted; online the text is still asked for', async () => {
    const done = await enterForm('face_to_face', { yas_grubu: 'yas_25_34', iletisim_kanallari: ['other'] });
    expect(done.response.status).toBe(303);
    const [stored] = await t.db.selectFrom('responses').select(['id', 'status']).execute();
    expect(stored!.status).toBe('complete');
    const rows = await t.db.selectFrom('answers').select(['question_id', 'option_id', 'text']).where('response_id', '=', stored!.id).where('question_id', '=', 'iletisim_kanallari').execute();
    expect(rows).toEqual([{ question_id: 'iletisim_kanallari', option_id: 'other', text: null }]);

    // Online, the same tick without words is still refused.
    const question = survey().sections.flatMap((s) => s.questions).find((q) => q.id === 'iletisim_kanallari')!;
    expect(parseQuestion(surveyForChannel(survey(), 'online').sections.flatMap((s) => s.questions).find((q) => q.id === question.id)!, { iletisim_kanallari: ['other'] }).error).toMatchObject({
      code: 'other_text_required',
    });
  });
});
