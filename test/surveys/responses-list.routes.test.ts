// The responses list in time order (newest first by when each was submitted, or started for a
// draft), whatever order the rows were stored in, with stable pages; and "Giren" on every entry.
import type TestAgent from 'supertest/lib/agent';
import { storeEnteredQuestionnaire } from '../../server/surveys/response.service';
import { addUser, logIn, type TestUser } from '../helpers/admin';
import { answerSection } from '../helpers/forms';
import { createTestApp, DURING_SURVEY, type TestApp } from '../helpers/test-app';

let t: TestApp;
let clerk: TestUser;
let agent: TestAgent;
beforeEach(async () => {
  t = await createTestApp({ now: DURING_SURVEY });
  clerk = await addUser(t, 'planner', 'Zeynep Veri');
  agent = await logIn(t, clerk);
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

/** A paper questionnaire stored at a given time, as typed in then; returns its id. */
async function paperAt(iso: string, key: string): Promise<number> {
  const outcome = await t.db.transaction().execute((trx) =>
    storeEnteredQuestionnaire(trx, {
      survey: t.catalog.find('vatandas-anketi')!,
      channel: 'paper',
      enteredBy: clerk.id,
      fields: { cinsiyet: 'kadin' },
      idempotencyKey: `paper-${key}-0123456789`,
      language: 'tr',
      now: new Date(iso),
    }),
  );
  if (outcome.kind !== 'completed') throw new Error(outcome.kind);
  return outcome.responseId;
}

async function listed(query = ''): Promise<number[]> {
  const page = await agent.get(`/admin/surveys/vatandas-anketi/responses${query}`);
  expect(page.status).toBe(200);
  return [...page.text.matchAll(/responses\/(\d+)">/g)].map((m) => Number(m[1]));
}

describe('the responses list', () => {
  it('puts the newest first by time even where ids say otherwise (#1510 of 05.11 below #1498 of 07.12)', async () => {
    const december = await paperAt('2026-12-07T09:00:00Z', 'a');
    const november = await paperAt('2026-11-05T09:00:00Z', 'b');
    // A draft is placed by when it was started.
    t.clock.now = new Date('2026-11-20T09:00:00Z');
    await answerSection(agent, (await agent.get('/admin/surveys/vatandas-anketi/entry/paper')).headers.location!, { cinsiyet: 'erkek' });
    const [draft] = await t.db.selectFrom('responses').select('id').where('status', '=', 'draft').execute();
    expect(november).toBeGreaterThan(december);
    expect(await listed()).toEqual([december, draft!.id, november]);
    const page = (await agent.get('/admin/surveys/vatandas-anketi/responses')).text;
    expect(page.indexOf('07.12.2026')).toBeLessThan(page.indexOf('05.11.2026'));
  });

  it('keeps pages apart: every response once across pages, ties broken by id', async () => {
    const ids: number[] = [];
    // 55 responses whose times run against their ids, three of them at the very same moment.
    for (let i = 0; i < 55; i++) {
      const minute = i < 3 ? 0 : i;
      ids.push(await paperAt(new Date(Date.parse('2026-12-01T12:00:00Z') - minute * 60_000).toISOString(), `p${i}`));
    }
    const first = await listed('?page=1');
    const second = await listed('?page=2');
    expect(first).toHaveLength(50);
    expect([...first, ...second]).toEqual([ids[2], ids[1], ids[0], ...ids.slice(3)]);
  });

  it('names who entered each paper questionnaire, in the list and on its page', async () => {
    const id = await paperAt('2026-11-21T08:00:00Z', 'g');
    const list = (await agent.get('/admin/surveys/vatandas-anketi/responses')).text;
    const row = new RegExp(`<tr>\\s*<td><a href="/admin/surveys/vatandas-anketi/responses/${id}">[\\s\\S]*?</tr>`).exec(list)![0];
    expect(row).toContain('<td>Kâğıt anket</td>');
    expect(row).toContain('<td>Zeynep Veri</td>');
    const one = (await agent.get(`/admin/surveys/vatandas-anketi/responses/${id}`)).text;
    expect(one).toMatch(/<dt>Giren<\/dt><dd>Zeynep Veri<\/dd>/);
  });
});
