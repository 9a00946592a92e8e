import ExcelJS from 'exceljs';
import type TestAgent from 'supertest/lib/agent';
import { addUser, csrfFrom, logIn, postForm } from '../helpers/admin';
import { readCsvAsExcel } from '../helpers/excel-csv';
import { htmlProblems } from '../helpers/html';
import { createTestApp, type TestApp } from '../helpers/test-app';

let t: TestApp;
let agent: TestAgent;
beforeEach(async () => {
  t = await createTestApp();
  agent = await logIn(t, await addUser(t, 'planner'));
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const stored = () => t.db.selectFrom('stakeholders').selectAll().orderBy('id').execute();
const baseForm = {
  name: 'İnşaat Mühendisleri Odası',
  group: 'meslek_odasi',
  scope: 'external',
  type: 'stratejik_ortak',
  emails: 'IMO@example.org; baskan@example.org',
  contact_person: 'Şube Başkanı',
  areas: ['imar_sehircilik', 'afet_acil_durum'],
  reason: 'Yapı denetimi ve afet hazırlığı',
  importance: '4',
  influence: '3',
  language: 'tr',
};
const encode = (fields: Record<string, string | string[]>) => {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) for (const item of Array.isArray(value) ? value : [value]) params.append(key, item);
  return params.toString();
};
async function create(fields: Record<string, string | string[]> = baseForm) {
  const page = await agent.get('/admin/stakeholders/new');
  return agent.post('/admin/stakeholders').type('form').send(encode({ _csrf: csrfFrom(page.text), ...fields }));
}

describe('the register', () => {
  it('creates a stakeholder with its e-mails and areas; priority and category are computed', async () => {
    const areas = t.catalog.municipality.activityAreas.map((a) => a.id);
    expect(areas).toEqual(expect.arrayContaining(['imar_sehircilik', 'afet_acil_durum']));
    const created = await create();
    expect(created.status).toBe(303);
    const [row] = await stored();
    expect(row).toMatchObject({ name: 'İnşaat Mühendisleri Odası', group_id: 'meslek_odasi', importance: 4, influence: 3, source: 'register' });
    expect(await t.db.selectFrom('stakeholder_emails').select('email').orderBy('position').execute()).toEqual([{ email: 'imo@example.org' }, { email: 'baskan@example.org' }]);
    const list = await agent.get('/admin/stakeholders');
    expect(list.text).toMatch(/<td class="num">4<\/td>\s*<td class="num">3<\/td>\s*<td class="num">12<\/td>\s*<td>Birlikte çalış<\/td>/);
    expect(await htmlProblems(list.text)).toEqual([]);
    const filtered = await agent.get('/admin/stakeholders?category=izle');
    expect(filtered.text).not.toContain('İnşaat Mühendisleri Odası');
  });

  it('names each language of the language choice in itself, marked with its lang', async () => {
    const page = await agent.get('/admin/stakeholders/new?lang=en');
    expect(page.text).toMatch(/<option value="tr" lang="tr"[^>]*>Türkçe<\/option>/);
    expect(page.text).toMatch(/<option value="en" lang="en"[^>]*>English<\/option>/);
  });

  it('refuses a bad form with messages next to the fields and keeps what was typed', async () => {
    const bad = await create({ ...baseForm, name: '', emails: 'yanlis-adres', importance: '7', areas: ['uzay'] });
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Bu alanı doldurun.');
    expect(bad.text).toContain('Geçerli e-posta adresleri yazın.');
    expect(bad.text).toContain('Listedeki faaliyet alanlarından seçin.');
    expect(bad.text).toContain('value="yanlis-adres"');
    expect(await stored()).toEqual([]);
  });

  it('edits, archives and restores an entry', async () => {
    await create();
    const { id } = (await stored())[0]!;
    await postForm(agent, `/admin/stakeholders/${id}`, `/admin/stakeholders/${id}`, { ...baseForm, areas: 'imar_sehircilik', importance: '2', influence: '2' } as never);
    expect((await stored())[0]).toMatchObject({ importance: 2, influence: 2 });
    await postForm(agent, `/admin/stakeholders/${id}`, `/admin/stakeholders/${id}/archive`);
    expect((await stored())[0]!.archived_at).not.toBeNull();
    expect((await agent.get('/admin/stakeholders')).text).not.toContain(`<a href="/admin/stakeholders/${id}">`);
    expect((await agent.get('/admin/stakeholders?archived=1')).text).toContain(`<a href="/admin/stakeholders/${id}">`);
    await postForm(agent, `/admin/stakeholders/${id}`, `/admin/stakeholders/${id}/archive`);
    expect((await stored())[0]!.archived_at).toBeNull();
  });
});

describe('import', () => {
  async function upload(name: string, content: Buffer) {
    const page = await agent.get('/admin/stakeholders/import');
    const token = /action="\/admin\/stakeholders\/import\?_csrf=([^"]+)"/.exec(page.text)![1]!;
    return agent.post(`/admin/stakeholders/import?_csrf=${token}`).attach('file', content, name);
  }
  const csv = [
    'Ad;Grup;Kapsam;Tür;E-posta;İletişim kişisi;Faaliyet alanları;Neden;Önem;Etki;Dil',
    'Yeşilvadi Üniversitesi;Üniversite;Dış;Stratejik ortak;rektorluk@example.org;;Eğitim destek hizmetleri;Bilimsel iş birliği;5;4;tr',
    'Ticaret Odası;meslek odası;dış;;oda@example.org, genel@example.org;Genel sekreter;;Esnaf;4;5;en',
    ';STK;dış;;x@example.org;;;;3;3;tr',
    'Hayvan Hakları Derneği;Sendika;dış;;yanlis;;Uzay;;6;3;fr',
    'Ticaret Odası;Meslek odası;dış;;;;;;3;3;tr',
  ].join('\n');

  it('previews every row with its problems, stores nothing, then adds the good rows on confirmation', async () => {
    const preview = await upload('liste.csv', Buffer.from(csv));
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Önizleme: 2 satır eklenmeye hazır, 3 satırda sorun var');
    expect(preview.text).toContain('Ad boş.');
    expect(preview.text).toContain('Grup tanınmadı: Sendika');
    expect(preview.text).toContain('Geçersiz e-posta: yanlis');
    expect(preview.text).toContain('Faaliyet alanı tanınmadı: Uzay');
    expect(preview.text).toContain('1 ile 5 arasında bir tam sayı olmalı: 6');
    expect(preview.text).toContain('Dil tr ya da en olmalı: fr');
    expect(preview.text).toContain('Bu ad kayıtta ya da dosyada zaten var: Ticaret Odası');
    expect(await htmlProblems(preview.text)).toEqual([]);
    expect(await stored()).toEqual([]);
    const confirmed = await postForm(agent, '/admin/stakeholders', '/admin/stakeholders/import/confirm');
    expect(confirmed.status).toBe(303);
    const rows = await stored();
    expect(rows.map((r) => [r.name, r.group_id, r.importance, r.influence, r.language, r.type])).toEqual([
      ['Yeşilvadi Üniversitesi', 'universite', 5, 4, 'tr', 'stratejik_ortak'],
      ['Ticaret Odası', 'meslek_odasi', 4, 5, 'en', null],
    ]);
    expect(await t.db.selectFrom('stakeholder_areas').select('area_id').execute()).toEqual([{ area_id: 'egitim_destek' }]);
    const again = await postForm(agent, '/admin/stakeholders', '/admin/stakeholders/import/confirm');
    expect(again.headers.location).toBe('/admin/stakeholders/import');
    expect(await stored()).toHaveLength(2);
  });

  it('reads XLSX with English headers, and refuses a file without the needed columns', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('List');
    sheet.addRow(['Name', 'Group', 'Importance', 'Influence', 'Email']);
    sheet.addRow(['Kent Konseyi', 'City council', 4, 4, 'konsey@example.org']);
    const preview = await upload('list.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(preview.text).toContain('Önizleme: 1 satır eklenmeye hazır, 0 satırda sorun var');
    const missing = await upload('eksik.csv', Buffer.from('Ad,E-posta\nBir kurum,a@example.org\n'));
    expect(missing.status).toBe(422);
    expect(missing.text).toContain('Dosyada şu sütunlar yok: Grup, Önem, Etki.');
  });
});

describe('export and analysis', () => {
  it('exports the register as CSV, and shows Tablo 1, Tablo 2 sorted by priority and the matrix data', async () => {
    await create();
    await create({ ...baseForm, name: 'Esnaf Derneği', group: 'stk', importance: '5', influence: '5', emails: '', areas: [] });
    await create({ ...baseForm, name: 'Mahalle Muhtarı', group: 'muhtarlik', importance: '2', influence: '1', emails: '', areas: [] });
    const csvResponse = await agent.get('/admin/stakeholders/export.csv');
    // As Turkish Excel opens it: fields split at semicolons, every row as wide as the header.
    const [header, ...rows] = readCsvAsExcel(csvResponse.text, 'tr');
    expect(rows.map((row) => row.slice(0, 5))).toContainEqual(['İnşaat Mühendisleri Odası', 'Meslek odası', 'Dış paydaş', 'Stratejik ortak', 'imo@example.org; baskan@example.org']);
    // One header row, in the planner's language.
    expect(header).toEqual([
      'Paydaş (kurum adı)', 'Grup', 'İç / dış', 'Tür (isteğe bağlı)', 'E-posta adresleri', 'İletişim kişisi (isteğe bağlı)', 'İlgili faaliyet alanları', 'Neden paydaş?', 'Önem (1–5)',
      'Etki (1–5)', 'Öncelik (önem × etki)', 'Kategori', 'Yazışma dili', 'Kaynak',
    ]);
    expect(rows[0]![2]).toMatch(/^(Dış|İç) paydaş$/);
    const page = await agent.get('/admin/stakeholders/analysis');
    expect(page.status).toBe(200);
    const t2 = /<h2 id="t2">[\s\S]*?<\/table>/.exec(page.text)![0];
    const order = [...t2.matchAll(/<th scope="row">([^<]+)<\/th>/g)].map((m) => m[1]);
    expect(order).toEqual(['Esnaf Derneği', 'İnşaat Mühendisleri Odası', 'Mahalle Muhtarı']);
    expect(page.text).toContain('&#34;threshold&#34;:3');
    expect(t2).toMatch(/Mahalle Muhtarı<\/th><td>Dış paydaş<\/td><td class="num" data-value="2">2<\/td><td class="num" data-value="1">1<\/td><td class="num">2<\/td><td>İzle<\/td>/);
    await postForm(agent, '/admin/stakeholders/analysis', '/admin/stakeholders/threshold', { threshold: '5' });
    const raised = await agent.get('/admin/stakeholders/analysis');
    expect(raised.text).toMatch(/İnşaat Mühendisleri Odası<\/th><td>Dış paydaş<\/td>.*<td>İzle<\/td>/);
    expect(await htmlProblems(raised.text)).toEqual([]);
  });
});
