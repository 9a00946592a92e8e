// WEB_CONCURRENCY=2: the real server (server/main.ts) as a cluster of two worker processes on one
// port and one SQLite file. Both answer, the set-up link is printed once, a worker killed with
// SIGKILL is replaced while the other keeps answering, and SIGTERM stops them all gracefully.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { startServer, type ServerProcess } from '../helpers/server-process';
import { freePort } from '../helpers/smtp';
import { tempDir } from '../helpers/test-app';

jest.setTimeout(180_000);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until<T>(probe: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string): Promise<T> {
  for (const end = Date.now() + timeoutMs; ; await sleep(100)) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
}

/** GET on a fresh connection each time (no keep-alive), so that each may go to either worker. */
function get(url: string): Promise<{ status: number; pid: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode!, pid: Number(res.headers['x-paydas-pid']) }));
      })
      .on('error', reject);
  });
}

let dir: string;
let server: ServerProcess | undefined;
afterEach(() => {
  if (server && server.child.exitCode === null && server.child.signalCode === null) {
    // The workers too: they are the primary's children, not this test's.
    for (const pid of workerPids(server.output())) tryKill(pid);
    server.child.kill('SIGKILL');
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

function tryKill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function workerPids(output: string): number[] {
  return [...output.matchAll(/worker \d+ \(pid (\d+)\) listening on/g)].map((m) => Number(m[1]));
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('WEB_CONCURRENCY=2', () => {
  it('serves from two workers, prints the set-up link once, replaces a killed worker and stops on SIGTERM', async () => {
    dir = tempDir('paydas-cluster-');
    const port = await freePort();
    server = await startServer({ PORT: String(port), DATABASE_URL: path.join(dir, 'paydas.sqlite'), WEB_CONCURRENCY: '2', SESSION_SECRET: 'cluster-secret-that-is-long-enough-0123456789' }, 90_000);
    const output = server.output;
    const started = await until(() => (workerPids(output()).length === 2 ? workerPids(output()) : undefined), 90_000, 'both workers to listen');
    const url = `http://127.0.0.1:${port}`;

    // Requests land on both workers (the pid header exists under NODE_ENV=test only).
    const answeredBy = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const response = await get(`${url}/healthz`);
      expect(response.status).toBe(200);
      answeredBy.add(response.pid);
    }
    expect([...answeredBy].sort()).toEqual([...started].sort());
    // The primary serves nothing: it is neither of them.
    expect(answeredBy.has(server.child.pid!)).toBe(false);

    // The set-up link: once, from the primary, not once per worker; and it works.
    const links = [...output().matchAll(/Create the first administrator \(this link works once\): \S+\?token=(\S+)/g)];
    expect(links).toHaveLength(1);
    expect((await get(`${url}/admin/setup?token=${links[0]![1]}`)).status).toBe(200);

    // A worker killed with SIGKILL: the other keeps answering, and a new one takes its place.
    const [victim, survivor] = started as [number, number];
    process.kill(victim, 'SIGKILL');
    // A request handed to the victim as it died may fail; the site as a whole keeps answering.
    let failed = 0;
    const replacement = await until(
      async () => {
        const response = await get(`${url}/healthz`).catch(() => undefined);
        if (!response) {
          failed++;
          return undefined;
        }
        expect(response.status).toBe(200);
        const pid = response.pid;
        expect(pid).not.toBe(victim);
        return pid !== survivor ? pid : undefined;
      },
      90_000,
      'a replacement worker to answer',
    );
    expect(failed).toBeLessThanOrEqual(1);
    expect(output()).toMatch(new RegExp(`Worker \\d \\(pid ${victim}\\) was killed \\(SIGKILL\\); starting another`));
    expect(workerPids(output())).toEqual([...started, replacement]);
    // Still one set-up link: the replacement did not print another.
    expect([...output().matchAll(/Create the first administrator/g)]).toHaveLength(1);

    // SIGTERM to the primary: the workers finish and exit, then the primary, with code 0.
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    await until(() => (alive(survivor) || alive(replacement) ? undefined : true), 10_000, 'the workers to exit');
  });
});
