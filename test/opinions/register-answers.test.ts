// The institution type is filled from the stakeholder register through the form's registerMap:
// a mapped group is answered beforehand (and a section left with nothing to ask is skipped, both
// ways); a group the map does not name is asked the question, never recorded as "Diğer".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { answerSection, encodeForm, errorSummary, hiddenFields } from '../helpers/forms';
import { invitedInstitution } from '../helpers/invitation';
import { validSectionFields } from '../helpers/survey-walker';
import { BUNDLED_SURVEYS, createTestApp, type TestApp } from '../helpers/test-app';

const SLUG = 'kurum-gorus-formu';
let t: TestApp;
let dir: string;

/** The bundled surveys, with the institution type moved to a section of its own (first). */
function surveysWithTypeAlone(): string {
  const target = fs.mkdtempSync(path.join(os.tmpdir(), 'paydas-register-'));
  for (const file of fs.readdirSync(BUNDLED_SURVEYS)) fs.copyFileSync(path.join(BUNDLED_SURVEYS, file), path.join(target, file));
  const file = path.join(target, `${SLUG}.json`);
  const form = JSON.parse(fs.readFileSync(file, 'utf8'));
  const [type, ...rest] = form.sections[0].questions;
  expect(type.id).toBe('kurum_turu');
  form.sections[0].questions = rest;
  form.sections.unshift({ id: 'kurum_turu_bolumu', title: { tr: 'Kurum türü', en: 'Institution type' }, questions: [type] });
  fs.writeFileSync(file, JSON.stringify(form));
  return target;
}

beforeEach(async () => {
  dir = surveysWithTypeAlone();
  t = await createTestApp({ surveysDir: dir });
});

afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const survey = () => t.catalog.find(SLUG)!;
const storedType = async () =>
  (await t.db.selectFrom('answers').select('option_id').where('question_id', '=', 'kurum_turu').execute()).map((row) => row.option_id);

describe('the institution type filled from the register', () => {
  it('skips the section whose only question the register answers, forward and back, and stores the mapped option', async () => {
    const { link } = await invitedInstitution(t, { group: 'universite' });
    const agent = request.agent(t.app);

    // Section 1 holds only the institution type: asking for it leads on to section 2.
    const first = await agent.get(`${link}/1`);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(`${link}/2`);
    const second = await agent.get(`${link}/2`);
    expect(second.status).toBe(200);
    expect(second.text).not.toContain('name="kurum_turu"');
    // Counted among the sections the person sees: section 2 is the first of six, not the second of seven.
    expect(second.text).toContain('Bölüm 1 / 6');

    // "Back" from the first section shown goes to the form's start, not to the empty section.
    const back = await agent.post(`${link}/2`).type('form').send(encodeForm({ ...hiddenFields(second.text), _nav: 'back' }));
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe(link);

    let url = `${link}/2`;
    for (let step = 0; step < 10 && !url.endsWith('/alindi'); step++) {
      const index = Number(url.split('/').pop()) - 1;
      const { response } = await answerSection(agent, url, validSectionFields(survey(), index));
      expect(response.status).toBe(303);
      expect(response.headers.location).not.toBe(`${link}/1`);
      url = response.headers.location!;
    }
    expect(url).toBe(`${link}/alindi`);
    expect(await storedType()).toEqual(['universite']);
  });

  it('asks an institution whose group the map does not name, and stores what it chose', async () => {
    const { link } = await invitedInstitution(t, { name: 'Gençlik Meclisi', group: 'vatandas_grubu' });
    const agent = request.agent(t.app);
    const page = await agent.get(`${link}/1`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('name="kurum_turu"');

    // Not answered: refused like any required question, nothing recorded as "Diğer".
    const empty = await agent.post(`${link}/1`).type('form').send(encodeForm({ ...hiddenFields(page.text), _nav: 'next' }));
    expect(empty.status).toBe(422);
    expect(errorSummary(empty.text)).toEqual(['#f-kurum_turu']);

    const { response } = await answerSection(agent, `${link}/1`, { kurum_turu: 'stk' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`${link}/2`);
    let url = `${link}/2`;
    for (let step = 0; step < 10 && !url.endsWith('/alindi'); step++) {
      const index = Number(url.split('/').pop()) - 1;
      const next = await answerSection(agent, url, validSectionFields(survey(), index));
      expect(next.response.status).toBe(303);
      url = next.response.headers.location!;
    }
    expect(url).toBe(`${link}/alindi`);
    expect(await storedType()).toEqual(['stk']);
  });
});
