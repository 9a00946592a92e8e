// 200 residents press "Sign up" at the same moment for 20 seats, over real HTTP: exactly 20 get a
// seat, 180 wait in positions 1..180, nobody gets an error, nothing is counted twice.
import crypto from 'node:crypto';
import { meetingRepository, meetingService } from '../../server/meetings';
import { serve } from '../helpers/browser';
import { scheduleMeeting, signUpFields } from '../helpers/meetings';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let server: { url: string; close: () => Promise<void> };
beforeAll(async () => {
  t = await createTestApp();
  server = await serve(t);
});
afterAll(async () => {
  await server.close();
  await t.close();
});

it('confirms exactly 20 of 200 simultaneous sign-ups and waitlists 180 in order, without errors', async () => {
  const id = await scheduleMeeting(t, { capacity: 20 });
  // One browser's CSRF cookie and token; each sign-up is its own form (its own key).
  const page = await fetch(`${server.url}/bulusmalar/${id}`);
  const cookie = page.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const { _csrf } = signUpFields(await page.text());

  const post = (i: number) =>
    fetch(`${server.url}/bulusmalar/${id}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams({
        _csrf,
        request_key: crypto.randomBytes(16).toString('base64url'),
        name: `Sakin ${i}`,
        phone: `0532 ${String(10000000 + i).slice(1, 4)} ${String(10000000 + i).slice(4, 6)} ${String(10000000 + i).slice(6)}`,
        email: `sakin${i}@example.org`,
        mahalle: 'ataturk',
      }).toString(),
    });
  const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => post(i)));

  expect(responses.map((r) => r.status).filter((s) => s !== 303)).toEqual([]);
  const links = responses.map((r) => r.headers.get('location')!);
  expect(new Set(links).size).toBe(200);
  expect(t.logged).toEqual([]);

  const rows = await t.db.selectFrom('meeting_registrations').selectAll().where('meeting_id', '=', id).orderBy('id').execute();
  expect(rows).toHaveLength(200);
  expect(rows.filter((r) => r.status === 'confirmed')).toHaveLength(20);
  const waiting = rows.filter((r) => r.status === 'waitlisted');
  expect(waiting).toHaveLength(180);
  // The first 20 to commit got the seats; everyone after them waits, in the order they came.
  expect(rows.slice(0, 20).every((r) => r.status === 'confirmed')).toBe(true);
  const positions = await Promise.all(waiting.map((r) => meetingRepository.waitlistPosition(t.db, r)));
  expect(positions).toEqual(Array.from({ length: 180 }, (_, i) => i + 1));

  // Each resident's own page shows their own position.
  const last = waiting[179]!;
  const lastPage = await fetch(`${server.url}/bulusmalar/kayit/${meetingService.registrationToken('test-secret-that-is-long-enough-for-hmac-0123456789', last.id)}`, { headers: { cookie } });
  expect(await lastPage.text()).toContain('Sıranız: 180.');

  const mail = await t.db.selectFrom('outbox_messages').select(['kind']).execute();
  expect(mail.filter((m) => m.kind === 'meeting_confirmed')).toHaveLength(20);
  expect(mail.filter((m) => m.kind === 'meeting_waitlisted')).toHaveLength(180);
}, 60_000);
