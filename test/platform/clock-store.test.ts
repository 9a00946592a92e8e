// The rate limits' in-memory store: visitors' keys are cookies anyone can invent, so however many
// arrive it holds a bounded number of them, forgetting the oldest first.
import type { Options } from 'express-rate-limit';
import { ClockMemoryStore, DEFAULT_MAX_KEYS } from '../../server/platform/security/clock-store';

const clock = { now: new Date('2026-11-21T10:00:00Z') };
const advance = (seconds: number) => {
  clock.now = new Date(clock.now.getTime() + seconds * 1000);
};
const store = (maxKeys?: number) => {
  const s = new ClockMemoryStore(() => clock.now, maxKeys);
  s.init({ windowMs: 60_000 } as Options);
  return s;
};

it('holds no more than its maximum of keys however many invented keys arrive in one window', async () => {
  const s = store();
  for (let i = 0; i < DEFAULT_MAX_KEYS * 2.5; i++) await s.increment(`browser:${i}`);
  expect(s.size).toBeLessThanOrEqual(DEFAULT_MAX_KEYS);
  expect(s.size).toBeGreaterThanOrEqual(DEFAULT_MAX_KEYS * 0.9);
  // The newest are kept and counted; the oldest were forgotten, which only lets them start again.
  expect((await s.get(`browser:${DEFAULT_MAX_KEYS * 2.5 - 1}`))?.totalHits).toBe(1);
  expect(await s.get('browser:0')).toBeUndefined();
  expect((await s.increment('browser:0')).totalHits).toBe(1);
});

it('forgets the windows that started first, however busy, and a restarted window counts as new', async () => {
  const s = store(10);
  await s.increment('a');
  for (let i = 1; i <= 9; i++) {
    advance(1);
    await s.increment(`k${i}`);
  }
  advance(1);
  await s.increment('a'); // a's second post, in its first window: a still started first
  advance(1);
  await s.increment('k10');
  // Over ten: down to nine, the earliest windows first.
  expect(s.size).toBe(9);
  expect(await s.get('a')).toBeUndefined();
  expect(await s.get('k1')).toBeUndefined();
  expect((await s.get('k2'))?.totalHits).toBe(1);

  clock.now = new Date(clock.now.getTime() + 49_000); // 60 s after a: the once-a-minute sweep finds nothing ended
  await s.increment('n1');
  expect(s.size).toBe(10);
  advance(2); // k2's window has ended: its next post starts a new one, now the newest
  await s.increment('k2');
  await s.increment('n2');
  expect(s.size).toBe(9);
  expect(await s.get('k3')).toBeUndefined();
  expect(await s.get('k4')).toBeUndefined();
  expect((await s.get('k2'))?.totalHits).toBe(1);
  expect((await s.get('k5'))?.totalHits).toBe(1);
});

it('sweeps ended windows, so keys seen once do not pile up over time', async () => {
  const s = store();
  for (let i = 0; i < 1000; i++) await s.increment(`browser:${i}`);
  expect(s.size).toBe(1000);
  advance(61);
  await s.increment('browser:new');
  expect(s.size).toBe(1);
});
