// An invited institution, made through the services (the HTTP way is tested in test/opinions):
// returns the path of the link its invitation e-mail carries, read from the outbox.
import { invitationService } from '../../server/opinions';
import { stakeholderService, type StakeholderGroup } from '../../server/stakeholders';
import { TEST_BASE_URL, type TestApp } from './test-app';

export const INVITATION_DEADLINE = '2026-12-15T20:59:59.000Z';
const actor = { userId: null, email: 'test', ip: null };

export async function invitedInstitution(
  t: TestApp,
  /** mailed: false leaves the invitation in the outbox (no link then: it exists only in sent mail). */
  options: { name?: string; group?: StakeholderGroup; language?: 'tr' | 'en'; slug?: string; deadline?: string; mailed?: boolean } = {},
): Promise<{ link: string; id: number }> {
  const stakeholder = await stakeholderService.create(
    t.db,
    {
      name: options.name ?? 'Mimarlar Odası',
      group: options.group ?? 'meslek_odasi',
      scope: 'external',
      type: null,
      emails: ['oda@example.org'],
      contactPerson: null,
      areas: [],
      reason: null,
      importance: 4,
      influence: 4,
      language: options.language ?? 'tr',
    },
    actor,
    t.clock.now,
  );
  await invitationService.invite(t.db, { mailer: t.mailer, baseUrl: TEST_BASE_URL }, {
    survey: t.catalog.find(options.slug ?? 'kurum-gorus-formu')!,
    stakeholderIds: [stakeholder],
    deadline: options.deadline ?? INVITATION_DEADLINE,
    reminderDays: null,
    actor,
    now: t.clock.now,
  });
  const link = options.mailed === false ? '' : await mailedLink(t, '/gorus/');
  const invitation = await t.db.selectFrom('invitations').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
  return { link, id: invitation.id };
}

/**
 * Sends the outbox and returns the path of the link, starting with the prefix, in the last mail
 * sent: links are sealed in the outbox and exist in full only in the mail that goes out.
 */
export async function mailedLink(t: TestApp, prefix: string): Promise<string> {
  await t.worker.runOnce();
  const text = t.sent.at(-1)?.text ?? '';
  const match = new RegExp(`${TEST_BASE_URL.replace(/[.]/g, '\\.')}(${prefix}[A-Za-z0-9_-]{22})`).exec(text);
  if (!match) throw new Error(`No link ${prefix} in the last mail: ${text}`);
  return match[1]!;
}
