// A letter uploaded while the disk is full: a 503, nothing stored, and the same letter taken once
// there is room. The full disk is the SQLite file pinned at its size (PRAGMA max_page_count), so
// this runs on SQLite only (jest.config.js leaves *-sqlite.test.ts to the SQLite pass).
import request from 'supertest';
import { invitedInstitution } from '../helpers/invitation';
import { makePdf } from '../helpers/letter-pdf';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;

beforeEach(async () => {
  t = await createTestApp();
});

afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

describe('failures on the institution side', () => {
  it('answers 503 and stores nothing when the disk is full, and takes the same letter once there is room', async () => {
    const { link } = await invitedInstitution(t);
    // About 400 KB: a hundred new pages, where a full disk (the file pinned at its size) has none.
    const big = await makePdf({ padBytes: 400_000 });
    const agent = request.agent(t.app);
    const page = await agent.get(link);
    const token = /action="[^"]*\/yazi\?_csrf=([^"]+)"/.exec(page.text)![1]!;
    t.sqlite.pragma(`max_page_count = ${t.sqlite.pragma('page_count', { simple: true }) as number}`);
    const failed = await agent.post(`${link}/yazi?_csrf=${token}`).attach('letter', big, 'y.pdf');
    t.sqlite.pragma('max_page_count = 1073741823');
    expect(failed.status).toBe(503);
    expect(failed.headers['retry-after']).toBe('30');
    expect(failed.text).toContain('Şu anda kaydedilemiyor');
    expect(await t.db.selectFrom('opinion_letters').selectAll().execute()).toEqual([]);
    expect(await t.db.selectFrom('opinion_letter_contents').selectAll().execute()).toEqual([]);
    expect(t.logged).toEqual([expect.objectContaining({ code: 'SQLITE_FULL' })]);
    t.logged.length = 0;

    const stored = await agent.post(`${link}/yazi?_csrf=${token}`).attach('letter', big, 'y.pdf');
    expect(stored.status).toBe(303);
    expect(await t.db.selectFrom('opinion_letter_contents').select('content').execute()).toEqual([{ content: big }]);
  });

});
