// KVKK: the privacy notice is linked before every public form, as text of its own, never inside
// the label of a box someone ticks (informing is not consenting).
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { answerSection } from '../helpers/forms';
import { invitedInstitution } from '../helpers/invitation';
import { scheduleMeeting, signUp } from '../helpers/meetings';
import { validSectionFields } from '../helpers/survey-walker';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

/**
 * Where the page links the notice: in its main part (the footer's link does not count), before
 * the first field a person fills or button they press (hidden fields and the honeypot aside),
 * and in no label.
 */
function noticeLink(html: string): { inMain: boolean; beforeFields: boolean; inLabel: boolean } {
  const main = (/<main id="main">([\s\S]*)<\/main>/.exec(html)?.[1] ?? '').replace(/<div class="hp"[\s\S]*?<\/div>/g, '');
  const at = main.indexOf('href="/aydinlatma-metni"');
  const firstField = main.search(/<(?:input(?![^>]*type="hidden")|select|textarea|button)\b/);
  const labels = [...main.matchAll(/<label\b[\s\S]*?<\/label>/g)].map((m) => m[0]);
  return { inMain: at >= 0, beforeFields: at >= 0 && (firstField < 0 || at < firstField), inLabel: labels.some((label) => label.includes('aydinlatma-metni')) };
}

const LINKED = { inMain: true, beforeFields: true, inLabel: false };

/** Walks every section of a form, checking each page as it is shown, until the end. */
async function walkSections(agent: TestAgent, first: string, slug: string, pages: [string, string][]): Promise<void> {
  const survey = t.catalog.find(slug)!;
  let url = first;
  for (let step = 0; step <= survey.sections.length; step++) {
    const index = Number(url.split('/').pop()) - 1;
    const { page, response } = await answerSection(agent, url, validSectionFields(survey, index));
    pages.push([url, page.text]);
    expect(response.status).toBe(303);
    url = response.headers.location as string;
    if (url.endsWith('/tesekkurler') || url.endsWith('/alindi')) return;
  }
  throw new Error(`${slug} did not finish`);
}

it('links the notice before every public form: surveys, meeting sign-up, institutions, consent withdrawal', async () => {
  const pages: [string, string][] = [];
  const citizen = request.agent(t.app);
  pages.push(['/anket/vatandas-anketi', (await citizen.get('/anket/vatandas-anketi')).text]);
  await walkSections(citizen, '/anket/vatandas-anketi/1', 'vatandas-anketi', pages);

  const meeting = await scheduleMeeting(t);
  pages.push([`/bulusmalar/${meeting}`, (await request(t.app).get(`/bulusmalar/${meeting}`)).text]);
  const resident = request.agent(t.app);
  const registration = (await signUp(resident, meeting, { name: 'Ayşe Yılmaz', phone: '05321234567', future_meetings: '1' })).headers.location as string;
  const withdrawal = /href="(\/acik-riza\/[A-Za-z0-9_-]{22})"/.exec((await resident.get(registration)).text)![1]!;
  pages.push([withdrawal, (await resident.get(withdrawal)).text]);

  pages.push(['/kurum-gorusu', (await request(t.app).get('/kurum-gorusu')).text]);
  const { link } = await invitedInstitution(t);
  const institution = request.agent(t.app);
  pages.push([link, (await institution.get(link)).text]);
  await walkSections(institution, `${link}/1`, 'kurum-gorus-formu', pages);

  // Every section page reached, of both forms, besides the five other pages.
  const sections = (prefix: string) => pages.filter(([url]) => url.startsWith(prefix)).length;
  expect(sections('/anket/vatandas-anketi/')).toBe(t.catalog.find('vatandas-anketi')!.sections.length);
  expect(sections(`${link}/`)).toBe(t.catalog.find('kurum-gorus-formu')!.sections.length);
  expect(pages).toHaveLength(5 + sections('/anket/vatandas-anketi/') + sections(`${link}/`));
  for (const [url, html] of pages) expect({ url, ...noticeLink(html) }).toEqual({ url, ...LINKED });
});

it('keeps the notice out of the institution request form’s box, which only declares authority', async () => {
  const page = await request(t.app).get('/kurum-gorusu');
  const label = /<label class="opt"><input type="checkbox" id="reg-authority"[\s\S]*?<\/label>/.exec(page.text)![0];
  expect(label).toContain('Kurum adına başvurmaya yetkili olduğumu beyan ederim.');
  expect(label).not.toMatch(/aydınlatma|aydinlatma/i);
  expect(noticeLink(page.text)).toEqual(LINKED);
  // Only the declaration is required now; nothing about having read the notice is asked.
  const english = await request(t.app).get('/kurum-gorusu?lang=en');
  expect(english.text).toContain('I declare that I am authorised to act on behalf of the institution.');
  expect(english.text).not.toContain('read the privacy notice');
});

it('finds a notice link inside a label when there is one (the check above can fail)', () => {
  const bundled = '<main id="main"><form><label><input type="checkbox" name="x"> I read the <a href="/aydinlatma-metni">notice</a></label></form></main>';
  expect(noticeLink(bundled)).toEqual({ inMain: true, beforeFields: false, inLabel: true });
  expect(noticeLink('<main id="main"><form><input type="text" name="a"></form></main><footer><a href="/aydinlatma-metni">x</a></footer>')).toEqual({ inMain: false, beforeFields: false, inLabel: false });
});
