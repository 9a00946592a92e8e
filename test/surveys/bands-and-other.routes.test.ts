// Issue 18 §3.4–3.5 through the public pages: a drop-down and a ranking with "Diğer", a banded age
// with a question shown for one band; stored, refused in Turkish, and shown in the back office.
import request from 'supertest';
import { addUser, logIn } from '../helpers/admin';
import { answerSection, errorSummary } from '../helpers/forms';
import { htmlProblems } from '../helpers/html';
import { completeSurvey, validSectionFields } from '../helpers/survey-walker';
import { createTestApp, FIXTURE_SURVEYS, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});
const survey = () => t.catalog.find('tum-soru-tipleri')!;
const PAGE = '/anket/tum-soru-tipleri/3';

async function onThirdPage() {
  const agent = request.agent(t.app);
  await answerSection(agent, '/anket/tum-soru-tipleri/1', { ...validSectionFields(survey(), 0), renk: 'mavi' });
  await answerSection(agent, '/anket/tum-soru-tipleri/2', validSectionFields(survey(), 1));
  return agent;
}

const answersTo = (questionIds: string[]) =>
  t.db.selectFrom('answers').select(['question_id', 'option_id', 'value', 'text', 'rank']).where('question_id', 'in', questionIds).orderBy('id').execute();

it('renders "Diğer" in the drop-down and the ranking with a labelled box, and the bands for the page script', async () => {
  const agent = await onThirdPage();
  const page = await agent.get(PAGE);
  expect(page.text).toContain('<option value="other">Diğer (belirtiniz)</option>\n</select>\n<label class="other" for="f-calisma_yeri-other">Diğer seçeneğini belirtiniz</label>');
  expect(page.text).toContain('name="calisma_yeri.other" maxlength="200"');
  expect(page.text.match(/<select id="f-hizmet_sirasi-\d" name="hizmet_sirasi.\d">[\s\S]*?<\/select>/g)!.every((s) => s.includes('<option value="other">Diğer (belirtiniz)</option>'))).toBe(true);
  expect(page.text).toContain('<label class="other" for="f-hizmet_sirasi-other">');
  expect(page.text).toContain('data-bands="[[&#34;y18_29&#34;,18,29],[&#34;y30_49&#34;,30,49],[&#34;y50&#34;,50,null]]"');
  expect(page.text).toContain('data-show-when="{&#34;question&#34;:&#34;yas_grubu&#34;,&#34;equals&#34;:&#34;y18_29&#34;}"');
  expect(await htmlProblems(page.text)).toEqual([]);
});

it('stores "Diğer" with its text for both, the age as its value, and shows them in the response view', async () => {
  const agent = request.agent(t.app);
  await completeSurvey(agent, survey(), (i) =>
    i === 0
      ? { ...validSectionFields(survey(), 0), renk: 'mavi' }
      : i === 2
        ? {
            ...validSectionFields(survey(), 2),
            yas_grubu: '25',
            genc_notu: 'Spor alanı',
            calisma_yeri: '',
            'calisma_yeri.other': 'Kooperatif',
            'hizmet_sirasi.1': 'other',
            'hizmet_sirasi.2': 'park',
            'hizmet_sirasi.other': 'Pazar yeri',
          }
        : validSectionFields(survey(), i),
  );
  expect(await answersTo(['yas_grubu', 'genc_notu', 'calisma_yeri', 'hizmet_sirasi'])).toEqual([
    { question_id: 'yas_grubu', option_id: null, value: 25, text: null, rank: null },
    { question_id: 'genc_notu', option_id: null, value: null, text: 'Spor alanı', rank: null },
    { question_id: 'calisma_yeri', option_id: 'other', value: null, text: 'Kooperatif', rank: null },
    { question_id: 'hizmet_sirasi', option_id: 'other', value: null, text: 'Pazar yeri', rank: 1 },
    { question_id: 'hizmet_sirasi', option_id: 'park', value: null, text: null, rank: 2 },
  ]);

  const planner = await logIn(t, await addUser(t, 'planner'));
  const { id } = await t.db.selectFrom('responses').select('id').executeTakeFirstOrThrow();
  const view = await planner.get(`/admin/surveys/tum-soru-tipleri/responses/${id}`);
  expect(view.text).toContain('<th scope="row">Kaç yaşındasınız?</th><td><div>25 (18–29)</div></td>');
  expect(view.text).toContain('<div>Diğer (belirtiniz): Kooperatif</div>');
  expect(view.text).toContain('<div>1. Diğer (belirtiniz): Pazar yeri</div><div>2. Parklar</div>');
  expect(await htmlProblems(view.text)).toEqual([]);
});

it('leaves out the question of a band the age is not in', async () => {
  const agent = request.agent(t.app);
  await completeSurvey(agent, survey(), (i) =>
    i === 0 ? { ...validSectionFields(survey(), 0), renk: 'mavi' } : i === 2 ? { ...validSectionFields(survey(), 2), yas_grubu: '40', genc_notu: 'Yok sayılır' } : validSectionFields(survey(), i),
  );
  expect(await answersTo(['yas_grubu', 'genc_notu'])).toEqual([{ question_id: 'yas_grubu', option_id: null, value: 40, text: null, rank: null }]);
});

it('refuses "Diğer" without text and text with "Diğer" unranked, in Turkish, keeping the text and storing neither', async () => {
  const agent = await onThirdPage();
  const { response } = await answerSection(agent, PAGE, {
    ...validSectionFields(survey(), 2),
    calisma_yeri: 'other',
    'hizmet_sirasi.1': 'park',
    'hizmet_sirasi.other': '<b>Pazar</b>',
  });
  expect(response.status).toBe(422);
  expect(errorSummary(response.text)).toEqual(['#f-calisma_yeri-other', '#f-hizmet_sirasi-other']);
  expect(response.text).toContain('“Diğer” seçeneğini işaretlediniz; lütfen ne olduğunu yazın.');
  expect(response.text).toContain('“Diğer (belirtiniz)” seçeneğini hiçbir sıraya koymadınız');
  expect(response.text).toContain('value="&lt;b&gt;Pazar&lt;/b&gt;"');
  expect(response.text).not.toContain('<b>Pazar</b>');
  expect(await answersTo(['calisma_yeri', 'hizmet_sirasi'])).toEqual([]);

  const english = await answerSection(agent, `${PAGE}?lang=en`, { ...validSectionFields(survey(), 2), 'hizmet_sirasi.1': 'other' });
  expect(english.response.status).toBe(422);
  expect(english.response.text).toContain('You chose “Other”; please say what it is.');
});
