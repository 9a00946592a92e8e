// The printable paper questionnaire: every question numbered as the entry grid reads it back,
// options with their numbers and boxes, matrices as tables, lines to write on, conditions in
// words; behind the login, and every definition text escaped.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { addUser, logIn } from '../../helpers/admin';
import { htmlProblems } from '../../helpers/html';
import { createTestApp, FIXTURE_SURVEYS, type TestApp } from '../../helpers/test-app';

let t: TestApp;
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const PAGE = '/admin/surveys/tum-soru-tipleri/paper';
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/\s+/g, ' ');

describe('the paper form page', () => {
  beforeEach(async () => {
    t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });
  });

  it('numbers every question and option as the grid reads them, with a form number box', async () => {
    const planner = await logIn(t, await addUser(t, 'planner'));
    const page = await planner.get(PAGE);
    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    const words = text(page.text);
    expect(page.text).toContain('<title>Kâğıt form: Tüm soru tipleri · Paydaş</title>');
    expect(words).toContain('Form no');
    expect(page.text.match(/class="paper-form-no"[\s\S]*?<\/div>/)![0].match(/paper-digit/g)).toHaveLength(6);
    for (let n = 1; n <= 23; n++) expect(page.text).toContain(`id="soru-${n}"`);
    expect(words).toContain('1. En sevdiğiniz renk');
    expect(words).toContain('1 Kırmızı');
    expect(words).toContain('2 Mavi');
    expect(words).toContain('3 Diğer (belirtiniz)');
    // The matrix: scale numbers as columns, a row a line, "Bilgim yok" after the scale.
    const matrix = /<div class="paper-q" id="soru-6">[\s\S]*?<\/table>/.exec(page.text)![0];
    expect(text(matrix)).toContain('Satır1Çok kötü2Kötü3Orta4İyi5Çok iyi6Bilgim yok');
    expect(text(matrix)).toContain('6a Temizlik');
    expect(matrix.match(/<tr><th scope="row">/g)).toHaveLength(3);
    // A rating by value, a ranking by item numbers, texts with lines.
    expect(text(/id="soru-7">[\s\S]*?<\/ul>/.exec(page.text)![0])).toContain('0 1 2 3 4 5 6 7 8 9 10');
    expect(text(/id="soru-8">[\s\S]*?<\/div>/.exec(page.text)![0])).toContain('en önemli 2 tanesinin numarasını');
    expect(/id="soru-13">[\s\S]*?<\/div>/.exec(page.text)![0].match(/paper-line/g)).toHaveLength(4);
    // Conditions in words, naming questions by number.
    expect(words).toContain('Yalnızca 4. soruda “Evet” (1) yanıtını verdiyseniz yanıtlayın.');
    expect(words).toContain('Yalnızca 1. soruda “Mavi” (2) dışında bir yanıt verdiyseniz yanıtlayın.');
  });

  it('is in English for an English planner', async () => {
    const planner = await logIn(t, await addUser(t, 'planner'));
    const page = await planner.get(`${PAGE}?lang=en`);
    expect(text(page.text)).toContain('Answer only if you answered “Yes” (1) to question 4.');
    expect(text(page.text)).toContain('Form no.');
  });

  it('is linked from the survey\'s page and from the entry pages', async () => {
    const planner = await logIn(t, await addUser(t, 'planner'));
    expect((await planner.get('/admin/surveys/tum-soru-tipleri')).text).toContain(`<a href="${PAGE}">Kâğıt form (yazdırılabilir)</a>`);
    const entry = await planner.get((await planner.get('/admin/surveys/tum-soru-tipleri/entry/paper')).headers.location!);
    expect(entry.text).toContain(`<a href="${PAGE}">Kâğıt form (yazdırılabilir)</a>`);
  });

  it('asks for a login, and is not for viewers', async () => {
    const anonymous = await request(t.app).get(PAGE);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toBe(`/admin/login?next=${encodeURIComponent(PAGE)}`);
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    expect((await viewer.get(PAGE)).status).toBe(403);
    expect((await viewer.get('/admin/surveys/tum-soru-tipleri')).text).not.toContain(PAGE);
    expect((await (await logIn(t, await addUser(t, 'planner'))).get('/admin/surveys/yok-boyle/paper')).status).toBe(404);
  });
});

describe('a definition with markup in its texts', () => {
  it('prints every text escaped', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paper-escape-'));
    fs.copyFileSync(path.join(FIXTURE_SURVEYS, 'municipality.json'), path.join(dir, 'municipality.json'));
    const definition = JSON.parse(fs.readFileSync(path.join(FIXTURE_SURVEYS, 'tum-soru-tipleri.json'), 'utf8'));
    const hostile = '<script>alert(1)</script> & "x"';
    definition.title.tr = `Başlık ${hostile}`;
    definition.sections[0].questions[0].text.tr = `Renk ${hostile}`;
    definition.sections[0].questions[0].options[0].label.tr = `Kırmızı <img src=x onerror=alert(2)>`;
    fs.writeFileSync(path.join(dir, 'tum-soru-tipleri.json'), JSON.stringify(definition));
    t = await createTestApp({ surveysDir: dir, now: new Date('2026-06-01T12:00:00+03:00') });
    const page = await (await logIn(t, await addUser(t, 'planner'))).get(PAGE);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<script>alert(1)');
    expect(page.text).not.toContain('<img src=x');
    expect(page.text).toContain('Renk &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;');
    // The condition names the option in words, escaped too.
    expect(page.text).toContain('“Kırmızı &lt;img src=x onerror=alert(2)&gt;” (1)');
    expect(await htmlProblems(page.text)).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
