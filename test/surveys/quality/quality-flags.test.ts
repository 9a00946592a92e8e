// Flags computed when a response completes, in the completing transaction, through the real pages.
import request from 'supertest';
import * as qualityService from '../../../server/surveys/quality/quality.service';
import { sectionFieldNames } from '../../../server/surveys/survey-flow';
import { randomSource, syntheticFields } from '../../../server/surveys/synthetic-responses';
import { answerSection } from '../../helpers/forms';
import { addUser, logIn } from '../../helpers/admin';
import { pacedResponse } from '../../helpers/paced-response';
import { completeSurvey } from '../../helpers/survey-walker';
import { createTestApp, type TestApp } from '../../helpers/test-app';

describe('quality flags on completion', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp({ trustProxy: true });
  });
  afterEach(async () => {
    await t.close();
  });
  const citizen = () => t.catalog.find('vatandas-anketi')!;
  const flagsOf = async (id: number) =>
    (await t.db.selectFrom('response_flags').select('reason').where('response_id', '=', id).orderBy('reason').execute()).map((row) => row.reason);

  describe('when a person answers at a person’s pace from their own network', () => {
    it('flags nothing and keeps only a keyed hash of the network, never the address', async () => {
      const random = randomSource(42);
      const ids = [];
      for (let i = 0; i < 12; i++) ids.push(await pacedResponse(t, citizen(), syntheticFields(citizen(), random), { ip: `198.51.${i}.${10 + i}`, secondsPerPage: 45 }));
      for (const id of ids) expect(await flagsOf(id)).toEqual([]);
      const stored = await t.db.selectFrom('response_quality').selectAll().where('response_id', '=', ids[0]!).executeTakeFirstOrThrow();
      expect(stored.duration_seconds).toBe(6 * 45);
      expect(stored.expected_seconds).toBeGreaterThan(45);
      expect(stored.network_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(stored.network_day).toBe(t.clock.now.toISOString().slice(0, 10));
      expect(JSON.stringify(await t.db.selectFrom('response_quality').selectAll().execute())).not.toMatch(/198\.51/);
    });
  });

  describe('when a script posts the pages at once with the same answers from one network', () => {
    it('flags every response as a speeder, a straight-liner, a duplicate and, from the tenth on, all of the burst', async () => {
      const ids = [];
      for (let i = 0; i < 10; i++) {
        await completeSurvey(request.agent(t.app).set('X-Forwarded-For', `203.0.113.${i}`) as never, citizen());
        ids.push((await t.db.selectFrom('responses').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id);
        const flags = await flagsOf(ids.at(-1)!);
        expect(flags).toEqual(expect.arrayContaining(['speeder', 'straight_lining', ...(i > 0 ? ['duplicate_answers'] : [])]));
        expect(flags.includes('burst')).toBe(i === 9);
      }
      // The first of a burst looks like one only once the rest have come.
      for (const id of ids) expect(await flagsOf(id)).toEqual(['burst', 'duplicate_answers', 'speeder', 'straight_lining']);
      expect(await t.db.selectFrom('responses').select('excluded_at').where('excluded_at', 'is not', null).execute()).toEqual([]);
    });

    it('counts an IPv4-mapped IPv6 address as its IPv4 network', async () => {
      const random = randomSource(1);
      const ids = [];
      const start = t.clock.now;
      for (let i = 0; i < 10; i++) {
        // Ten people side by side, each at a person's pace: the clock goes back for each.
        t.clock.now = new Date(start.getTime() + i * 1000);
        const ip = i % 2 === 0 ? `::ffff:192.0.2.${i}` : `192.0.2.${100 + i}`;
        ids.push(await pacedResponse(t, citizen(), syntheticFields(citizen(), random), { ip, secondsPerPage: 40 }));
      }
      for (const id of ids) expect(await flagsOf(id)).toEqual(['burst']);
    });
  });

  describe('when a burst from one network goes on and its window slides', () => {
    it('flags each response of a window of ten once, keeping the count it was flagged with', async () => {
      const random = randomSource(7);
      const start = t.clock.now.getTime();
      const at = async (minutes: number, i: number) => {
        t.clock.now = new Date(start + minutes * 60_000);
        return pacedResponse(t, citizen(), syntheticFields(citizen(), random), { ip: `192.0.2.${i}`, secondsPerPage: 40 });
      };
      const early = [];
      for (let i = 0; i < 9; i++) early.push(await at(0, i));
      for (const id of early) expect(await flagsOf(id)).toEqual([]);
      // The tenth within ten minutes: all ten are a burst.
      const tenth = await at(9, 9);
      for (const id of [...early, tenth]) expect(await flagsOf(id)).toEqual(['burst']);
      // Then the first nine leave the window; eight more come, then a ninth: with the tenth, ten again.
      const later = [];
      for (let i = 0; i < 8; i++) later.push(await at(11, 20 + i));
      for (const id of later) expect(await flagsOf(id)).toEqual([]);
      later.push(await at(12, 30));
      for (const id of later) expect(await flagsOf(id)).toEqual(['burst']);
      // One more in the same window: it alone is flagged now, the others keep theirs as they were.
      const last = await at(12, 31);
      expect(await flagsOf(last)).toEqual(['burst']);
      const details = await t.db.selectFrom('response_flags').select(['response_id', 'detail']).where('reason', '=', 'burst').execute();
      expect(details).toHaveLength(early.length + 1 + later.length + 1);
      const count = (id: number) => (JSON.parse(details.find((row) => row.response_id === id)!.detail!) as { count: number }).count;
      expect([...early, tenth].map(count)).toEqual(Array(10).fill(10));
      expect(later.map(count)).toEqual(Array(9).fill(10));
      expect(count(last)).toBe(11);
    });
  });

  describe('when a planner types in paper questionnaires quickly', () => {
    it('does not judge their pace or network', async () => {
      const planner = await addUser(t, 'planner');
      const agent = await logIn(t, planner);
      for (let i = 0; i < 10; i++) {
        const random = randomSource(100 + i);
        const fields = syntheticFields(citizen(), random);
        let url = (await agent.get('/admin/surveys/vatandas-anketi/entry/paper')).headers.location!;
        const base = url.replace(/\/1$/, '');
        while (url.startsWith(base)) {
          const names = new Set(sectionFieldNames(citizen(), Number(url.split('/').pop()) - 1));
          const { response } = await answerSection(agent, url, Object.fromEntries(Object.entries(fields).filter(([name]) => names.has(name))));
          expect(response.status).toBe(303);
          url = response.headers.location!;
        }
      }
      const rows = await t.db.selectFrom('response_quality').select(['duration_seconds', 'network_hash']).execute();
      expect(rows).toHaveLength(10);
      expect(rows.every((row) => row.duration_seconds === null && row.network_hash === null)).toBe(true);
      expect(await t.db.selectFrom('response_flags').select('reason').where('reason', 'in', ['speeder', 'burst']).execute()).toEqual([]);
    });
  });

  describe('the daily network key', () => {
    it('goes with the hourly housekeeping two days on, even when no response comes to rotate it', async () => {
      const id = await pacedResponse(t, citizen(), syntheticFields(citizen(), randomSource(4)), { ip: '198.51.100.9', secondsPerPage: 40 });
      await qualityService.dropExpired(t.db, new Date(t.clock.now.getTime() + 25 * 3600_000));
      expect(await t.db.selectFrom('quality_network_keys').select('day').execute()).toHaveLength(1);
      await qualityService.dropExpired(t.db, new Date(t.clock.now.getTime() + 48 * 3600_000));
      expect(await t.db.selectFrom('quality_network_keys').select('day').execute()).toEqual([]);
      expect(await t.db.selectFrom('response_quality').select(['network_hash', 'answers_hash']).where('response_id', '=', id).executeTakeFirstOrThrow()).toEqual({ network_hash: null, answers_hash: null });
    });

    it('is dropped once the burst window no longer needs it, with the hashes it made', async () => {
      const random = randomSource(9);
      const first = await pacedResponse(t, citizen(), syntheticFields(citizen(), random), { ip: '198.51.100.1', secondsPerPage: 40 });
      const firstDay = t.clock.now.toISOString().slice(0, 10);
      t.clock.now = new Date(t.clock.now.getTime() + 24 * 3600_000);
      await pacedResponse(t, citizen(), syntheticFields(citizen(), random), { ip: '198.51.100.2', secondsPerPage: 40 });
      // Yesterday's key is still needed for a burst across midnight.
      expect((await t.db.selectFrom('quality_network_keys').select('day').orderBy('day').execute()).map((k) => k.day)[0]).toBe(firstDay);
      t.clock.now = new Date(t.clock.now.getTime() + 24 * 3600_000);
      await pacedResponse(t, citizen(), syntheticFields(citizen(), random), { ip: '198.51.100.3', secondsPerPage: 40 });
      const days = (await t.db.selectFrom('quality_network_keys').select('day').execute()).map((k) => k.day);
      expect(days).not.toContain(firstDay);
      expect(days).toHaveLength(2);
      const cleared = await t.db.selectFrom('response_quality').select(['network_hash', 'network_day', 'answers_hash']).where('response_id', '=', first).executeTakeFirstOrThrow();
      expect(cleared).toEqual({ network_hash: null, network_day: null, answers_hash: null });
    });
  });
});
