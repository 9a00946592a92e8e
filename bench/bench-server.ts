// One server under load, in its own process so that autocannon (in the parent) does not share its
// event loop. Kinds: `app` is the real Paydaş app on the given SQLite file; `bare-get` and
// `bare-post` are the baselines: Express answering a fixed string, and Express +
// better-sqlite3 inserting one row per post with the app's own pragmas (WAL, synchronous = FULL).
// Two more show where the app's time goes: `bare-page` answers with the bytes of a real survey
// page (a file), and `bare-post-rows` stores as many rows per post as completing a response does,
// in one transaction, into a table indexed like the answers.
// Tells the parent its port over IPC and stops when told to.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { openSqliteDatabase } from '../server/platform/db/connection';
import { createTestApp } from '../test/helpers/test-app';

async function main(): Promise<void> {
  // The third argument: rows per post for bare-post-rows; for app, where the rate limits count (memory by default).
  const [kind, file, rowsPerPost] = process.argv.slice(2) as [string, string, string | undefined];
  let handler: http.RequestListener;
  let close = async () => undefined as void;
  if (kind === 'app') {
    // HOOK (PostgreSQL, see postgresPost in run.ts): the app on a postgres:// URL, once it runs there.
    if (/^postgres(ql)?:\/\//.test(file)) {
      process.env.DATABASE_URL = file;
      throw new Error('PostgreSQL not configured: the bench server opens SQLite files only');
    }
    // The limits on public posts (per visitor, and the ceiling per address) would stop a load
    // generator on one address: raised out of reach here, as createTestApp does for tests.
    // They are still counted, in memory or (RATE_LIMIT_STORE=database) in the database.
    const t = await createTestApp({
      databaseFile: file,
      rateLimits: { visitorPostsPerMinute: 1e9, publicPostsPerMinute: 1e9, loginPer15Minutes: 1e9 },
      rateLimitStore: rowsPerPost === 'database' ? 'database' : 'memory',
    });
    handler = t.app;
    close = async () => {
      if (t.logged.length > 0) console.error(`app logged ${t.logged.length} errors, first:`, t.logged[0]);
      await t.close();
    };
  } else if (kind === 'bare-get') {
    const app = express();
    app.get('/{*rest}', (_req, res) => {
      res.send('Merhaba');
    });
    handler = app;
  } else if (kind === 'bare-post') {
    const { sqlite } = openSqliteDatabase(file);
    sqlite.exec('create table if not exists bench_rows (id integer primary key, body text not null, at text not null)');
    const insert = sqlite.prepare('insert into bench_rows (body, at) values (?, ?)');
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.post('/{*rest}', (req, res) => {
      insert.run(JSON.stringify(req.body), new Date().toISOString());
      res.redirect(303, '/tesekkurler');
    });
    handler = app;
    close = async () => void sqlite.close();
  } else if (kind === 'bare-page') {
    const page = fs.readFileSync(file);
    const app = express();
    app.get('/{*rest}', (_req, res) => {
      res.type('html').send(page);
    });
    handler = app;
  } else if (kind === 'bare-post-rows') {
    const { sqlite } = openSqliteDatabase(file);
    sqlite.exec(`create table if not exists bench_responses (id integer primary key, at text not null);
      create table if not exists bench_answers (id integer primary key, response_id integer not null references bench_responses (id), question_id text not null, option_id text, value real);
      create index if not exists bench_answers_response on bench_answers (response_id);
      create index if not exists bench_answers_question_option on bench_answers (question_id, option_id);`);
    const insertResponse = sqlite.prepare('insert into bench_responses (at) values (?)');
    const insertAnswer = sqlite.prepare('insert into bench_answers (response_id, question_id, option_id, value) values (?, ?, ?, ?)');
    const rows = Number(rowsPerPost);
    // Answers spread over fifty questions, as a response's are, so the index takes writes in as many places.
    const store = sqlite.transaction((fields: string[]) => {
      const id = insertResponse.run(new Date().toISOString()).lastInsertRowid;
      for (let i = 0; i < rows; i++) insertAnswer.run(id, `q${i % 50}`, fields[i % fields.length] ?? null, i % 5);
    });
    const app = express();
    app.use(express.urlencoded({ extended: false }));
    app.post('/{*rest}', (req, res) => {
      store(Object.values(req.body as Record<string, string>).map(String));
      res.redirect(303, '/tesekkurler');
    });
    handler = app;
    close = async () => void sqlite.close();
  } else {
    throw new Error(`unknown server kind ${kind}`);
  }
  const server = http.createServer(handler).listen(0, '127.0.0.1');
  await new Promise((done) => server.once('listening', done));
  process.send!({ port: (server.address() as AddressInfo).port });
  process.on('message', (message) => {
    if (message !== 'stop') return;
    server.closeAllConnections();
    server.close(() => void close().then(() => process.exit(0)));
  });
}

main().catch((error: unknown) => {
  console.error(`bench server: ${(error as Error).message}`);
  process.exit(1);
});
