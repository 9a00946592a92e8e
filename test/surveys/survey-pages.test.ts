// Every public survey page, in both languages: valid HTML, and small enough for a slow phone.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { PUBLIC_DIR } from '../../server/platform/http/assets';
import { answerSection, encodeForm, hiddenFields } from '../helpers/forms';
import { htmlProblems } from '../helpers/html';
import { validSectionFields } from '../helpers/survey-walker';
import { invitedInstitution } from '../helpers/invitation';
import { createTestApp, FIXTURE_SURVEYS, type TestApp } from '../helpers/test-app';

const LIMIT = 30 * 1024;
const css = fs.statSync(path.join(PUBLIC_DIR, 'css', 'app.css')).size;
let t: TestApp;
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

async function expectValid(url: string, html: string) {
  expect({ url, problems: await htmlProblems(html) }).toEqual({ url, problems: [] });
}

describe('survey section pages', () => {
  beforeEach(async () => {
    t = await createTestApp();
  });

  it.each(['vatandas-anketi', 'kurum-gorus-formu'])('of %s are valid HTML under 30 KB with their CSS, uncompressed, in both languages', async (slug) => {
    const survey = t.catalog.find(slug)!;
    for (const lang of ['tr', 'en'] as const) {
      const agent = request.agent(t.app);
      // Institutions answer behind their invitation's link, citizens at the survey's address.
      const base = survey.audience === 'institution' ? (await invitedInstitution(t, { name: `Kurum ${lang}`, language: lang })).link : `/anket/${slug}`;
      await agent.get(`${base}?lang=${lang}`);
      for (let index = 0; index < survey.sections.length; index++) {
        const url = `${base}/${index + 1}`;
        const page = await agent.get(url).set('Accept-Encoding', 'identity');
        expect(page.status).toBe(200);
        const bytes = Buffer.byteLength(page.text) + css;
        expect({ url, lang, bytes, under: bytes < LIMIT }).toEqual({ url, lang, bytes, under: true });
        await expectValid(`${url} (${lang})`, page.text);
        await answerSection(agent, url, validSectionFields(survey, index));
      }
    }
  });
});

describe('every other public page', () => {
  it('is valid HTML: home, privacy, intro, errors, thank-you, already answered, closed, 404', async () => {
    t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });
    const agent = request.agent(t.app);
    const survey = t.catalog.find('tum-soru-tipleri')!;
    const pages: [string, string][] = [];
    for (const url of ['/', '/aydinlatma-metni', '/anket/tum-soru-tipleri', '/yok', '/anket/yok']) pages.push([url, (await agent.get(url)).text]);
    for (let index = 0; index < 3; index++) {
      const url = `/anket/tum-soru-tipleri/${index + 1}`;
      pages.push([url, (await agent.get(url)).text]);
      const invalid = await agent.post(url).type('form').send(encodeForm({ ...hiddenFields(pages.at(-1)![1]), _nav: 'next' }));
      pages.push([`${url} with errors`, invalid.text]);
      await answerSection(agent, url, validSectionFields(survey, index));
    }
    pages.push(['thank-you', (await agent.get('/anket/tum-soru-tipleri/tesekkurler')).text]);
    pages.push(['already answered', (await agent.get('/anket/tum-soru-tipleri')).text]);
    t.clock.now = new Date('2027-06-01T12:00:00+03:00');
    pages.push(['closed', (await agent.get('/anket/tum-soru-tipleri')).text]);
    pages.push(['csrf', (await request(t.app).post('/anket/tum-soru-tipleri/1').type('form').send('_nav=next')).text]);
    for (const [url, html] of pages) await expectValid(url, html);
    expect(pages).toHaveLength(15);
  });
});

describe('HTTP caching of pages', () => {
  it('sends no ETag with a page (its form token makes every copy unique); assets are cached by their fingerprinted name', async () => {
    t = await createTestApp();
    const page = await request(t.app).get('/anket/vatandas-anketi/1');
    expect(page.status).toBe(200);
    expect(page.headers.etag).toBeUndefined();
    const css = /href="(\/static\/css\/app\.[0-9a-f]+\.css)"/.exec(page.text)![1]!;
    const asset = await request(t.app).get(css);
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['last-modified']).toEqual(expect.any(String));
  });
});
