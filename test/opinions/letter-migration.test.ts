// Migration 2026_12_08_30: letters uploaded before it belong to the answer that counts (and are
// locked), those of an invitation not answered stay changeable; the pages are unknown.
import path from 'node:path';
import { openMigratedUpTo } from '../helpers/database-template';
import { createTestApp, tempDir, type TestApp } from '../helpers/test-app';

let t: TestApp | undefined;

afterEach(async () => {
  await t?.close();
  t = undefined;
});

it('attaches earlier letters to the answer their invitation points at, and leaves the others open', async () => {
  const file = path.join(tempDir('paydas-letter-migration-'), 'paydas.sqlite');
  const old = await openMigratedUpTo(file, '2026_12_07_36_add_login_throttle_notified_at');
  const stamp = '2026-11-20T09:00:00.000Z';
  // What the rows the migration reads point at: the foreign keys hold on both engines.
  const stakeholder = (id: number) => ({ id, name: `Kurum ${id}`, group_id: 'kamu', scope: 'external', importance: 3, influence: 3, language: 'tr', source: 'register', created_at: stamp, updated_at: stamp });
  await old.insertInto('stakeholders').values([stakeholder(1), stakeholder(2)]).execute();
  const invitation = (id: number, responseId: number | null) => ({
    id,
    stakeholder_id: id,
    survey_slug: 'kurum-gorus-formu',
    email: `kurum${id}@example.org`,
    language: 'tr',
    deadline_at: '2026-12-15T20:59:59.000Z',
    created_at: stamp,
    response_id: responseId,
    submitted_at: responseId === null ? null : stamp,
  });
  await old.insertInto('survey_definitions').values({ hash: 'x', slug: 'kurum-gorus-formu', definition: '{}', first_loaded_at: stamp }).execute();
  await old
    .insertInto('responses')
    .values({ id: 41, survey_slug: 'kurum-gorus-formu', definition_hash: 'x', language: 'tr', channel: 'online', status: 'complete', started_at: stamp, updated_at: stamp, submitted_at: stamp })
    .execute();
  await old.insertInto('invitations').values([invitation(1, 41), invitation(2, null)]).execute();
  const letter = (id: number, invitationId: number) => ({ id, invitation_id: invitationId, file_name: `yazi${id}.pdf`, stored_name: `${String(id).repeat(32)}.pdf`, size: 1000, sha256: 'x', uploaded_at: stamp });
  await old.insertInto('opinion_letters').values([letter(1, 1), letter(2, 1), letter(3, 2)]).execute();
  await old.destroy();

  t = await createTestApp({ databaseFile: file });
  const rows = await t.db.selectFrom('opinion_letters').select(['id', 'response_id', 'pages']).orderBy('id').execute();
  expect(rows).toEqual([
    { id: 1, response_id: 41, pages: null },
    { id: 2, response_id: 41, pages: null },
    { id: 3, response_id: null, pages: null },
  ]);
});
