// The planner's meeting screens in the reader's language: the English title where there is one,
// otherwise the Turkish one marked lang="tr" so screen readers say it in Turkish.
import type TestAgent from 'supertest/lib/agent';
import { addUser, logIn } from '../helpers/admin';
import { scheduleMeeting } from '../helpers/meetings';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let planner: TestAgent;
beforeEach(async () => {
  t = await createTestApp();
  planner = await logIn(t, await addUser(t, 'planner'));
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
const titleOf = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1];

describe('back-office meeting pages read in English', () => {
  it('show the English title where there is one, and the Turkish one marked lang="tr" where there is not', async () => {
    const english = await scheduleMeeting(t, { title_tr: 'Atatürk Mahallesi Buluşması', title_en: 'Atatürk Neighbourhood Meeting' });
    const turkishOnly = await scheduleMeeting(t, { title_tr: 'Gazi Mahallesi Buluşması', title_en: null });

    const list = main((await planner.get('/admin/meetings?lang=en')).text);
    expect(list).toContain(`<a href="/admin/meetings/${english}">Atatürk Neighbourhood Meeting</a>`);
    expect(list).toContain(`<a href="/admin/meetings/${turkishOnly}"><span lang="tr">Gazi Mahallesi Buluşması</span></a>`);
    expect(list).not.toContain('Atatürk Mahallesi Buluşması');

    const pages: [string, string][] = [
      ['', '<h1>Atatürk Neighbourhood Meeting'],
      ['/edit', '<h1>Atatürk Neighbourhood Meeting</h1>'],
      ['/check-in', '<h1>Check-in: Atatürk Neighbourhood Meeting</h1>'],
      ['/sheet', '<h1>Attendance: Atatürk Neighbourhood Meeting</h1>'],
      ['/outcomes', '<h1>Outcomes: Atatürk Neighbourhood Meeting</h1>'],
    ];
    for (const [path, heading] of pages) {
      const page = await planner.get(`/admin/meetings/${english}${path}?lang=en`);
      expect(page.status).toBe(200);
      expect(main(page.text)).toContain(heading);
      expect(main(page.text)).not.toContain('>Atatürk Mahallesi Buluşması<');
      expect(titleOf(page.text)).toContain('Atatürk Neighbourhood Meeting');
      const fallback = await planner.get(`/admin/meetings/${turkishOnly}${path}?lang=en`);
      expect(main(fallback.text)).toContain(heading.replace('Atatürk Neighbourhood Meeting', '<span lang="tr">Gazi Mahallesi Buluşması</span>'));
    }

    // In Turkish the Turkish title, unmarked.
    const turkish = main((await planner.get(`/admin/meetings/${english}/check-in?lang=tr`)).text);
    expect(turkish).toContain('<h1>Giriş: Atatürk Mahallesi Buluşması</h1>');
  });

  it('escapes a title that holds markup', async () => {
    const id = await scheduleMeeting(t, { title_tr: '<b>Kalın</b> & "tırnak"', title_en: null });
    const page = main((await planner.get(`/admin/meetings/${id}/check-in?lang=en`)).text);
    expect(page).toContain('<h1>Check-in: <span lang="tr">&lt;b&gt;Kalın&lt;/b&gt; &amp; &quot;tırnak&quot;</span></h1>');
  });
});
