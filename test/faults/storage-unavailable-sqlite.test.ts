// SQLite only (jest.config.js leaves *-sqlite.test.ts to the SQLite pass): every case sets pragmas
// or takes file locks on the SQLite file itself.
// The database refuses writes while requests come in: a read-only file system (PRAGMA query_only
// on the app's own connection: every write fails with SQLITE_READONLY, as on a file system
// remounted read-only), a full disk (PRAGMA max_page_count pinned to the file's size: a write
// that needs a new page fails with SQLITE_FULL, exactly as when the disk has no room left), and
// a lock held by another process (a second connection in BEGIN EXCLUSIVE: SQLITE_BUSY after
// busy_timeout). Posts that need a write get a 503 page in the reader's language with
// Retry-After, nothing half-written; reads keep working; the same app then accepts the next posts.
import SQLite from 'better-sqlite3';
import path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { isStorageUnavailable } from '../../server/platform/http/error-handler';
import { answerSection } from '../helpers/forms';
import { signUp, scheduleMeeting } from '../helpers/meetings';
import { completeSurvey, validSectionFields } from '../helpers/survey-walker';
import { createTestApp, queueTestMail, tempDir, type TestApp } from '../helpers/test-app';

jest.setTimeout(60_000);

let t: TestApp;
let databaseFile: string;

beforeEach(async () => {
  databaseFile = path.join(tempDir('paydas-storage-'), 'paydas.sqlite');
  t = await createTestApp({ databaseFile });
});

afterEach(async () => {
  // A 503 is logged for the operator; nothing else may be.
  expect(t.logged.filter((error) => !isStorageUnavailable(error))).toEqual([]);
  await t.close();
});

const survey = () => t.catalog.find('vatandas-anketi')!;
const last = () => survey().sections.length;
const counts = async () => ({
  responses: (await t.db.selectFrom('responses').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  complete: (await t.db.selectFrom('responses').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'complete').executeTakeFirstOrThrow()).n,
  answers: (await t.db.selectFrom('answers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  registrations: (await t.db.selectFrom('meeting_registrations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
  outbox: (await t.db.selectFrom('outbox_messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
});

/** Answers every section but the last, so the last post is the one that completes the response. */
async function upToLastSection(agent: TestAgent): Promise<string> {
  const s = survey();
  for (let index = 0; index < s.sections.length - 1; index++) {
    const { response } = await answerSection(agent, `/anket/${s.slug}/${index + 1}`, validSectionFields(s, index));
    expect(response.status).toBe(303);
  }
  return `/anket/${s.slug}/${last()}`;
}

function expectUnavailablePage(response: request.Response, language: 'tr' | 'en') {
  expect(response.status).toBe(503);
  expect(response.headers['retry-after']).toBe('30');
  expect(response.text).toContain(language === 'tr' ? 'Şu anda kaydedilemiyor' : 'Cannot save right now');
  expect(response.text).not.toMatch(/SQLITE|at .*\.ts:/);
}

describe('a database that refuses writes', () => {
  it('read-only: 503 in the reader\'s language, reads still served, nothing stored, and the next post succeeds', async () => {
    const tr = request.agent(t.app);
    const en = request.agent(t.app);
    await en.get('/?lang=en');
    const trLast = await upToLastSection(tr);
    const enLast = await upToLastSection(en);
    const meeting = await scheduleMeeting(t);
    const before = await counts();

    t.sqlite.pragma('query_only = 1');
    const trPost = await answerSection(tr, trLast, validSectionFields(survey(), last() - 1));
    expectUnavailablePage(trPost.response, 'tr');
    const enPost = await answerSection(en, enLast, validSectionFields(survey(), last() - 1));
    expectUnavailablePage(enPost.response, 'en');
    // Many at once, on every kind of public write: all 503, none a 500.
    const burst = await Promise.all([
      ...Array.from({ length: 10 }, () => answerSection(request.agent(t.app), `/anket/${survey().slug}/1`, validSectionFields(survey(), 0)).then((r) => r.response.status)),
      ...Array.from({ length: 10 }, (_, i) => signUp(request.agent(t.app), meeting, { name: `Komşu ${i}`, phone: `0532 000 00 ${String(i).padStart(2, '0')}` }).then((r) => r.status)),
    ]);
    expect(burst).toEqual(Array(20).fill(503));
    const json = await tr.post(trLast).set('Accept', 'application/json').type('form').send({ _csrf: 'x' });
    expect([403, 503]).toContain(json.status);
    // Reads go on: the home page, the survey's intro, the meetings list and a meeting's page.
    for (const url of ['/', `/anket/${survey().slug}`, '/bulusmalar', `/bulusmalar/${meeting}`]) {
      expect([url, (await request(t.app).get(url)).status]).toEqual([url, 200]);
    }
    expect(await counts()).toEqual(before);

    t.sqlite.pragma('query_only = 0');
    // The same app, the same drafts: the very posts that were refused now complete.
    const again = await answerSection(tr, trLast, validSectionFields(survey(), last() - 1));
    expect(again.response.status).toBe(303);
    expect(again.response.headers.location).toMatch(/\/tesekkurler$/);
    expect((await answerSection(en, enLast, validSectionFields(survey(), last() - 1))).response.status).toBe(303);
    expect((await signUp(request.agent(t.app), meeting, { name: 'Komşu', phone: '0532 000 00 99' })).status).toBe(303);
    const after = await counts();
    expect(after.complete).toBe(before.complete + 2);
    expect(after.registrations).toBe(before.registrations + 1);
  });

  it('full disk: under concurrent submissions every post is stored whole or refused with a 503, never a 500', async () => {
    const s = survey();
    const agents = Array.from({ length: 12 }, () => request.agent(t.app));
    const lasts = await Promise.all(agents.map(upToLastSection));
    const before = await counts();
    const pages = t.sqlite.pragma('page_count', { simple: true }) as number;
    // Room for not a single new page: SQLite clamps this to the size the file has now.
    t.sqlite.pragma(`max_page_count = ${pages}`);
    const final = await Promise.all(agents.map((agent, i) => answerSection(agent, lasts[i]!, validSectionFields(s, last() - 1)).then((r) => r.response)));
    const statuses = final.map((response) => response.status);
    expect(statuses.every((status) => status === 303 || status === 503)).toBe(true);
    expect(statuses).toContain(503);
    for (const response of final.filter((r) => r.status === 503)) expectUnavailablePage(response, 'tr');
    const during = await counts();
    // Whole responses only: each acknowledged one complete with all its answers, no others.
    const acknowledged = statuses.filter((status) => status === 303).length;
    expect(during.complete).toBe(before.complete + acknowledged);
    const partial = await t.db
      .selectFrom('responses')
      .select('id')
      .where('status', '=', 'complete')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('answers').select('id').whereRef('answers.response_id', '=', 'responses.id').where('question_id', '=', 'proje_fikri'))))
      .execute();
    expect(partial).toEqual([]);

    t.sqlite.pragma('max_page_count = 1073741823');
    const retried = await Promise.all(
      agents.map((agent, i) => (final[i]!.status === 503 ? answerSection(agent, lasts[i]!, validSectionFields(s, last() - 1)).then((r) => r.response.status) : 303)),
    );
    expect(retried).toEqual(Array(agents.length).fill(303));
    expect((await counts()).complete).toBe(before.complete + agents.length);
    expect(t.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
  });

  it('locked by another process: a post waits out DB_WRITE_WAIT_MS (on timers, see locked-database.test.ts), gets a 503, reads go on, and the next post succeeds once the lock is gone', async () => {
    const agent = request.agent(t.app);
    const url = await upToLastSection(agent);
    const before = await counts();
    const other = new SQLite(databaseFile);
    try {
      other.exec('BEGIN EXCLUSIVE');
      const started = Date.now();
      const post = answerSection(agent, url, validSectionFields(survey(), last() - 1));
      // While the post waits for the lock, WAL readers are not blocked.
      expect((await request(t.app).get(`/anket/${survey().slug}`)).status).toBe(200);
      expectUnavailablePage((await post).response, 'tr');
      expect(Date.now() - started).toBeGreaterThanOrEqual(4000);
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    expect(await counts()).toEqual(before);
    expect((await answerSection(agent, url, validSectionFields(survey(), last() - 1))).response.status).toBe(303);
    expect((await counts()).complete).toBe(before.complete + 1);
  });

  it('the outbox worker fails a round on an unwritable database without stopping, and sends once it is writable', async () => {
    // Queued straight through the mailer, which (unlike a route) does not wake the worker.
    await queueTestMail(t, 'oda@example.org', { institution: 'Mimarlar Odası' });
    t.sqlite.pragma('query_only = 1');
    // The mail reached the transport, but recording it cannot: the worker's round rejects (the
    // server's timer logs it) after retrying; the process and the worker go on.
    const failing = t.worker.runOnce();
    await expect(failing).rejects.toMatchObject({ code: 'SQLITE_READONLY' });
    t.sqlite.pragma('query_only = 0');
    const next = await t.worker.runOnce();
    // The unrecorded message is sent again: at-least-once, with the same Message-ID so the
    // receiving side can tell (documented in outbox-worker.ts).
    expect(next.sent).toBe(1);
    expect(new Set(t.sent.map((m) => m.messageId)).size).toBe(1);
    const rows = await t.db.selectFrom('outbox_messages').select('status').execute();
    expect(rows.map((r) => r.status)).toEqual(['sent']);
  });

  it('completes a survey through the same app after all of the above kinds of refusal were lifted', async () => {
    t.sqlite.pragma('query_only = 1');
    expect((await answerSection(request.agent(t.app), `/anket/${survey().slug}/1`, validSectionFields(survey(), 0))).response.status).toBe(503);
    t.sqlite.pragma('query_only = 0');
    await completeSurvey(request.agent(t.app), survey());
    expect((await counts()).complete).toBe(1);
  });
});
