// The README's first command, tried as a new user would: `npm start` on an empty database at a
// free port, the site answers, the home page links the bundled citizen survey, `npm run admin --
// create-user` makes a user who can sign in, and the server stops by its process id.
// Any failure prints one line naming the step and exits 1.
//
//   npm run smoke                  this checkout (after `npm ci`)
//   npm run smoke -- --fresh-clone a clone of HEAD in a temporary folder: `npm ci`, then the same
//                                  (what CI sees; uncommitted changes are not in it)
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const START_TIMEOUT_MS = Number(process.env.SMOKE_START_TIMEOUT_MS ?? 120_000);
const STOP_TIMEOUT_MS = 15_000;
const CITIZEN_SURVEY = 'vatandas-anketi';

let root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'paydas-smoke-'));
let server;
let serverLog = '';
let step = 'setup';

function fail(reason) {
  console.error(`smoke: FAILED at "${step}": ${reason}`);
  if (process.env.SMOKE_VERBOSE && serverLog) console.error(serverLog);
  stopServer().finally(() => {
    fs.rmSync(work, { recursive: true, force: true });
    process.exit(1);
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A command to its end, without blocking: a blocked event loop would keep the HTTP client's idle
 * keep-alive sockets, which the server closes meanwhile, and the next request would fail on one.
 */
function run(command, args, { input, ...options } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** The whole process group npm start made (npm, sh, node), so nothing outlives the smoke. */
async function stopServer() {
  if (!server || server.exitCode !== null || server.signalCode !== null) return true;
  const gone = new Promise((resolve) => server.once('exit', () => resolve(true)));
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    return true;
  }
  const stopped = await Promise.race([gone, sleep(STOP_TIMEOUT_MS).then(() => false)]);
  if (!stopped) {
    try {
      process.kill(-server.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  return stopped;
}

/** Cookies a browser would keep, from a response's Set-Cookie headers. */
function keepCookies(jar, response) {
  for (const line of response.headers.getSetCookie()) {
    const [pair] = line.split(';');
    const at = pair.indexOf('=');
    jar.set(pair.slice(0, at).trim(), pair.slice(at + 1));
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

async function main() {
  if (process.argv.includes('--fresh-clone')) {
    step = 'fresh clone';
    const clone = path.join(work, 'clone');
    const cloned = await run('git', ['clone', '-q', root, clone]);
    if (cloned.status !== 0) return fail(`git clone: ${cloned.stderr.trim()}`);
    step = 'npm ci in the clone';
    const installed = await run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: clone });
    if (installed.status !== 0) return fail(`npm ci exited ${installed.status}: ${installed.stderr.trim().split('\n').slice(-3).join(' | ')}`);
    root = clone;
  }

  step = 'npm start';
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    PORT: String(port),
    BASE_URL: baseUrl,
    DATABASE_URL: path.join(work, 'paydas.sqlite'),
    UPLOADS_DIR: path.join(work, 'uploads'),
  };
  delete env.NODE_ENV;
  delete env.SMTP_URL;
  server = spawn('npm', ['start'], { cwd: root, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout.on('data', (chunk) => (serverLog += chunk));
  server.stderr.on('data', (chunk) => (serverLog += chunk));

  step = 'npm start, then GET /healthz';
  const deadline = Date.now() + START_TIMEOUT_MS;
  let health;
  while (!health) {
    if (server.exitCode !== null) {
      const last = serverLog.trim().split('\n').filter((line) => line.trim()).slice(-3).join(' | ');
      return fail(`npm start exited with code ${server.exitCode} before the site answered: ${last}`);
    }
    if (Date.now() > deadline) return fail(`no answer within ${START_TIMEOUT_MS / 1000} s`);
    try {
      const response = await fetch(`${baseUrl}/healthz`);
      if (response.status === 200) health = await response.json();
      else if (response.status !== 503) return fail(`status ${response.status}`);
    } catch {
      // not listening yet: the build runs first
    }
    if (!health) await sleep(500);
  }
  if (health.status === 'down') return fail(`status "down": ${health.reasons.join(', ')}`);

  step = 'home page links the citizen survey';
  const home = await fetch(`${baseUrl}/`);
  const homeHtml = await home.text();
  if (home.status !== 200) return fail(`status ${home.status}`);
  if (!homeHtml.includes(`href="/anket/${CITIZEN_SURVEY}"`)) return fail(`no link to /anket/${CITIZEN_SURVEY}`);
  const survey = await fetch(`${baseUrl}/anket/${CITIZEN_SURVEY}`);
  if (survey.status !== 200) return fail(`/anket/${CITIZEN_SURVEY} answered ${survey.status}`);

  step = 'npm run admin -- create-user';
  const email = 'smoke@example.org';
  const password = crypto.randomBytes(18).toString('base64url');
  const created = await run('npm', ['run', '--silent', 'admin', '--', 'create-user', '--email', email, '--name', 'Smoke Test', '--role', 'admin'], {
    cwd: root,
    env,
    input: `${password}\n`,
  });
  if (created.status !== 0) return fail(`exited ${created.status}: ${(created.stderr || created.stdout).trim().split('\n').slice(-3).join(' | ')}`);

  step = 'the new user signs in';
  const jar = new Map();
  const form = await fetch(`${baseUrl}/admin/login`);
  const formHtml = await form.text();
  const csrf = formHtml.match(/name="_csrf" value="([^"]+)"/)?.[1];
  if (form.status !== 200 || !csrf) return fail(`login form: status ${form.status}, form token ${csrf ? 'found' : 'missing'}`);
  const login = await fetch(`${baseUrl}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: keepCookies(jar, form) },
    body: new URLSearchParams({ _csrf: csrf, next: '', email, password }),
  });
  if (login.status !== 303) return fail(`sign-in answered ${login.status}, not a redirect`);
  const office = await fetch(`${baseUrl}/admin/surveys`, { redirect: 'manual', headers: { cookie: keepCookies(jar, login) } });
  if (office.status !== 200) return fail(`/admin/surveys answered ${office.status} after signing in`);

  step = 'stop the server';
  if (!(await stopServer())) return fail(`still running ${STOP_TIMEOUT_MS / 1000} s after SIGTERM`);

  fs.rmSync(work, { recursive: true, force: true });
  console.log(`smoke: ok (npm start answered on port ${port}, health "${health.status}", home links /anket/${CITIZEN_SURVEY}, create-user signed in, stopped)`);
}

main().catch((error) => fail(error instanceof Error ? `${error.message}${error.cause ? ` (${error.cause.message ?? error.cause})` : ""}` : String(error)));
