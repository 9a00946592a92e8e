// One server under load, in its own process so that autocannon (in the parent) does not share its
// event loop. Kinds: `app` is the real Paydaş app on the given SQLite file; `bare-get` and
// `bare-post` are the baselines: Express answering a fixed string, and Express + better-sqlite3
// inserting one row per post with the app's own pragmas (WAL, synchronous = FULL).
// Tells the parent its port over IPC and stops when told to.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { openDatabase } from '../server/platform/db/connection';
import { createTestApp } from '../test/helpers/test-app';

async function main(): Promise<void> {
  const [kind, file] = process.argv.slice(2) as [string, string];
  let handler: http.RequestListener;
  let close = async () => undefined as void;
  if (kind === 'app') {
    // The per-address limits on public posts would stop a load generator on one address at 300 a
    // minute: raised out of reach here, as createTestApp does for tests.
    const t = await createTestApp({ databaseFile: file, rateLimits: { publicPostsPerMinute: 1e9, loginPer15Minutes: 1e9 } });
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
    const { sqlite } = openDatabase(file);
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

void main();
