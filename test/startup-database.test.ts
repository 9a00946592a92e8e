// Start-up on a database that cannot be opened (a wrong path, a read-only file system, a file
// that is not a database): the real process stops with exit code 1 and one line naming
// DATABASE_URL and the cause, never a stack trace.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../server/platform/paths';
import { tempDir } from './helpers/test-app';

jest.setTimeout(60_000);

function start(databaseUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', NODE_ENV: 'test', PORT: '0', DATABASE_URL: databaseUrl },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    // A server that started after all would keep running: stop it, the test then fails on its output.
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function expectOneLine(databaseFile: string, cause: RegExp) {
  const run = await start(databaseFile);
  expect(run.code).toBe(1);
  expect(run.stdout).not.toContain('listening');
  const line = run.stderr.trim();
  expect(line.split('\n')).toHaveLength(1);
  expect(line.startsWith(`Cannot open the database at DATABASE_URL=${databaseFile}: `)).toBe(true);
  expect(line).toMatch(cause);
  expect(line).not.toMatch(/\bat .*\.(ts|js):\d+/);
}

/** A folder on a read-only file system: a tmpfs remounted read-only (root), else a folder without write permission. */
function readOnlyFolder(): { dir: string; cleanup(): void } | { reason: string } {
  const dir = tempDir('paydas-readonly-');
  // A database made while it was writable, so that both a new file and an existing one are refused.
  const seed = (target: string) => fs.writeFileSync(path.join(target, 'existing.sqlite'), '');
  if (process.getuid?.() === 0) {
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', dir], { encoding: 'utf8' });
    if (mounted.status !== 0) return { reason: `root ignores folder permissions and mount -t tmpfs failed: ${(mounted.stderr || `exit ${mounted.status}`).trim()}` };
    seed(dir);
    const remounted = spawnSync('mount', ['-o', 'remount,ro', dir], { encoding: 'utf8' });
    const cleanup = () => {
      spawnSync('umount', [dir]);
      fs.rmSync(dir, { recursive: true, force: true });
    };
    if (remounted.status !== 0) {
      cleanup();
      return { reason: `remounting read-only failed: ${(remounted.stderr || `exit ${remounted.status}`).trim()}` };
    }
    return { dir, cleanup };
  }
  seed(dir);
  fs.chmodSync(dir, 0o555);
  return {
    dir,
    cleanup: () => {
      fs.chmodSync(dir, 0o755);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe('start-up on a database that cannot be opened', () => {
  it('a path through a file: one line naming DATABASE_URL and the file in the way, exit 1', async () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, 'data'), 'a file where the folder should be');
    await expectOneLine(path.join(dir, 'data', 'paydas.sqlite'), new RegExp(`${path.join(dir, 'data')} is a file, not a folder \\(EEXIST\\)$`));
  });

  it('a file that is not a database: SQLITE_NOTADB, and the file is left as it was', async () => {
    const file = path.join(tempDir(), 'paydas.sqlite');
    fs.writeFileSync(file, 'Bu bir veritabanı değil, bir not dosyası.\n'.repeat(200));
    const before = fs.readFileSync(file);
    await expectOneLine(file, /: file is not a database \(SQLITE_NOTADB\)$/);
    expect(fs.readFileSync(file)).toEqual(before);
  });

  it('a folder where the file should be: SQLITE_CANTOPEN', async () => {
    const file = path.join(tempDir(), 'paydas.sqlite');
    fs.mkdirSync(file);
    await expectOneLine(file, /: unable to open database file \(SQLITE_CANTOPEN\)$/);
  });

  it('a read-only file system: a new file and an existing one are both refused in one line', async () => {
    const folder = readOnlyFolder();
    if ('reason' in folder) {
      // Only this case depends on the machine; the other cases above always run.
      console.warn(`startup-database.test: the read-only case cannot be set up here (${folder.reason}).`);
      return;
    }
    try {
      await expectOneLine(path.join(folder.dir, 'new.sqlite'), /\((SQLITE_CANTOPEN|SQLITE_READONLY)\)$/);
      await expectOneLine(path.join(folder.dir, 'existing.sqlite'), /\((SQLITE_CANTOPEN|SQLITE_READONLY)\)$/);
    } finally {
      folder.cleanup();
    }
  });
});
