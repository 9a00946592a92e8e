// Back-office pages read in English with a count of one: "1 user", "1 e-mail waiting", not "1 users".
import { addUser, logIn } from '../helpers/admin';
import { invitedInstitution } from '../helpers/invitation';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp();
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

/** The page's text without tags, spaces collapsed. */
const visible = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('counts of one in the back office', () => {
  it('says "1 user" on the users page in English and "1 kullanıcı" in Turkish', async () => {
    const admin = await logIn(t, await addUser(t, 'admin'));
    expect(visible((await admin.get('/admin/users?lang=en')).text)).toContain(' 1 user ');
    expect(visible((await admin.get('/admin/users?lang=tr')).text)).toContain(' 1 kullanıcı ');
    await addUser(t, 'viewer');
    expect(visible((await admin.get('/admin/users?lang=en')).text)).toContain(' 2 users ');
  });

  it('says "1 invitation" and "1 e-mail waiting" on the invitations page in English', async () => {
    const admin = await logIn(t, await addUser(t, 'admin'));
    await invitedInstitution(t, { mailed: false });
    const page = visible((await admin.get('/admin/opinions/kurum-gorus-formu?lang=en')).text);
    expect(page).toContain(' 1 invitation ');
    expect(page).toContain('1 e-mail waiting');
    expect(page).not.toContain('1 e-mails');
    const turkish = visible((await admin.get('/admin/opinions/kurum-gorus-formu?lang=tr')).text);
    expect(turkish).toContain('1 e-posta bekliyor');
  });

  it('writes the audit entry of one invitation in the singular', async () => {
    const admin = await logIn(t, await addUser(t, 'admin'));
    await invitedInstitution(t, { mailed: false });
    const page = visible((await admin.get('/admin/audit?lang=en')).text);
    expect(page).toMatch(/invited 1 institution to the survey/);
    expect(page).not.toMatch(/invited 1 institutions/);
  });
});
