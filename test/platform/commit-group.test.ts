// Group commit (platform/db/commit-group.ts): concurrent submissions share one transaction and one
// commit, each answered only once its own writes are committed, and one that fails never takes the
// others with it. On a real SQLite file, watched from a second connection as another process would.
import path from 'node:path';
import { sql } from 'kysely';
import { createCommitGroup } from '../../server/platform/db/commit-group';
import type { Db, OpenedDatabase } from '../../server/platform/db/connection';
import { openMigratedDatabase, testEngine } from '../helpers/database-template';
import { tempDir } from '../helpers/test-app';

describe('createCommitGroup', () => {
  let app: OpenedDatabase;
  let outside: OpenedDatabase;
  beforeEach(async () => {
    const file = path.join(tempDir(), 'commit-group.sqlite');
    app = await openMigratedDatabase(file);
    outside = await openMigratedDatabase(file);
    if (testEngine() === 'postgres') await sql`create table commit_probe (k integer unique deferrable initially deferred)`.execute(app.db);
  });
  afterEach(async () => {
    await outside.db.destroy();
    await app.db.destroy();
  });

  const keysSeenBy = async (db: Db, prefix: string) =>
    (await db.selectFrom('settings').select('key').where('key', 'like', `${prefix}%`).orderBy('key').execute()).map((row) => row.key);
  const store = (db: Db, key: string) =>
    db.insertInto('settings').values({ key, value: 'x', updated_at: '2026-12-07T00:00:00.000Z' }).execute();

  describe('when ten submissions arrive at the same moment', () => {
    it('runs them in one transaction, each seeing those before it, and answers each only after the commit', async () => {
      const group = createCommitGroup(app.db);
      const seen: { inside: number; outside: number }[] = [];
      const committedWhenAnswered: boolean[] = [];
      const keys = Array.from({ length: 10 }, (_, i) => `job-${String(i).padStart(2, '0')}`);
      await Promise.all(
        keys.map(async (key) => {
          await group.run(async (trx) => {
            seen.push({ inside: (await keysSeenBy(trx as unknown as Db, 'job-')).length, outside: (await keysSeenBy(outside.db, 'job-')).length });
            await store(trx as unknown as Db, key);
          });
          committedWhenAnswered.push((await keysSeenBy(outside.db, key)).length === 1);
        }),
      );
      // One transaction: each saw the ones before it, and nobody outside saw any before the commit.
      expect(seen).toEqual(keys.map((_, i) => ({ inside: i, outside: 0 })));
      expect(committedWhenAnswered).toEqual(keys.map(() => true));
      expect(await keysSeenBy(outside.db, 'job-')).toEqual(keys);
    });

    it('rolls back a failing one alone: it is refused, the others are stored', async () => {
      const group = createCommitGroup(app.db);
      const outcomes = await Promise.allSettled(
        Array.from({ length: 6 }, (_, i) =>
          group.run(async (trx) => {
            await store(trx as unknown as Db, `job-${i}`);
            if (i === 2) throw new Error('refused');
            return i;
          }),
        ),
      );
      expect(outcomes.map((o) => (o.status === 'fulfilled' ? o.value : (o.reason as Error).message))).toEqual([0, 1, 'refused', 3, 4, 5]);
      expect(await keysSeenBy(outside.db, 'job-')).toEqual(['job-0', 'job-1', 'job-3', 'job-4', 'job-5']);
    });
  });

  describe('when the batch cannot commit', () => {
    it('runs each again alone, so only the one at fault fails', async () => {
      const group = createCommitGroup(app.db);
      let runs = 0;
      const outcomes = await Promise.allSettled(
        Array.from({ length: 5 }, (_, i) =>
          group.run(async (trx) => {
            runs++;
            await store(trx as unknown as Db, `job-${i}`);
            if (i === 3 && testEngine() === 'sqlite') {
              // An answer for a response that does not exist, its foreign key checked at COMMIT:
              // the statement succeeds, and the commit of whatever transaction holds it fails.
              await sql`pragma defer_foreign_keys = on`.execute(trx);
              await sql`insert into answers (response_id, question_id) values (999999, 'q')`.execute(trx);
            } else if (i === 3) {
              // PostgreSQL checks a deferred constraint at COMMIT too: a duplicate under a
              // deferrable unique key, in a table of this test's own.
              await sql`insert into commit_probe (k) values (1), (1)`.execute(trx);
            }
            return i;
          }),
        ),
      );
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'fulfilled']);
      expect(String((outcomes[3] as PromiseRejectedResult).reason)).toMatch(testEngine() === 'sqlite' ? /FOREIGN KEY/ : /duplicate key/);
      expect(await keysSeenBy(outside.db, 'job-')).toEqual(['job-0', 'job-1', 'job-2', 'job-4']);
      // Five in the batch, then each again alone.
      expect(runs).toBe(10);
    });
  });

  describe('when one submission comes alone', () => {
    it('runs it as a plain transaction and answers after its commit', async () => {
      const group = createCommitGroup(app.db);
      expect(await group.run(async (trx) => (await store(trx as unknown as Db, 'alone'), 'done'))).toBe('done');
      expect(await keysSeenBy(outside.db, 'alone')).toEqual(['alone']);
    });
  });
});
