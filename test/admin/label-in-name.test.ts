// WCAG 2.5.3 label in name over rendered pages with data, in both languages: every link and
// button's accessible name starts with its visible text, so "İptal et" is said (and can be
// spoken to voice control) as "İptal et …", never "… davetini iptal et".
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { addUser, logIn } from '../helpers/admin';
import { labelNotInName, namedControls } from '../helpers/accessible-names';
import { addResponse, addTheme, CITIZEN, IMPROVE } from '../helpers/coding';
import { invitedInstitution } from '../helpers/invitation';
import { scheduleMeeting, signUp } from '../helpers/meetings';
import { createTestApp, type TestApp } from '../helpers/test-app';

describe('labelNotInName', () => {
  it('finds a button whose aria-label puts the visible text last, and accepts visible text first', () => {
    const old = '<button type="submit" aria-label="Mimarlar Odası davetini iptal et">İptal et</button>';
    expect(labelNotInName(old)).toEqual([{ element: old, visible: 'İptal et', name: 'Mimarlar Odası davetini iptal et' }]);
    expect(labelNotInName('<button type="submit">İptal et<span class="visually-hidden"> (Mimarlar Odası daveti)</span></button>')).toEqual([]);
    expect(labelNotInName('<a href="/x"><span class="visually-hidden">Mimarlar Odası: </span>Düzenle</a>')).toHaveLength(1);
    expect(labelNotInName('<a href="/x" aria-label="düzenle: Anket &amp; form">Düzenle</a>')).toEqual([]);
    expect(labelNotInName('<input type="submit" value="Kaydet" aria-label="Formu kaydet">')).toHaveLength(1);
  });
});

describe('pages with data', () => {
  let t: TestApp;
  let planner: TestAgent;
  let meeting: number;
  beforeEach(async () => {
    t = await createTestApp();
    planner = await logIn(t, await addUser(t, 'planner'));
    await invitedInstitution(t, { name: 'Mimarlar Odası' });
    meeting = await scheduleMeeting(t, { capacity: 1 });
    await signUp(request.agent(t.app), meeting, { name: 'Ayşe Yılmaz', email: 'ayse@example.org' });
    await signUp(request.agent(t.app), meeting, { name: 'Hasan Kaya', phone: '0532 765 43 21' });
    const theme = await addTheme(t, CITIZEN, 'Çöp toplama');
    await t.db.updateTable('codebook_themes').set({ rule: 'çöp' }).where('id', '=', theme).execute();
    await addResponse(t, CITIZEN, { [IMPROVE]: 'Çöpler geç toplanıyor' });
  });
  afterEach(async () => {
    expect(t.logged).toEqual([]);
    await t.close();
  });

  const adminPages = () => [
    '/admin/opinions/kurum-gorus-formu',
    '/admin/opinions',
    '/admin/meetings',
    `/admin/meetings/${meeting}`,
    `/admin/meetings/${meeting}/check-in`,
    `/admin/surveys/${CITIZEN}/coding`,
    `/admin/surveys/${CITIZEN}/coding/search?${new URLSearchParams({ question: IMPROVE, scope: 'all', q: 'çöp' }).toString()}`,
    '/admin/surveys',
    '/admin/stakeholders',
  ];
  const publicPages = () => ['/', `/anket/${CITIZEN}`, '/bulusmalar', `/bulusmalar/${meeting}`];

  it.each(['tr', 'en'] as const)('name every link and button by its visible text first (%s)', async (lang) => {
    let controls = 0;
    for (const path of [...adminPages(), ...publicPages()]) {
      const agent = path.startsWith('/admin') ? planner : request.agent(t.app);
      const page = await agent.get(`${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
      expect({ path, status: page.status }).toEqual({ path, status: 200 });
      expect({ path, mismatches: labelNotInName(page.text) }).toEqual({ path, mismatches: [] });
      controls += namedControls(page.text).length;
    }
    expect(controls).toBeGreaterThan(100);
  });

  it('names the invitation buttons by what they do first, then whose invitation it is', async () => {
    const names = (html: string) => namedControls(html).map((c) => c.name);
    const turkish = names((await planner.get('/admin/opinions/kurum-gorus-formu?lang=tr')).text);
    expect(turkish).toContain('Yeniden gönder (Mimarlar Odası daveti)');
    expect(turkish).toContain('İptal et (Mimarlar Odası daveti)');
    const english = names((await planner.get('/admin/opinions/kurum-gorus-formu?lang=en')).text);
    expect(english).toContain('Resend the invitation to Mimarlar Odası');
    expect(english).toContain('Withdraw the invitation to Mimarlar Odası');
    const search = names((await planner.get(`/admin/surveys/${CITIZEN}/coding/search?question=${IMPROVE}&lang=tr`)).text);
    expect(search).toContain('Kuralı kaldır (“Çöp toplama” teması)');
  });
});
