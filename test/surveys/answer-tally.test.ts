// The running counts must always equal a GROUP BY over the included responses' answers, whatever
// happened: completed online, typed in, excluded, restored, superseded, generated in bulk.
import { sql } from 'kysely';
import * as tallyMigration from '../../server/platform/db/migrations/2026_11_21_14_create_answer_tallies';
import * as tallyRebuild from '../../server/platform/db/migrations/2026_11_21_15_rebuild_answer_tallies';
import { responseRepository } from '../../server/surveys';
import * as resultsRepository from '../../server/analysis/results.repository';
import { answerTallyRepository } from '../../server/surveys';
import { insertSyntheticResponses } from '../../server/surveys/synthetic-responses';
import { addUser, csrfFrom, logIn } from '../helpers/admin';
import { respond } from '../helpers/respond';
import { validSectionFields } from '../helpers/survey-walker';
import { createTestApp, FIXTURE_SURVEYS, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ surveysDir: FIXTURE_SURVEYS });
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const SLUG = 'tum-soru-tipleri';
const sorted = <T>(rows: T[]) => rows.map((r) => JSON.stringify(r)).sort();

async function expectTalliesMatchAnswers(): Promise<void> {
  const raw = await resultsRepository.answerCounts(t.db, SLUG, { answers: [] });
  const tallies = await answerTallyRepository.tallies(t.db, SLUG);
  expect(sorted(tallies)).toEqual(sorted(raw));
  expect(await answerTallyRepository.respondents(t.db, SLUG)).toEqual(await resultsRepository.respondentsPerQuestion(t.db, SLUG, { answers: [] }));
}

describe('answer tallies', () => {
  it('follow responses generated in bulk, answered online, excluded and restored', async () => {
    const survey = t.catalog.find(SLUG)!;
    await insertSyntheticResponses(t.db, survey, { count: 120, seed: 3 });
    await respond(t, survey, Object.assign({}, ...survey.sections.map((_, i) => validSectionFields(survey, i))));
    await expectTalliesMatchAnswers();
    expect((await answerTallyRepository.tallies(t.db, SLUG)).length).toBeGreaterThan(20);

    const planner = await logIn(t, await addUser(t, 'planner'));
    const page = await planner.get(`/admin/surveys/${SLUG}/responses/5`);
    for (const id of [5, 6, 7]) {
      const res = await planner.post(`/admin/surveys/${SLUG}/responses/${id}/exclude`).type('form').send({ _csrf: csrfFrom(page.text), reason: 'test' });
      expect(res.status).toBe(303);
    }
    // Excluding twice, or changing the reason, moves nothing.
    await planner.post(`/admin/surveys/${SLUG}/responses/6/exclude`).type('form').send({ _csrf: csrfFrom(page.text), reason: 'spam' });
    await expectTalliesMatchAnswers();
    await planner.post(`/admin/surveys/${SLUG}/responses/6/restore`).type('form').send({ _csrf: csrfFrom(page.text) });
    await expectTalliesMatchAnswers();
    expect(await resultsRepository.countResponses(t.db, SLUG, { answers: [] })).toBe(119);
  });

  it('are filled by the migrations from the answers already stored, spelled as the application spells them', async () => {
    const survey = t.catalog.find(SLUG)!;
    await insertSyntheticResponses(t.db, survey, { count: 60, seed: 9 });
    await t.db.updateTable('responses').set({ excluded_at: '2026-11-21T10:00:00.000Z', exclusion_reason: 'test' }).where('id', '<=', 10).execute();
    await tallyMigration.down(t.db);
    await tallyMigration.up(t.db);
    await tallyRebuild.up(t.db);
    await expectTalliesMatchAnswers();
    // Counts filled by the migrations and counts kept by the application are one and the same:
    // taking a response away (or back) afterwards keeps them equal to the answers.
    for (const id of [11, 12, 13]) await responseRepository.setExclusion(t.db, id, { at: '2026-11-21T11:00:00.000Z', by: null, reason: 'spam', note: null });
    await responseRepository.setExclusion(t.db, 5, null);
    await expectTalliesMatchAnswers();
    expect(await resultsRepository.countResponses(t.db, SLUG, { answers: [] })).toBe(48);
    const total = await sql<{ n: number }>`select sum(respondents) as n from question_respondents`.execute(t.db);
    expect(Number(total.rows[0]!.n)).toBeGreaterThan(0);
  });
});
