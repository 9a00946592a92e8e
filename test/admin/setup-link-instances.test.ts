// Several instances on one database with no user yet (a deployment behind a load balancer, each
// started on its own): every one prints the same set-up link, so whichever log the operator reads
// holds the link that works, on whichever instance the balancer sends it to, once.
import path from 'node:path';
import request from 'supertest';
import { csrfFrom } from '../helpers/admin';
import { testDatabaseUrl } from '../helpers/database-template';
import { startServer, type ServerProcess } from '../helpers/server-process';
import { freePort } from '../helpers/smtp';
import { tempDir } from '../helpers/test-app';

jest.setTimeout(120_000);

const LINK = /\/admin\/setup\?token=([A-Za-z0-9_-]+)/;
let servers: ServerProcess[] = [];

afterEach(async () => {
  for (const server of servers) {
    server.child.kill('SIGTERM');
    await server.exited;
  }
  servers = [];
});

it('is the same link on every instance, and it works on another instance than the one that printed it, once', async () => {
  const databaseUrl = await testDatabaseUrl(path.join(tempDir(), 'paydas.sqlite'));
  const start = async () => {
    const port = await freePort();
    // No SESSION_SECRET: the instances share the one the first stored in the database.
    const server = await startServer({ PORT: String(port), DATABASE_URL: databaseUrl }, 60_000);
    servers.push(server);
    return { url: `http://127.0.0.1:${port}`, server };
  };
  const a = await start();
  const b = await start();
  const linkOf = async (server: ServerProcess) => {
    for (let tries = 0; !LINK.test(server.output()) && tries < 100; tries++) await new Promise((resolve) => setTimeout(resolve, 50));
    return LINK.exec(server.output())?.[1];
  };
  const tokenA = await linkOf(a.server);
  const tokenB = await linkOf(b.server);
  expect(tokenA).toBeDefined();
  expect(tokenB).toBe(tokenA);

  // Printed by A, used on B.
  const agent = request.agent(b.url);
  const page = await agent.get(`/admin/setup?token=${tokenA}`);
  expect(page.status).toBe(200);
  const created = await agent
    .post('/admin/setup')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), token: tokenA, email: 'ilk@example.org', name: 'İlk Yönetici', password: 'ilk-yonetici-parolasi', password_again: 'ilk-yonetici-parolasi' });
  expect(created.headers.location).toBe('/admin/login');
  expect((await request(a.url).get(`/admin/setup?token=${tokenA}`)).status).toBe(410);
});
