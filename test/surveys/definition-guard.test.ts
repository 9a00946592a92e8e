import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { findUnreadableAnswers, removedUsages } from '../../server/surveys/definition-guard';
import { loadCatalog } from '../../server/surveys/survey-catalog';
import { completeSurvey, validSectionFields } from '../helpers/survey-walker';
import { createTestApp, FIXTURE_SURVEYS, tempDir, type TestApp } from '../helpers/test-app';

let t: TestApp;
let dir: string;
const file = () => path.join(dir, 'tum-soru-tipleri.json');
const edit = (change: (survey: any) => void) => {
  const survey = JSON.parse(fs.readFileSync(file(), 'utf8'));
  change(survey);
  fs.writeFileSync(file(), JSON.stringify(survey));
};

beforeEach(async () => {
  dir = tempDir('paydas-guard-');
  for (const name of fs.readdirSync(FIXTURE_SURVEYS)) fs.copyFileSync(path.join(FIXTURE_SURVEYS, name), path.join(dir, name));
  t = await createTestApp({ surveysDir: dir, now: new Date('2026-06-01T12:00:00+03:00') });
  const survey = t.catalog.find('tum-soru-tipleri')!;
  // One stored response that chose renk = mavi and rated memnuniyet with 1s.
  await completeSurvey(request.agent(t.app), survey, (i) => (i === 0 ? { ...validSectionFields(survey, 0), renk: 'mavi' } : validSectionFields(survey, i)));
});
afterEach(async () => {
  await t.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('findUnreadableAnswers at start-up', () => {
  it('accepts the unchanged definition', async () => {
    expect(await findUnreadableAnswers(t.db, loadCatalog(dir))).toEqual([]);
  });

  it('accepts added questions and options, and removed options nobody chose', async () => {
    edit((s) => {
      s.sections[0].questions[0].options.push({ id: 'yesil', label: { tr: 'Yeşil' } });
      s.sections[0].questions[3].options = s.sections[0].questions[3].options.filter((o: any) => o.id !== 'hayir');
      s.sections[2].questions.push({ kind: 'short_text', id: 'yeni', text: { tr: 'Yeni soru' } });
    });
    expect(await findUnreadableAnswers(t.db, loadCatalog(dir))).toEqual([]);
  });

  it('refuses a removed option that stored answers use', async () => {
    edit((s) => {
      s.sections[0].questions[1].options = s.sections[0].questions[1].options.filter((o: any) => o.id !== 'otobus');
    });
    expect(await findUnreadableAnswers(t.db, loadCatalog(dir))).toEqual([
      'surveys/tum-soru-tipleri.json: option "otobus" of question "ulasim" was removed, but 1 stored answers use it; put it back, or publish the changed survey under a new slug.',
    ]);
  });

  it('refuses a renamed question, a changed kind and a shortened scale', async () => {
    edit((s) => {
      s.sections[2].questions.find((q: any) => q.id === 'yas').id = 'yasiniz';
      s.sections[0].questions.find((q: any) => q.id === 'evcil').kind = 'select';
      s.sections[1].questions[0].scale = s.sections[1].questions[0].scale.slice(1);
    });
    const problems = await findUnreadableAnswers(t.db, loadCatalog(dir));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('question "yas" was removed, but 1 stored answers use it'),
        expect.stringContaining('question "evcil" changed kind from single_choice to select'),
        expect.stringContaining('value 1 of question "memnuniyet" was removed, but 3 stored answers use it'),
      ]),
    );
  });

  it('refuses dropping "Bilgim yok" once used, lowering a ranking below stored ranks, and removing a shared list item in use', async () => {
    // The stored response chose na for one row, and ranked two items.
    await t.db.updateTable('answers').set({ not_applicable: 1, value: null }).where('question_id', '=', 'memnuniyet').where('option_id', '=', 'yollar').execute();
    edit((s) => {
      delete s.sections[1].questions[0].notApplicable;
      s.sections[1].questions[2].rankCount = 1;
    });
    const municipality = JSON.parse(fs.readFileSync(path.join(dir, 'municipality.json'), 'utf8'));
    municipality.mahalles = municipality.mahalles.filter((m: { id: string }) => m.id !== 'merkez');
    fs.writeFileSync(path.join(dir, 'municipality.json'), JSON.stringify(municipality));
    const problems = await findUnreadableAnswers(t.db, loadCatalog(dir));
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('the "don\'t know" answer of question "memnuniyet" was removed, but 1 stored answers use it'),
        expect.stringContaining('ranks above 1 of question "oncelik" was removed, but 1 stored answers use it'),
        expect.stringContaining('option "merkez" of question "mahalle" was removed, but 1 stored answers use it'),
      ]),
    );
  });

  it('refuses a missing survey file that has responses', async () => {
    fs.rmSync(file());
    expect(await findUnreadableAnswers(t.db, loadCatalog(dir))).toEqual([
      'surveys/tum-soru-tipleri.json is missing, but 1 stored responses belong to it; restore the file.',
    ]);
  });
});

describe('removedUsages', () => {
  it('lists question, option and value ids the newer definition lacks', () => {
    const older = loadCatalog(FIXTURE_SURVEYS).find('tum-soru-tipleri')!;
    const newer = { ...older, sections: older.sections.slice(0, 1) };
    const removed = removedUsages(older, newer).map((usage) => usage.what);
    expect(removed).toContain('question "memnuniyet"');
    expect(removed).toContain('question "yas"');
    expect(removed).not.toContain('question "renk"');
  });
});
