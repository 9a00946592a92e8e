// The quality checks on the demo consultation, whose citizens answer at a person's pace with varied
// answers: the share flagged is the checks' false-positive rate on people, printed for the record.
import { seedDemoData } from '../../server/demo/demo-data';
import { createI18n } from '../../server/platform/i18n/i18n';
import { QUALITY_REASONS } from '../../server/surveys/quality/quality-checks';
import { createTestApp, TEST_BASE_URL, TEST_SECRET, type TestApp } from '../helpers/test-app';

describe('quality flags on the demo data', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
    const outcome = await seedDemoData(t.db, t.catalog, {
      now: t.clock.now,
      citizenResponses: 1500,
      seed: 1,
      mailer: t.mailer,
      baseUrl: TEST_BASE_URL,
      secret: TEST_SECRET,
      i18n: createI18n(),
      timeZone: 'Europe/Istanbul',
    });
    expect(outcome.kind).toBe('seeded');
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  it('assesses every complete citizen response and flags few of them', async () => {
    const complete = await t.db.selectFrom('responses').select('id').where('survey_slug', '=', 'vatandas-anketi').where('status', '=', 'complete').execute();
    const assessed = await t.db.selectFrom('response_quality').select('response_id').where('survey_slug', '=', 'vatandas-anketi').execute();
    expect(assessed).toHaveLength(complete.length);
    const flags = await t.db.selectFrom('response_flags').select(['response_id', 'reason']).execute();
    const rate = (n: number) => `${n}/${complete.length} = ${((100 * n) / complete.length).toFixed(2)} %`;
    const perReason = Object.fromEntries(QUALITY_REASONS.map((reason) => [reason, flags.filter((f) => f.reason === reason).length]));
    const flagged = new Set(flags.map((f) => f.response_id)).size;
    console.log(
      `Quality flags on the demo data (false positives): any ${rate(flagged)}; ` +
        QUALITY_REASONS.map((reason) => `${reason} ${rate(perReason[reason]!)}`).join('; '),
    );
    // People are rarely flagged; the demo has no network addresses, so no bursts at all.
    expect(flagged / complete.length).toBeLessThan(0.02);
    expect(perReason.burst).toBe(0);
    // And nothing was excluded by a flag.
    const excluded = await t.db.selectFrom('responses').select('exclusion_reason').where('excluded_at', 'is not', null).where('survey_slug', '=', 'vatandas-anketi').execute();
    expect(excluded.every((row) => row.exclusion_reason === 'test' || row.exclusion_reason === 'duplicate')).toBe(true);
  });
});
