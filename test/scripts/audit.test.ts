// scripts/audit.mjs run as CI runs it, against a stand-in `npm` that replays outputs recorded from
// npm 11 (test/fixtures/npm-audit: the 405, refused connection and missing lockfile come from this
// machine; the reports with findings follow npm's audit report format, version 2).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../../server/platform/paths';
import { tempDir } from '../helpers/test-app';

const FIXTURES = path.join(projectRoot, 'test', 'fixtures', 'npm-audit');
const SCRIPT = path.join(projectRoot, 'scripts', 'audit.mjs');

function runAudit(recorded: { stdout?: string; stderr?: string; exit: number }) {
  const bin = tempDir('paydas-fake-npm-');
  const read = (name?: string) => (name ? fs.readFileSync(path.join(FIXTURES, name), 'utf8') : '');
  fs.writeFileSync(path.join(bin, 'stdout'), read(recorded.stdout));
  fs.writeFileSync(path.join(bin, 'stderr'), read(recorded.stderr));
  fs.writeFileSync(
    path.join(bin, 'npm'),
    `#!/bin/sh\necho "$@" > "${bin}/args"\ncat "${bin}/stdout"\ncat "${bin}/stderr" >&2\nexit ${recorded.exit}\n`,
    { mode: 0o755 },
  );
  const run = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
  const args = fs.readFileSync(path.join(bin, 'args'), 'utf8').trim();
  fs.rmSync(bin, { recursive: true, force: true });
  return { status: run.status, output: `${run.stdout}${run.stderr}`, args };
}

describe('scripts/audit.mjs', () => {
  it('audits the production dependencies at the high level, as JSON', () => {
    expect(runAudit({ stdout: 'clean.json', exit: 0 }).args).toBe('audit --omit=dev --audit-level=high --json');
  });

  it('passes when nothing high or critical is found, saying how many lesser findings there are', () => {
    const clean = runAudit({ stdout: 'clean.json', exit: 0 });
    expect(clean.status).toBe(0);
    expect(clean.output).toContain('no high or critical vulnerabilities in production dependencies.');
    const moderate = runAudit({ stdout: 'moderate.json', exit: 0 });
    expect(moderate.status).toBe(0);
    expect(moderate.output).toContain('(1 of lower severity)');
  });

  it('fails on high and critical vulnerabilities, naming the packages', () => {
    const found = runAudit({ stdout: 'critical.json', exit: 1 });
    expect(found.status).toBe(1);
    expect(found.output).toContain('1 critical and 1 high vulnerabilities');
    expect(found.output).toContain('critical: minimist <0.2.4 (fix available: npm audit fix)');
    expect(found.output).toContain('high: mkdirp 0.4.1 - 0.5.1');
    expect(found.output).not.toContain('debug');
  });

  it('warns, and does not fail, when the registry has no audit endpoint (405)', () => {
    const missing = runAudit({ stdout: 'registry-405.json', stderr: 'registry-405.stderr.txt', exit: 1 });
    expect(missing.status).toBe(0);
    expect(missing.output).toContain('WARNING: npm audit could NOT be performed: the registry has no audit endpoint');
    expect(missing.output).toContain('405 Method Not Allowed');
    expect(missing.output).toContain('Production dependencies were not checked');
    // Without the JSON, npm's own words on stderr are enough to tell.
    expect(runAudit({ stderr: 'registry-405.stderr.txt', exit: 1 }).status).toBe(0);
  });

  it('fails on every other error: a server error, a refused connection, no lockfile, no report', () => {
    const server = runAudit({ stdout: 'server-error.json', stderr: 'server-error.stderr.txt', exit: 1 });
    expect(server.status).toBe(1);
    expect(server.output).toContain('npm audit failed: 500 Internal Server Error');
    const refused = runAudit({ stdout: 'connection-refused.json', stderr: 'connection-refused.stderr.txt', exit: 1 });
    expect(refused.status).toBe(1);
    expect(refused.output).toContain('ECONNREFUSED');
    const noLock = runAudit({ stdout: 'no-lockfile.json', exit: 1 });
    expect(noLock.status).toBe(1);
    expect(noLock.output).toContain('npm audit failed: ENOLOCK This command requires an existing lockfile.');
    const nothing = runAudit({ stderr: 'connection-refused.stderr.txt', exit: 1 });
    expect(nothing.status).toBe(1);
    expect(nothing.output).toContain('npm audit failed and printed no report');
  });

  it('fails when npm exits with an error although its report shows nothing serious', () => {
    expect(runAudit({ stdout: 'clean.json', exit: 1 }).status).toBe(1);
  });
});
