// The demo consultation on the bundled surveys: it fills an empty database so every table and
// figure of the report has something to show, never touches a database that holds data, and is
// the same for the same seed.
import { sql } from 'kysely';
import { tableNames } from '../helpers/database-dump';
import { maskPersonalData, MASKS } from '../../server/analysis/coding/personal-data';
import { figuresOf, tablesOf, TABLE_IDS, type Report } from '../../server/analysis/report/report-model';
import { seedDemoData, type DemoOutcome } from '../../server/demo/demo-data';
import { stakeholderService } from '../../server/stakeholders';
import { createI18n } from '../../server/platform/i18n/i18n';
import { addUser, logIn } from '../helpers/admin';
import { createTestApp, TEST_BASE_URL, type TestApp } from '../helpers/test-app';
import { builtReport } from '../helpers/report';

const i18n = createI18n();
const SECRET = 'test-secret-that-is-long-enough-for-hmac-0123456789';

const seed = (t: TestApp, seedValue = 7): Promise<DemoOutcome> =>
  seedDemoData(t.db, t.catalog, { now: t.clock.now, citizenResponses: 300, seed: seedValue, mailer: t.mailer, baseUrl: TEST_BASE_URL, secret: SECRET, i18n, timeZone: 'Europe/Istanbul' });

async function report(t: TestApp): Promise<Report> {
  return builtReport(t);
}

/** Rows per table: what "changes nothing" is checked against. */
async function rowCounts(t: TestApp): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const name of await tableNames(t.db)) {
    counts[name] = Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(name)}`.execute(t.db)).rows[0]!.n);
  }
  return counts;
}

describe('seedDemoData', () => {
  let t: TestApp;
  let outcome: DemoOutcome;

  beforeAll(async () => {
    t = await createTestApp();
    outcome = await seed(t);
  }, 30_000);
  afterAll(async () => {
    await t.close();
  });

  describe('on an empty database', () => {
    it('stores a whole consultation and queues its mail without sending it', async () => {
      expect(outcome.kind).toBe('seeded');
      if (outcome.kind !== 'seeded') return;
      expect(outcome.summary).toMatchObject({
        stakeholders: 18,
        invitations: 13,
        answered: 8,
        revoked: 1,
        citizenResponses: 300,
        drafts: 20,
        excluded: 10,
        meetingsHeld: 4,
        meetingsCancelled: 1,
        requests: 16,
        activities: 3,
        findings: 4,
      });
      const outbox = await t.db.selectFrom('outbox_messages').select(['kind', 'status']).execute();
      expect(outbox).toHaveLength(outcome.summary.mails);
      expect(outbox.filter((m) => m.kind === 'invitation')).toHaveLength(13);
      expect(outbox.filter((m) => m.kind === 'receipt')).toHaveLength(8);
      expect(outbox.some((m) => m.status === 'sent')).toBe(false);
      expect(t.sent).toEqual([]);
    });

    it('links each institution answer to its invitation, as the opinion form does', async () => {
      const answered = await t.db
        .selectFrom('invitations as i')
        .innerJoin('responses as r', 'r.id', 'i.response_id')
        .select(['r.survey_slug', 'r.status', 'r.submitted_at', 'i.submitted_at as invitation_submitted_at', 'i.opened_at', 'i.draft_saved_at'])
        .execute();
      expect(answered).toHaveLength(8);
      for (const row of answered) {
        expect(row).toMatchObject({ survey_slug: 'kurum-gorus-formu', status: 'complete', invitation_submitted_at: row.submitted_at });
        expect(row.opened_at).not.toBeNull();
        expect(row.draft_saved_at).not.toBeNull();
      }
    });

    it('names a clerk as "Giren" on every paper and face-to-face questionnaire, in the list too', async () => {
      const entries = await t.db
        .selectFrom('responses as r')
        .leftJoin('users as u', 'u.id', 'r.entered_by')
        .select(['r.channel', 'u.name'])
        .where('r.channel', '!=', 'online')
        .execute();
      expect(entries.length).toBeGreaterThan(50);
      expect(new Set(entries.map((e) => e.name))).toEqual(new Set(['Zeynep Arslan', 'Emre Koç']));
      const admin = await logIn(t, await addUser(t, 'admin'));
      const list = (await admin.get('/admin/surveys/vatandas-anketi/responses?channel=paper')).text;
      const rows = [...list.matchAll(/<tr>\s*<td><a href[\s\S]*?<\/tr>/g)].map((m) => m[0]);
      expect(rows).toHaveLength(50);
      for (const row of rows) expect(row).toMatch(/<td>(Zeynep Arslan|Emre Koç)<\/td>\s*<\/tr>/);
    });
  });

  describe('when the database already holds data', () => {
    it('refuses and changes nothing', async () => {
      const before = await rowCounts(t);

      const again = await seed(t);

      expect(again).toEqual({ kind: 'data_exists', stakeholders: 18, responses: 300 + 10 + 20 + 8, meetings: 5 });
      expect(await rowCounts(t)).toEqual(before);
    });

    it('refuses a register with a single entry too', async () => {
      const other = await createTestApp();
      try {
        await stakeholderService.create(
          other.db,
          { name: 'Fen İşleri', group: 'kamu', scope: 'internal', type: null, emails: [], contactPerson: null, areas: [], reason: null, importance: 3, influence: 3, language: 'tr' },
          { userId: null, email: 'test', ip: null },
          other.clock.now,
        );
        expect(await seed(other)).toMatchObject({ kind: 'data_exists', stakeholders: 1 });
      } finally {
        await other.close();
      }
    });
  });

  describe('the report built from it', () => {
    let built: Report;
    beforeAll(async () => {
      built = await report(t);
    });

    it('has rows in every table T1–T17 and data in every figure', () => {
      const tables = tablesOf(built);
      expect(tables.map((table) => table.id)).toEqual([...TABLE_IDS]);
      for (const table of tables) {
        expect({ id: table.id, empty: table.empty }).toEqual({ id: table.id, empty: undefined });
        expect(table.rows.length).toBeGreaterThan(0);
      }
      expect(figuresOf(built).map((figure) => [figure.id, figure.data !== null])).toEqual([
        ['F1', true],
        ['F2', true],
        ['F3', true],
      ]);
    });

    it('cites every finding’s evidence by table number', () => {
      const t17 = tablesOf(built).find((table) => table.id === 'T17')!;
      for (const row of t17.rows) {
        expect(row.cells[2]).toMatch(/^Tablo \d+ \(.+\)/);
        expect(row.cells[2]).not.toContain(i18n.translators.tr('report:row_gone'));
      }
    });

    it('has every GZFT candidate reviewed, statements saying the same thing merged with their sources added up', () => {
      const t16 = tablesOf(built).find((table) => table.id === 'T16')!;
      const reviewed = outcome.kind === 'seeded' ? outcome.summary.swotReviewed : 0;
      expect(reviewed).toBeGreaterThan(40);
      expect(t16.notes[1]).toBe(i18n.translators.tr('report:notes.t16_all_reviewed', { count: reviewed }));
      // Named by the most kinds of sources, it leads its quadrant, ahead of survey-only figures with hundreds of respondents.
      const sidewalks = t16.rows.find((row) => row.key.startsWith('weakness:'))!;
      expect(sidewalks.cells[0]).toBe('Kaldırımların bozuk ve erişilebilir olmaması');
      // Two institutions (an NGO and a muhtarlık) and one meeting request.
      expect(sidewalks.key.startsWith('weakness:')).toBe(true);
      expect(sidewalks.cells[1]).toBe(3);
      expect(String(sidewalks.cells[2])).toContain('Mahalle buluşmaları');
      expect(t16.rows.filter((row) => row.group !== undefined).map((row) => row.key.split(':')[0])).toEqual(['strength', 'weakness', 'opportunity', 'threat']);
    });

    it('shows no e-mail address or phone number in T13, T14 and T16, though the answers held some', () => {
      const cells = tablesOf(built)
        .filter((table) => ['T13', 'T14', 'T16'].includes(table.id))
        .flatMap((table) => table.rows.flatMap((row) => row.cells))
        .filter((cell): cell is string => typeof cell === 'string');

      for (const cell of cells) expect(maskPersonalData(cell)).toBe(cell);
      expect(cells.some((cell) => cell.includes(MASKS.email))).toBe(true);
      expect(cells.some((cell) => cell.includes(MASKS.phone))).toBe(true);
    });
  });

  describe('the report page', () => {
    it('shows a planner every table, none of them empty', async () => {
      const planner = await logIn(t, await addUser(t, 'planner'));

      const page = await planner.get('/admin/report');

      expect(page.status).toBe(200);
      expect(page.text).toContain('Tablo 19:');
      for (const key of ['no_stakeholders', 'no_activities', 'no_surveys', 'not_coded', 'no_institutions', 'no_meetings', 'no_swot', 'no_findings']) {
        expect(page.text).not.toContain(i18n.translators.tr(`report:empty.${key}`).replace(/'/g, '&#39;'));
      }
      expect(t.logged).toEqual([]);
    });
  });

  describe('with the same seed on another database', () => {
    it('builds the same report', async () => {
      const other = await createTestApp();
      try {
        expect((await seed(other)).kind).toBe('seeded');
        const tables = (r: Report) => tablesOf(r).map((table) => ({ id: table.id, rows: table.rows, total: table.total }));
        expect(tables(await report(other))).toEqual(tables(await report(t)));
      } finally {
        await other.close();
      }
    }, 30_000);
  });
});
