// Two server processes sweep for automatic reminders at the same moment, on one database: each
// lists the same invitation as due, but the one that queues second finds, inside its own
// transaction, that the reminder has gone; the institution gets one reminder.
import fs from 'node:fs';
import path from 'node:path';
import { invitationService } from '../../server/opinions';
import * as invitationRepository from '../../server/opinions/invitation.repository';
import { invitedInstitution } from '../helpers/invitation';
import { createTestApp, tempDir, TEST_BASE_URL, type TestApp } from '../helpers/test-app';

jest.setTimeout(60_000);

let dir: string;
let apps: TestApp[];

beforeEach(async () => {
  dir = tempDir('paydas-reminder-race-');
  const databaseFile = path.join(dir, 'paydas.sqlite');
  apps = [await createTestApp({ databaseFile }), await createTestApp({ databaseFile })];
});

afterEach(async () => {
  for (const app of apps) expect(app.logged).toEqual([]);
  for (const app of apps) await app.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const sweep = (t: TestApp) => invitationService.sendDueReminders(t.db, { mailer: t.mailer, baseUrl: TEST_BASE_URL }, t.catalog, t.clock.now);

describe('automatic reminders swept by two processes at once', () => {
  it('queue one reminder per invitation', async () => {
    const [a, b] = apps as [TestApp, TestApp];
    // Deadline 15.12 with a 3-day reminder: due from 12.12 23:59:59 Istanbul.
    await invitedInstitution(a, { name: 'Mimarlar Odası' });
    await invitedInstitution(a, { name: 'Ticaret Odası' });
    await a.db.updateTable('invitations').set({ reminder_days: 3 }).execute();
    a.clock.now = b.clock.now = new Date('2026-12-13T08:00:00Z');

    const counts = await Promise.all([sweep(a), sweep(b)]);

    expect(counts[0] + counts[1]).toBe(2);
    const reminders = await a.db.selectFrom('outbox_messages').select('ref').where('kind', '=', 'reminder').orderBy('ref').execute();
    expect(reminders.map((r) => r.ref)).toEqual(['invitation:1', 'invitation:2']);
    const invitations = await a.db.selectFrom('invitations').select(['reminder_count', 'auto_reminded_at']).orderBy('id').execute();
    expect(invitations).toEqual([
      { reminder_count: 1, auto_reminded_at: '2026-12-13T08:00:00.000Z' },
      { reminder_count: 1, auto_reminded_at: '2026-12-13T08:00:00.000Z' },
    ]);
    const audited = await a.db.selectFrom('audit_events').select('action').where('action', '=', 'invitation.reminded').execute();
    expect(audited).toHaveLength(2);
    // And again later: none, from either.
    a.clock.now = b.clock.now = new Date('2026-12-14T08:00:00Z');
    expect(await Promise.all([sweep(a), sweep(b)])).toEqual([0, 0]);
  });

  it('send none to an invitation answered, revoked or reminded after the sweep listed it', async () => {
    const [a, b] = apps as [TestApp, TestApp];
    const answered = (await invitedInstitution(a, { name: 'Mimarlar Odası' })).id;
    const revoked = (await invitedInstitution(a, { name: 'Ticaret Odası' })).id;
    const reminded = (await invitedInstitution(a, { name: 'Barolar' })).id;
    await a.db.updateTable('invitations').set({ reminder_days: 3 }).execute();
    a.clock.now = b.clock.now = new Date('2026-12-13T08:00:00Z');
    // What one process's sweep listed as due …
    const listed = await invitationRepository.dueForReminder(a.db, a.clock.now);
    expect(listed.map((i) => i.id)).toEqual([answered, revoked, reminded]);
    // … changed by the other before the first queued anything.
    await b.db.updateTable('invitations').set({ submitted_at: b.clock.now.toISOString() }).where('id', '=', answered).execute();
    await b.db.updateTable('invitations').set({ revoked_at: b.clock.now.toISOString() }).where('id', '=', revoked).execute();
    expect(await sweep(b)).toBe(1);
    const survey = a.catalog.find('kurum-gorus-formu')!;
    expect(await invitationService.remind(a.db, { mailer: a.mailer, baseUrl: TEST_BASE_URL }, survey, listed.map((i) => i.id), null, a.clock.now)).toBe(0);
    expect(await a.db.selectFrom('outbox_messages').select('ref').where('kind', '=', 'reminder').execute()).toEqual([{ ref: `invitation:${reminded}` }]);
  });
});
