// Two real server processes (server/main.ts) on one database, and 1,000 residents signing up for
// a meeting with 50 seats at the same moment, each from their own browser, their posts spread
// alternately over both processes: exactly 50 get a seat, the other 950 wait in the order their
// sign-ups were stored, and every one of them gets the page (and the mail) that says so.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { meetingService } from '../../server/meetings';
import { openMigratedDatabase, testDatabaseUrl } from '../helpers/database-template';
import { meetingInput, signUpFields } from '../helpers/meetings';
import { startServer, type ServerProcess } from '../helpers/server-process';
import { freePort } from '../helpers/smtp';
import { tempDir } from '../helpers/test-app';

// About 40 s on SQLite on a 2-core machine; PostgreSQL on the same machine took 120 s.
jest.setTimeout(300_000);

const RESIDENTS = 1_000;
const SEATS = 50;
/** Connections per process: 100 requests in flight at once over both. */
const SOCKETS_EACH = 50;
const DAY_MS = 24 * 60 * 60 * 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const SECRET = 'two-processes-signups-secret-long-enough-0123456789';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

interface Process {
  server: ServerProcess;
  port: number;
  agent: http.Agent;
}

/** One HTTP request over `to`'s keep-alive agent, the body read whole. */
function send(to: Process, method: 'GET' | 'POST', urlPath: string, cookie: string, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: http.OutgoingHttpHeaders = { cookie };
    if (body !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      headers['content-length'] = Buffer.byteLength(body);
    }
    const req = http.request({ host: '127.0.0.1', port: to.port, method, path: urlPath, headers, agent: to.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The cookies a response sets, merged into the ones a browser already holds. */
function keepCookies(jar: Map<string, string>, answer: Answer): string {
  for (const line of answer.headers['set-cookie'] ?? []) {
    const pair = line.split(';')[0]!;
    const at = pair.indexOf('=');
    jar.set(pair.slice(0, at), pair.slice(at + 1));
  }
  return [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
}

/** Resident i's own name, mobile number (as typed, and as stored) and address. */
function resident(i: number) {
  const digits = String(1_000_000 + i).slice(1);
  return {
    name: `Sakin ${i}`,
    phone: `0532 ${digits.slice(0, 3)} ${digits.slice(3, 5)} ${digits.slice(5)}0`,
    storedPhone: `+90532${digits}0`,
    email: `sakin${i}@example.org`,
  };
}

let dir: string;
const processes: Process[] = [];

beforeEach(() => {
  dir = tempDir('paydas-two-processes-signups-');
});

afterEach(() => {
  for (const { server, agent } of processes.splice(0)) {
    agent.destroy();
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('1,000 simultaneous sign-ups for 50 seats over two processes', () => {
  it('confirms exactly 50, waitlists the other 950 in stored order, and answers every resident', async () => {
    const file = path.join(dir, 'paydas.sqlite');
    const databaseUrl = await testDatabaseUrl(file);
    // The meeting, published and open for sign-up, two weeks from the real clock the servers use.
    const { db } = await openMigratedDatabase(file);
    const starts = Date.now() + 14 * DAY_MS;
    const meetingId = await meetingService.createMeeting(
      db,
      meetingInput({
        capacity: SEATS,
        starts_at: new Date(starts).toISOString(),
        ends_at: new Date(starts + 2 * 60 * 60 * 1000).toISOString(),
        signup_deadline_at: new Date(starts - DAY_MS).toISOString(),
      }),
      { userId: null, email: 'test', ip: null },
      new Date(),
    );
    await db.destroy();

    const env = async () => {
      const port = await freePort();
      return {
        port,
        env: {
          PORT: String(port),
          DATABASE_URL: databaseUrl,
          // One secret for both, as two instances of one site have: a form from one is accepted by the other.
          SESSION_SECRET: SECRET,
          // The limits are not what this test is about: raised far above 1,000 posts from one address.
          // They count in the database, as two processes sharing one must.
          RATE_LIMIT_VISITOR_POSTS: '1000000',
          RATE_LIMIT_PUBLIC_POSTS: '1000000',
          RATE_LIMIT_STORE: 'database',
        },
      };
    };
    const [envA, envB] = [await env(), await env()];
    const [a, b] = await Promise.all([startServer(envA.env, 60_000), startServer(envB.env, 60_000)]);
    for (const [server, port] of [
      [a, envA.port],
      [b, envB.port],
    ] as const) {
      processes.push({ server, port, agent: new http.Agent({ keepAlive: true, maxSockets: SOCKETS_EACH }) });
    }
    const [first, second] = processes as [Process, Process];
    const postTo = (i: number) => (i % 2 === 0 ? first : second);
    // The form comes from the other process: behind a load balancer without sticky sessions.
    const formFrom = (i: number) => (i % 2 === 0 ? second : first);
    const meetingPath = `/bulusmalar/${meetingId}`;

    // Each resident opens the form in their own browser (own cookies, own CSRF token and request key).
    const browsers = await Promise.all(
      Array.from({ length: RESIDENTS }, async (_, i) => {
        const jar = new Map<string, string>();
        const page = await send(formFrom(i), 'GET', meetingPath, '');
        if (page.status !== 200) throw new Error(`resident ${i}: the form answered ${page.status}`);
        return { jar, cookie: keepCookies(jar, page), fields: signUpFields(page.text) };
      }),
    );

    // While they sign up, the seats taken are watched from outside: never more than the capacity.
    const watch = await openMigratedDatabase(file);
    const confirmedNow = async () =>
      Number(
        (
          await watch.db
            .selectFrom('meeting_registrations')
            .select((eb) => eb.fn.countAll().as('count'))
            .where('meeting_id', '=', meetingId)
            .where('status', '=', 'confirmed')
            .executeTakeFirstOrThrow()
        ).count,
      );
    const seen: number[] = [];
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        seen.push(await confirmedNow());
        await sleep(50);
      }
    })();

    // Then they all press the button at once.
    const failures: string[] = [];
    let busy = 0;
    /** When each process's answers to the posts came, from the start, in ms. */
    const done: [number[], number[]] = [[], []];
    const began = Date.now();
    const outcomes = await Promise.all(
      browsers.map(async (browser, i) => {
        const who = resident(i);
        let fields = browser.fields;
        for (let attempt = 1; ; attempt++) {
          const posted = await send(postTo(i), 'POST', meetingPath, browser.cookie, new URLSearchParams({ ...fields, name: who.name, phone: who.phone, email: who.email, mahalle: 'ataturk' }).toString());
          done[i % 2]!.push(Date.now() - began);
          browser.cookie = keepCookies(browser.jar, posted);
          // 503 is the designed answer when the database stays locked too long (DB_WRITE_WAIT_MS):
          // nothing was stored, the page keeps the form, and the resident sends it again from there.
          if (posted.status === 503 && attempt < 5) {
            busy++;
            fields = signUpFields(posted.text);
            continue;
          }
          if (posted.status !== 303) {
            failures.push(`resident ${i}: ${posted.status} ${posted.text.slice(0, 200)}`);
            return undefined;
          }
          const location = posted.headers.location ?? '';
          const id = /^\/bulusmalar\/kayit\/(\d+)-[A-Za-z0-9_-]+$/.exec(location)?.[1];
          const page = await send(postTo(i), 'GET', location, browser.cookie);
          if (!id || page.status !== 200) {
            failures.push(`resident ${i}: redirected to ${location}, which answered ${page.status}`);
            return undefined;
          }
          const heading = /<h1>([^<]*)<\/h1>/.exec(page.text)?.[1];
          const position = /Sıranız: (\d+)\./.exec(page.text)?.[1];
          return { i, id: Number(id), heading, position: position === undefined ? undefined : Number(position) };
        }
      }),
    );
    const wallMs = Date.now() - began;
    watching = false;
    await watcher;
    await watch.db.destroy();
    expect(failures).toEqual([]);

    // Both stop gracefully, having logged no error (the rate-limit store may say it fell back to memory).
    for (const { server } of processes) server.child.kill('SIGTERM');
    for (const { server } of processes) expect(await server.exited).toBe(0);
    for (const { server } of processes) expect(server.output()).not.toMatch(/^\s+at |Error:/m);

    const { db: after } = await openMigratedDatabase(file);
    try {
      const rows = await after.selectFrom('meeting_registrations').selectAll().where('meeting_id', '=', meetingId).orderBy('id').execute();
      const mails = await after.selectFrom('outbox_messages').select(['id', 'ref', 'kind', 'to_address', 'text_body']).execute();
      const notices = await after.selectFrom('meeting_notices').select(['registration_id', 'kind']).execute();
      const meeting = await after.selectFrom('meetings').select(['capacity', 'cancelled_at']).where('id', '=', meetingId).executeTakeFirstOrThrow();

      // One registration per resident, none twice, each exactly as that resident sent it.
      expect(rows).toHaveLength(RESIDENTS);
      expect(new Set(rows.map((r) => r.name)).size).toBe(RESIDENTS);
      expect(new Set(rows.map((r) => r.request_key)).size).toBe(RESIDENTS);
      expect(new Set(rows.map((r) => r.booking_code)).size).toBe(RESIDENTS);
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const outcome of outcomes) {
        const row = byId.get(outcome!.id);
        const who = resident(outcome!.i);
        expect({ name: row?.name, phone: row?.phone, email: row?.email }).toEqual({ name: who.name, phone: who.storedPhone, email: who.email });
      }
      expect(new Set(outcomes.map((o) => o!.id)).size).toBe(RESIDENTS);

      // The first 50 stored hold the seats, the other 950 wait; nobody was promoted or cancelled.
      expect(meeting).toEqual({ capacity: SEATS, cancelled_at: null });
      expect(rows.slice(0, SEATS).every((r) => r.status === 'confirmed' && r.confirmed_at !== null)).toBe(true);
      expect(rows.slice(SEATS).every((r) => r.status === 'waitlisted' && r.confirmed_at === null)).toBe(true);
      expect(rows.every((r) => r.promoted_at === null && r.cancelled_at === null && r.source === 'online')).toBe(true);
      expect(Math.max(...seen)).toBeLessThanOrEqual(SEATS);

      // Waitlist positions 1..950, in the order the sign-ups were stored: on each resident's page, and
      // in the mail each was sent as their sign-up was stored.
      const rank = new Map(rows.slice(SEATS).map((r, index) => [r.id, index + 1]));
      for (const outcome of outcomes) {
        const waiting = rank.get(outcome!.id);
        expect({ heading: outcome!.heading, position: outcome!.position }).toEqual(waiting === undefined ? { heading: 'Kaydınız alındı', position: undefined } : { heading: 'Yedek listedesiniz', position: waiting });
      }
      expect(outcomes.map((o) => o!.position).filter((p) => p !== undefined).sort((x, y) => x! - y!)).toEqual(Array.from({ length: RESIDENTS - SEATS }, (_, k) => k + 1));
      expect(mails).toHaveLength(RESIDENTS);
      expect(notices).toHaveLength(RESIDENTS);
      const mailOf = new Map(mails.map((m) => [m.ref, m]));
      for (const row of rows) {
        const mail = mailOf.get(`registration:${row.id}`);
        expect({ kind: mail?.kind, to: mail?.to_address }).toEqual({ kind: `meeting_${row.status}`, to: row.email });
        const waiting = rank.get(row.id);
        if (waiting !== undefined) expect(mail?.text_body).toContain(`Sıranız: ${waiting}.`);
      }

      // And the times stored tell the same order as the ids (see meetingRules.storedAt).
      const outOfOrder = rows.filter((r, k) => k > 0 && r.created_at < rows[k - 1]!.created_at);
      expect(outOfOrder).toEqual([]);

      const pause = (times: number[]) => Math.max(...times.map((t, k) => t - (k === 0 ? 0 : times[k - 1]!)));
      console.log(
        `two processes: ${RESIDENTS} sign-ups for ${SEATS} seats answered in ${(wallMs / 1000).toFixed(1)} s (${busy} answered 503 and were sent again); ` +
          `longest wait between two answers of one process ${pause(done[0])} ms and ${pause(done[1])} ms; seats taken read ${seen.length} times meanwhile, at most ${Math.max(...seen)}`,
      );
    } finally {
      await after.destroy();
    }
  });
});
