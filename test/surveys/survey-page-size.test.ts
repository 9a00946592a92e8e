import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { PUBLIC_DIR } from '../../server/platform/http/assets';
import { answerSection } from '../helpers/forms';
import { validSectionFields } from '../helpers/survey-walker';
import { createTestApp, type TestApp } from '../helpers/test-app';

const LIMIT = 30 * 1024;
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(async () => {
  await t.close();
});

describe('survey section pages', () => {
  const css = fs.statSync(path.join(PUBLIC_DIR, 'css', 'app.css')).size;

  it.each(['vatandas-anketi', 'kurum-gorus-formu'])('of %s stay under 30 KB with their CSS, uncompressed, in both languages', async (slug) => {
    const survey = t.catalog.find(slug)!;
    for (const lang of ['tr', 'en']) {
      const agent = request.agent(t.app);
      await agent.get(`/anket/${slug}?lang=${lang}`);
      for (let index = 0; index < survey.sections.length; index++) {
        const url = `/anket/${slug}/${index + 1}`;
        const page = await agent.get(url).set('Accept-Encoding', 'identity');
        expect(page.status).toBe(200);
        const bytes = Buffer.byteLength(page.text) + css;
        expect({ url, lang, bytes, under: bytes < LIMIT }).toEqual({ url, lang, bytes, under: true });
        await answerSection(agent, url, validSectionFields(survey, index));
      }
    }
  });
});
