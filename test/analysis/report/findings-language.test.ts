// The findings screens speak the reader's language: a planner reading in English sees English
// column headers and English table names in the evidence lists, while the drafts (report text)
// stay in the report's language, marked as such, and the evidence values are the same rows.
import type TestAgent from 'supertest/lib/agent';
import { addUser, csrfFrom, logIn } from '../../helpers/admin';
import { acceptSwotCandidates, REPORT_DAY, REPORT_SURVEYS, seedReport } from '../../helpers/report';
import { createTestApp, type TestApp } from '../../helpers/test-app';

let t: TestApp;
let planner: TestAgent;
beforeEach(async () => {
  t = await createTestApp({ surveysDir: REPORT_SURVEYS });
  await seedReport(t);
  t.clock.now = REPORT_DAY;
  planner = await logIn(t, await addUser(t, 'planner'));
  expect(await acceptSwotCandidates(planner)).toBeGreaterThan(0);
}, 60_000);
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
const headers = (html: string) => [...html.matchAll(/<th scope="col">([^<]*)<\/th>/g)].map((m) => m[1]);
const evidenceValues = (html: string) => [...html.matchAll(/name="evidence" value="([^"]+)"/g)].map((m) => m[1]).sort();

describe('the findings page read in English', () => {
  it('has English column headers and English evidence lists, the drafts still in Turkish and marked so', async () => {
    // One finding so the T17 table is shown.
    const form = await planner.get('/admin/report/findings/new');
    const saved = await planner.post('/admin/report/findings').type('form').send({ _csrf: csrfFrom(form.text), finding: 'Otopark yetersiz', need: 'Yeni otopark', area: '', evidence: 'T9|istasyon' });
    expect(saved.status).toBe(303);

    const english = main((await planner.get('/admin/report/findings?lang=en')).text);
    expect(headers(english)).toEqual(['No', 'Finding', 'Evidence', 'Need', 'Service area', 'Actions']);
    expect(english).not.toMatch(/Tespit|Dayanak|İhtiyaç|Hizmet alanı/);
    // The table's cells are the report's text, marked as Turkish; a draft's evidence names tables in English.
    expect(english).toContain('<td lang="tr">Tablo 9 (İstasyon)</td>');
    expect(english).toContain('<td lang="tr">Otopark yetersiz</td>');
    expect(english).toMatch(/<li>Table 9: [^<]+ — İstasyon<\/li>/);
    expect(english).not.toMatch(/<li>Tablo /);
    // Drafts are report text: Turkish, marked lang="tr" on an English page.
    expect(english).toContain('<p class="draft-finding" id="draft-1-text" lang="tr">');

    const turkish = main((await planner.get('/admin/report/findings?lang=tr')).text);
    expect(headers(turkish)).toEqual(['No', 'Tespit', 'Dayanak', 'İhtiyaç', 'Hizmet alanı', 'İşlemler']);
    expect(turkish).toContain('<td>Tablo 9 (İstasyon)</td>');
  });
});

describe('the finding form read in English', () => {
  it('names the evidence tables in English and offers the same rows as in Turkish', async () => {
    const english = main((await planner.get('/admin/report/findings/new?lang=en')).text);
    expect(english).toMatch(/<legend>Table 9: [^<]+<\/legend>/);
    expect(english).not.toMatch(/<legend[^>]*>Tablo /);
    const turkish = main((await planner.get('/admin/report/findings/new?lang=tr')).text);
    expect(turkish).toMatch(/<legend>Tablo 9: [^<]+<\/legend>/);
    // The same rows, whatever the reader's language: a row named by report words only keeps its Turkish name, marked.
    expect(evidenceValues(english)).toEqual(evidenceValues(turkish));
    expect(evidenceValues(english).length).toBeGreaterThan(10);
    expect(english).toContain('<span lang="tr">Vatandaşlar Temizlik alanını öncelikli görüyor</span>');

    // A draft opened in English: its text stays the report's, its evidence is ticked.
    const draft = main((await planner.get('/admin/report/findings/new?draft=under-represented-mahalles&lang=en')).text);
    expect(draft).toContain('İstasyon (0,00) mahallesinden');
    expect(draft).toMatch(/<input type="checkbox" name="evidence" value="T9\|istasyon" checked>/);
  });

  it('re-renders a refused form in English', async () => {
    const form = await planner.get('/admin/report/findings/new?lang=en');
    const res = await planner.post('/admin/report/findings').type('form').send({ _csrf: csrfFrom(form.text), finding: '', need: '', evidence: 'T9|istasyon' });
    expect(res.status).toBe(422);
    expect(main(res.text)).toMatch(/<legend>Table 9: /);
  });
});
