// npm run admin -- create-user, as an operator runs it: a real process, the password on stdin.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { openDatabase } from '../../server/platform/db/connection';
import { projectRoot } from '../../server/platform/paths';
import { verifyPassword } from '../../server/admin/password';
import { tempDir } from '../helpers/test-app';

jest.setTimeout(30_000);

function run(args: string[], stdin: string, database: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/admin/admin-cli.ts', ...args], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: database },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe('admin create-user', () => {
  const database = path.join(tempDir(), 'paydas.sqlite');

  it('creates the user with the password read from standard input', async () => {
    const result = await run(['create-user', '--email', 'Ilk.Yonetici@example.org', '--name', 'İlk Yönetici', '--role', 'admin'], 'guclu-bir-parola-1\n', database);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Created admin ilk\.yonetici@example\.org \(id \d+\)\.$/m);
    const { db } = openDatabase(database);
    const user = await db.selectFrom('users').selectAll().where('email', '=', 'ilk.yonetici@example.org').executeTakeFirstOrThrow();
    expect(user).toMatchObject({ name: 'İlk Yönetici', role: 'admin', disabled_at: null });
    expect(await verifyPassword('guclu-bir-parola-1', user.password_hash)).toBe(true);
    const audit = await db.selectFrom('audit_events').select(['action', 'actor', 'target']).execute();
    expect(audit).toEqual([{ action: 'user.created', actor: 'cli', target: 'ilk.yonetici@example.org' }]);
    await db.destroy();
  });

  it.each([
    [['create-user', '--email', 'x@example.org', '--name', 'X', '--role', 'superuser'], 'guclu-bir-parola-1\n', /--role must be one of admin, planner, viewer/],
    [['create-user', '--email', 'x@example.org', '--name', 'X', '--role', 'viewer'], 'kisa\n', /at least 10 characters/],
    [['create-user', '--email', 'ilk.yonetici@example.org', '--name', 'X', '--role', 'viewer'], 'guclu-bir-parola-2\n', /already exists/],
    [['delete-everything'], '', /usage: npm run admin -- create-user/],
  ])('refuses %j with a clear message', async (args, stdin, message) => {
    const result = await run(args, stdin, database);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
  });
});
