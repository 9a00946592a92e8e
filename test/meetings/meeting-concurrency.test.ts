// 200 residents press "Sign up" at the same moment for 20 seats, over real HTTP: exactly 20 get a
// seat, 180 wait in positions 1..180, nobody gets an error, nothing is counted twice. And a sign-up
// whose process read the clock before another's but took the lock after it (several processes).
import crypto from 'node:crypto';
import { meetingRepository, meetingService } from '../../server/meetings';
import { serve } from '../helpers/browser';
import { scheduleMeeting, signUpFields } from '../helpers/meetings';
import { createTestApp, TEST_BASE_URL, TEST_SECRET, type TestApp } from '../helpers/test-app';

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

describe('meetingService.signUp across processes', () => {
  describe('when a sign-up is stored after one whose process read a later clock', () => {
    it('stores it with that later time, so the times and the waitlist tell the same order', async () => {
      // Process B read the clock at 10:00:00.100 and then waited for the lock while process A,
      // which read it at 10:00:02.800, took the last seat; B's sign-up is stored second.
      const id = await scheduleMeeting(t, { capacity: 1 });
      const ctx = { mailer: t.mailer, baseUrl: TEST_BASE_URL, secret: TEST_SECRET };
      const request = (name: string, phone: string, requestKey: string) => ({
        meetingId: id,
        name,
        phone,
        email: null,
        mahalleId: 'ataturk',
        accessibilityNeed: null,
        accessibilityConsent: null,
        futureMeetingsConsent: null,
        language: 'tr',
        requestKey,
      });
      const first = await meetingService.signUp(t.db, ctx, request('Ayşe Yılmaz', '+905321234567', 'A'.repeat(22)), new Date('2026-11-21T07:00:02.800Z'));
      const second = await meetingService.signUp(t.db, ctx, request('Hasan Kaya', '+905327654321', 'B'.repeat(22)), new Date('2026-11-21T07:00:00.100Z'));
      expect([first.kind, second.kind]).toEqual(['registered', 'registered']);

      const rows = await t.db.selectFrom('meeting_registrations').select(['name', 'status', 'created_at', 'confirmed_at']).where('meeting_id', '=', id).orderBy('id').execute();
      expect(rows).toEqual([
        { name: 'Ayşe Yılmaz', status: 'confirmed', created_at: '2026-11-21T07:00:02.800Z', confirmed_at: '2026-11-21T07:00:02.800Z' },
        { name: 'Hasan Kaya', status: 'waitlisted', created_at: '2026-11-21T07:00:02.800Z', confirmed_at: null },
      ]);

      // A later sign-up with a later clock keeps its own time.
      await meetingService.signUp(t.db, ctx, request('Elif Demir', '+905329998877', 'C'.repeat(22)), new Date('2026-11-21T07:00:05.000Z'));
      const last = await t.db.selectFrom('meeting_registrations').select('created_at').where('meeting_id', '=', id).orderBy('id', 'desc').executeTakeFirstOrThrow();
      expect(last.created_at).toBe('2026-11-21T07:00:05.000Z');
    });
  });
});
