// Codes shown as words in the reader's language: a response's or a mail's language reads
// "Türkçe" / "Turkish", never "tr"; an audit detail reads "Biçim: CSV", never "format: csv".
import { addUser, logIn } from '../helpers/admin';
import { respond } from '../helpers/respond';
import { validSectionFields } from '../helpers/survey-walker';
import { createTestApp, DURING_SURVEY, FIXTURE_SURVEYS, queueTestMail, type TestApp } from '../helpers/test-app';

let t: TestApp;
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const SLUG = 'tum-soru-tipleri';
const visible = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('codes shown as words', () => {
  it('names the language of a response in the reader\'s language on the list and the response', async () => {
    t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: DURING_SURVEY });
    const survey = t.catalog.find(SLUG)!;
    const id = await respond(t, survey, Object.assign({}, ...survey.sections.map((_, i) => validSectionFields(survey, i))));
    const admin = await logIn(t, await addUser(t, 'admin'));
    const listEn = (await admin.get(`/admin/surveys/${SLUG}/responses?lang=en`)).text;
    expect(listEn).toMatch(/<td>Turkish<\/td>/);
    expect(listEn).not.toMatch(/<td>tr<\/td>/);
    expect((await admin.get(`/admin/surveys/${SLUG}/responses?lang=tr`)).text).toMatch(/<td>Türkçe<\/td>/);
    const one = (await admin.get(`/admin/surveys/${SLUG}/responses/${id}?lang=en`)).text;
    expect(one).toMatch(/<dd>Turkish<\/dd>/);
  });

  it('names the language of a mail on the outbox page ("Dil: İngilizce", "Language: English")', async () => {
    t = await createTestApp();
    const id = await queueTestMail(t, 'kurum@example.org', { language: 'en' });
    const admin = await logIn(t, await addUser(t, 'admin'));
    expect(visible((await admin.get(`/admin/outbox/${id}?lang=tr`)).text)).toContain('Dil İngilizce');
    expect(visible((await admin.get(`/admin/outbox/${id}?lang=en`)).text)).toContain('Language English');
  });
});
