// Messages to residents through a real SMTP server: a cancellation from the link in the mail
// promotes the first person waiting, who is told; the reminder goes out once, a day before,
// even when the server restarts between scheduling and the due time.
import fs from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import type { ParsedMail } from 'mailparser';
import request from 'supertest';
import { csrfFrom } from '../helpers/admin';
import { MEETING_START, scheduleMeeting, signUp } from '../helpers/meetings';
import { createTestSmtp, linkIn, type TestSmtp } from '../helpers/smtp';
import { createTestApp, tempDir, TEST_BASE_URL, type TestApp } from '../helpers/test-app';

let smtp: TestSmtp;
beforeEach(async () => {
  smtp = await createTestSmtp();
});
afterEach(async () => {
  await smtp.stop();
});

const calendarIn = (mail: ParsedMail) => {
  const file = mail.attachments.find((a) => a.filename === 'bulusma.ics');
  if (!file) return undefined;
  return new ICAL.Event(new ICAL.Component(ICAL.parse(file.content.toString('utf8'))).getFirstSubcomponent('vevent')!);
};

it('promotes the first resident waiting when someone cancels from the mailed link, and mails them', async () => {
  const t = await createTestApp({ smtpPort: smtp.port });
  try {
    const id = await scheduleMeeting(t, { capacity: 1 });
    await signUp(request.agent(t.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    await signUp(request.agent(t.app), id, { name: 'Mehmet Öz', email: 'mehmet@example.org' }, 'en');
    await signUp(request.agent(t.app), id, { name: 'Zeynep Ak', email: 'zeynep@example.org' });
    expect(await t.worker.runOnce()).toEqual({ sent: 3, failed: 0 });
    expect(smtp.received.map((m) => m.subject)).toEqual([
      'Kaydınız alındı: Atatürk Mahallesi Buluşması',
      'You are on the waiting list: Atatürk Neighbourhood Meeting',
      'Yedek listedesiniz: Atatürk Mahallesi Buluşması',
    ]);
    expect(smtp.received[1]!.text).toContain('Your place: 1.');
    expect(smtp.received[2]!.text).toContain('Sıranız: 2.');
    const confirmation = calendarIn(smtp.received[0]!)!;
    expect(confirmation.startDate.toJSDate().toISOString()).toBe(MEETING_START);
    expect(calendarIn(smtp.received[1]!)).toBeUndefined();

    // Ayşe follows the link in her mail and cancels.
    const link = linkIn(smtp.received[0]!, `${TEST_BASE_URL}/bulusmalar/kayit/`).slice(TEST_BASE_URL.length);
    const browser = request.agent(t.app);
    const page = await browser.get(link);
    expect(page.text).toContain('Kaydımı iptal et');
    expect((await browser.post(`${link}/iptal`).type('form').send({ _csrf: csrfFrom(page.text), confirm: 'yes' })).status).toBe(303);
    expect(await t.worker.runOnce()).toEqual({ sent: 2, failed: 0 });

    const [cancelled, promoted] = smtp.received.slice(3);
    expect(cancelled).toMatchObject({ subject: 'Kaydınız iptal edildi: Atatürk Mahallesi Buluşması' });
    expect(cancelled!.to).toMatchObject({ text: 'ayse@example.org' });
    expect(calendarIn(cancelled!)!.component.getFirstPropertyValue('status')).toBe('CANCELLED');
    // The cancellation replaces the confirmed entry: METHOD:CANCEL, its UID, a higher SEQUENCE.
    const cancelFile = cancelled!.attachments.find((a) => a.filename === 'bulusma.ics')!;
    expect(cancelFile.contentType).toBe('text/calendar');
    expect(new ICAL.Component(ICAL.parse(cancelFile.content.toString('utf8'))).getFirstPropertyValue('method')).toBe('CANCEL');
    expect(calendarIn(cancelled!)!.uid).toBe(confirmation.uid);
    expect(calendarIn(cancelled!)!.sequence).toBeGreaterThan(confirmation.sequence);
    const confirmationFile = smtp.received[0]!.attachments.find((a) => a.filename === 'bulusma.ics')!;
    expect(new ICAL.Component(ICAL.parse(confirmationFile.content.toString('utf8'))).getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(promoted).toMatchObject({ subject: 'A seat is yours: Atatürk Neighbourhood Meeting' });
    expect(promoted!.to).toMatchObject({ text: 'mehmet@example.org' });
    expect(calendarIn(promoted!)!.startDate.toJSDate().toISOString()).toBe(MEETING_START);
    // Mehmet's own link now shows his seat.
    const mehmetLink = linkIn(promoted!, `${TEST_BASE_URL}/bulusmalar/kayit/`).slice(TEST_BASE_URL.length);
    expect((await request(t.app).get(mehmetLink)).text).toContain('You are signed up');
    const statuses = await t.db.selectFrom('meeting_registrations').select(['email', 'status']).orderBy('id').execute();
    expect(statuses.map((r) => r.status)).toEqual(['cancelled', 'confirmed', 'waitlisted']);
    expect(smtp.received).toHaveLength(5);
    expect(t.logged).toEqual([]);
  } finally {
    await t.close();
  }
});

it('sends the reminder 24 hours before the start exactly once, across restarts of the app', async () => {
  const dir = tempDir();
  const databaseFile = path.join(dir, 'paydas.sqlite');
  try {
    // The first run of the server: the meeting is planned and residents sign up.
    const first = await createTestApp({ databaseFile, smtpPort: smtp.port });
    const id = await scheduleMeeting(first, { capacity: 2 });
    await signUp(request.agent(first.app), id, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    await signUp(request.agent(first.app), id, { name: 'Hasan Kaya', phone: '05327654321' });
    await signUp(request.agent(first.app), id, { name: 'Zeynep Ak', email: 'zeynep@example.org' });
    await first.worker.runOnce();
    expect(await first.runJobs()).toEqual({ done: 0, failed: 0 });
    await first.close();
    expect(smtp.received).toHaveLength(2);

    // The server comes back a day and a half before the meeting: nothing is due yet.
    const second = await createTestApp({ databaseFile, smtpPort: smtp.port, now: new Date('2026-12-04T04:00:00.000Z') });
    expect(await second.runJobs()).toEqual({ done: 0, failed: 0 });
    // 24 hours before the start the job runs, once, whatever runs after it.
    second.clock.now = new Date('2026-12-04T16:00:00.000Z');
    const [a, b] = await Promise.all([second.runJobs(), second.runJobs()]);
    expect(a.done + b.done).toBe(1);
    expect(await second.runJobs()).toEqual({ done: 0, failed: 0 });
    await second.worker.runOnce();
    await second.close();

    const third = await createTestApp({ databaseFile, smtpPort: smtp.port, now: new Date('2026-12-04T20:00:00.000Z') });
    expect(await third.runJobs()).toEqual({ done: 0, failed: 0 });
    await third.worker.runOnce();

    const reminders = smtp.received.filter((m) => m.subject === 'Hatırlatma: Atatürk Mahallesi Buluşması');
    expect(reminders.map((m) => (m.to as { text: string }).text)).toEqual(['ayse@example.org']);
    expect(reminders[0]!.text).toContain('5 Aralık 2026 Cumartesi, 19:00–21:00');
    expect(calendarIn(reminders[0]!)!.startDate.toJSDate().toISOString()).toBe(MEETING_START);
    // The resident with only a phone number is on the planner's list to call; the waitlisted one is not reminded.
    const notices = await third.db.selectFrom('meeting_notices as n').innerJoin('meeting_registrations as r', 'r.id', 'n.registration_id').select(['r.name', 'n.kind', 'n.channel']).where('n.kind', '=', 'reminder').execute();
    expect(notices).toEqual([
      { name: 'Ayşe Yılmaz', kind: 'reminder', channel: 'email' },
      { name: 'Hasan Kaya', kind: 'reminder', channel: 'phone' },
    ]);
    const job = await third.db.selectFrom('scheduled_jobs').selectAll().executeTakeFirstOrThrow();
    expect(job).toMatchObject({ kind: 'meeting_reminder', ref: String(id), due_at: '2026-12-04T16:00:00.000Z', done_at: '2026-12-04T16:00:00.000Z', attempts: 1 });
    await third.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
