// A throwaway PostgreSQL server for a test run: initdb in a temporary folder, started on a free
// port of 127.0.0.1 with trust authentication, stopped and deleted at the end. It needs Debian's
// `postgresql` package (the binaries in /usr/lib/postgresql/<version>/bin), which .ci/run
// installs. PostgreSQL refuses to run as root: as root the folder is given to the `postgres` user
// the package creates, and the server runs as that user.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './smtp';

export interface PostgresServer {
  url: string;
  stop(): Promise<void>;
}

const ROOT = '/usr/lib/postgresql';

/** The newest installed server's bin folder, or undefined when the postgresql package is missing. */
export function postgresBinaries(): string | undefined {
  if (!fs.existsSync(ROOT)) return undefined;
  const versions = fs
    .readdirSync(ROOT)
    .filter((version) => fs.existsSync(path.join(ROOT, version, 'bin', 'postgres')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(ROOT, versions[0], 'bin') : undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function startPostgresServer(): Promise<PostgresServer> {
  const bin = postgresBinaries();
  if (!bin) throw new Error('PostgreSQL is not installed: apt-get install postgresql (the tests start their own server from it; see README, "Running the tests on PostgreSQL")');
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paydas-pg-'));
  const data = path.join(dir, 'data');
  // As root, commands run as the unprivileged postgres user, who must own the folder.
  const as = (command: string, args: string[]) => (asRoot ? { command: 'runuser', args: ['-u', 'postgres', '--', command, ...args] } : { command, args });
  if (asRoot) execFileSync('chown', ['postgres:', dir]);
  const initdb = as(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']);
  execFileSync(initdb.command, initdb.args, { stdio: 'pipe' });
  const port = await freePort();
  // Durability settings off: a test database is thrown away, and fsyncs would only slow the run.
  const server = as(path.join(bin, 'postgres'), [
    '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1',
    '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off', '-c', 'max_connections=400',
  ]);
  let output = '';
  const child: ChildProcess = spawn(server.command, server.args, { stdio: ['ignore', 'pipe', 'pipe'], detached: false });
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = path.join(bin, 'pg_isready');
  for (let tries = 0; ; tries++) {
    try {
      execFileSync(ready, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres'], { stdio: 'ignore' });
      break;
    } catch {
      if (tries > 200 || child.exitCode !== null) {
        child.kill('SIGKILL');
        throw new Error(`PostgreSQL did not start on port ${port}:\n${output}`);
      }
      await sleep(50);
    }
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      // pg_ctl signals the server itself (runuser, as root, would not pass a signal on): a fast
      // shutdown rolls back open transactions and disconnects clients.
      const stop = as(path.join(bin, 'pg_ctl'), ['stop', '-D', data, '-m', 'fast', '-w', '-t', '20']);
      try {
        execFileSync(stop.command, stop.args, { stdio: 'ignore' });
      } catch {
        child.kill('SIGKILL');
      }
      await Promise.race([exited, sleep(5_000)]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
