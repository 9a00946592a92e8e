// The codebook as a file: exported as CSV (tools and Excel forms) and XLSX, imported with a preview.
import ExcelJS from 'exceljs';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { codingRepository } from '../../../server/analysis/coding';
import { addUser, csrfFrom, downloadBinary, downloadWorkbook, logIn, postForm } from '../../helpers/admin';
import { addResponse, addTheme, auditActions, CITIZEN, IMPROVE, INSTITUTION } from '../../helpers/coding';
import { readCsvAsExcel } from '../../helpers/excel-csv';
import { htmlProblems } from '../../helpers/html';
import { createTestApp, type TestApp } from '../../helpers/test-app';
import * as batchRepository from '../../../server/analysis/coding/coding-batch.repository';

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

const codebook = (slug: string) => `/admin/surveys/${slug}/codebook`;
const HEADER_TR = ['Tema', 'Faaliyet alanı kodu', 'Faaliyet alanı', 'GZFT türü', 'Anahtar sözcükler', 'Arama kuralı'];
const HEADER_EN = ['Theme', 'Activity area id', 'Activity area', 'SWOT kind', 'Keywords', 'Search rule'];

/** The survey's codebook as stored, without ids, in the codebook's order. */
const codebookOf = async (slug: string) => (await codingRepository.themes(t.db, slug)).map(({ name, areaId, swotKind, keywords }) => ({ name, areaId, swotKind, keywords }));
const rulesOf = async (slug: string) => (await codingRepository.themes(t.db, slug)).map(({ name, rule }) => ({ name, rule }));

async function upload(agent: TestAgent, slug: string, name: string, content: Buffer, query = '') {
  const page = await agent.get(`${codebook(slug)}/import${query}`);
  const token = new RegExp(`action="${codebook(slug)}/import\\?_csrf=([^"]+)"`).exec(page.text)![1]!;
  return agent.post(`${codebook(slug)}/import?_csrf=${token}${query ? `&${query.slice(1)}` : ''}`).attach('file', content, name);
}

const confirm = (agent: TestAgent, slug: string) => postForm(agent, `${codebook(slug)}/import`, `${codebook(slug)}/import/confirm`);

async function sampleCodebook(slug = CITIZEN) {
  await addTheme(t, slug, 'Çöp toplama', { areaId: 'temizlik_atik', swotKind: 'weakness', keywords: ['çöp', 'konteyner'] });
  await addTheme(t, slug, 'Parklar', { areaId: 'park_bahce', swotKind: 'strength', keywords: ['park'] });
  await addTheme(t, slug, '=HYPERLINK("http://kötü")', { keywords: ['-gürültü', '@ses'] });
  await addTheme(t, slug, 'Ulaşım');
}

describe('export', () => {
  beforeEach(() => sampleCodebook());

  it('writes the CSV for tools: commas, no BOM, one row per theme, formula-like texts defused', async () => {
    const response = await downloadBinary(planner, `${codebook(CITIZEN)}/export.csv`);

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(response.headers['content-disposition']).toContain(`kod-defteri-${CITIZEN}-`);
    const body = response.body as Buffer;
    expect(body.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(false);
    expect(readCsvAsExcel(body, 'en')).toEqual([
      HEADER_TR,
      [`'=HYPERLINK("http://kötü")`, '', '', '', "'-gürültü, @ses", ''],
      ['Çöp toplama', 'temizlik_atik', 'Temizlik ve atık yönetimi', 'Zayıf yön', 'çöp, konteyner', ''],
      ['Parklar', 'park_bahce', 'Park, bahçe ve yeşil alanlar', 'Güçlü yön', 'park', ''],
      ['Ulaşım', '', '', '', '', ''],
    ]);
  });

  it.each([
    ['tr', HEADER_TR, 'Zayıf yön', 'Temizlik ve atık yönetimi'],
    ['en', HEADER_EN, 'Weakness', 'Cleaning and waste management'],
  ] as const)('writes the Excel CSV in the %s reader’s dialect with a BOM', async (language, header, weakness, area) => {
    const response = await downloadBinary(planner, `${codebook(CITIZEN)}/export-excel.csv?lang=${language}`);

    expect(response.status).toBe(200);
    const body = response.body as Buffer;
    expect(body.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
    const cells = readCsvAsExcel(body, language);
    expect(cells[0]).toEqual(header);
    expect(cells[1]![0]).toBe(`'=HYPERLINK("http://kötü")`);
    expect(cells[2]).toEqual(['Çöp toplama', 'temizlik_atik', area, weakness, 'çöp, konteyner', '']);
  });

  it('writes the XLSX with texts as plain string cells', async () => {
    const { status, book } = await downloadWorkbook(planner, `${codebook(CITIZEN)}/export.xlsx`);

    expect(status).toBe(200);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('Kod defteri');
    expect(sheet.getRow(1).values).toEqual([undefined, ...HEADER_TR]);
    expect(sheet.getRow(3).values).toEqual([undefined, 'Çöp toplama', 'temizlik_atik', 'Temizlik ve atık yönetimi', 'Zayıf yön', 'çöp, konteyner']);
    const formulaLike = sheet.getRow(2).getCell(1);
    expect(formulaLike.value).toBe('=HYPERLINK("http://kötü")');
    expect(formulaLike.type).toBe(ExcelJS.ValueType.String);
  });

  it('answers 404 for an unknown form, an unknown survey', async () => {
    expect((await planner.get(`${codebook(CITIZEN)}/export-word.csv`)).status).toBe(404);
    expect((await planner.get(`${codebook('yok-boyle')}/export.xlsx`)).status).toBe(404);
  });

  it('is linked from the codebook page', async () => {
    const page = await planner.get(codebook(CITIZEN));
    for (const link of ['export.xlsx', 'export-excel.csv', 'export.csv', 'import']) expect(page.text).toContain(`href="${codebook(CITIZEN)}/${link}"`);
    expect(await htmlProblems(page.text)).toEqual([]);
  });
});

describe('round trip', () => {
  it.each([
    ['tools CSV', 'export.csv', 'kod-defteri.csv'],
    ['Turkish Excel CSV', 'export-excel.csv', 'kod-defteri.csv'],
    ['XLSX', 'export.xlsx', 'kod-defteri.xlsx'],
  ])('a codebook exported as %s and imported into another survey is the same codebook', async (_form, file, name) => {
    await sampleCodebook();
    // A search kept as a theme's rule goes with it.
    const parks = (await codingRepository.themes(t.db, CITIZEN)).find((theme) => theme.name === 'Parklar')!;
    await batchRepository.setRule(t.db, parks.id, 'park* -"otopark"', t.clock.now);
    const exported = await downloadBinary(planner, `${codebook(CITIZEN)}/${file}`);

    const preview = await upload(planner, INSTITUTION, name, exported.body as Buffer);
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Önizleme: 4 satır hazır, 0 satırda sorun var');
    expect(await codebookOf(INSTITUTION)).toEqual([]);
    const confirmed = await confirm(planner, INSTITUTION);

    expect(confirmed.status).toBe(303);
    expect(confirmed.headers.location).toBe(codebook(INSTITUTION));
    expect(await codebookOf(INSTITUTION)).toEqual(await codebookOf(CITIZEN));
    expect(await rulesOf(INSTITUTION)).toEqual(await rulesOf(CITIZEN));
    expect((await rulesOf(INSTITUTION)).find((theme) => theme.name === 'Parklar')!.rule).toBe('park* -"otopark"');
    expect(await auditActions(t)).toEqual(['theme.imported']);
    expect((await planner.get(codebook(INSTITUTION))).text).toContain('Kod defteri içe aktarıldı: 4 yeni tema, 0 tema güncellendi, 0 tema zaten aynıydı.');
  });
});

describe('import', () => {
  const csv = (lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');

  it('previews new, updated and unchanged rows and problems per row, stores nothing until confirmed, then only the good rows', async () => {
    const parks = await addTheme(t, CITIZEN, 'Parklar', { keywords: ['park'] });
    const waste = await addTheme(t, CITIZEN, 'İmar ve Çevre', { swotKind: 'threat' });
    const { answerIds } = await addResponse(t, CITIZEN, { [IMPROVE]: 'Park yok' });
    await codingRepository.saveCoding(t.db, answerIds[IMPROVE]!, [parks], null, t.clock.now);
    const file = csv([
      'Tema;Faaliyet alanı;GZFT türü;Anahtar sözcükler',
      'Parklar;;;park',
      'imar ve cevre;İmar ve şehircilik;Fırsat;imar, <b>ruhsat</b>',
      'Yeni tema;Temizlik ve atık yönetimi;;çöp',
      'Uzay;Uzay araştırmaları;;',
      'Kötü tür;;Risk;',
    ]);

    const preview = await upload(planner, CITIZEN, 'kod.csv', file);

    expect(preview.status).toBe(200);
    expect(await htmlProblems(preview.text)).toEqual([]);
    expect(preview.text).toContain('Önizleme: 3 satır hazır, 2 satırda sorun var');
    expect(preview.text).toContain('Aynı adlı tema zaten böyle; değişiklik yok');
    expect(preview.text).toContain('Aynı adlı tema güncellenecek');
    expect(preview.text).toContain('Yeni tema olarak eklenecek');
    expect(preview.text).toContain('Faaliyet alanı tanınmadı: Uzay araştırmaları');
    expect(preview.text).toContain('GZFT türü tanınmadı: Risk');
    expect(await auditActions(t)).toEqual([]);

    await confirm(planner, CITIZEN);

    expect(await codebookOf(CITIZEN)).toEqual([
      { name: 'imar ve cevre', areaId: 'imar_sehircilik', swotKind: 'opportunity', keywords: ['imar', '<b>ruhsat</b>'] },
      { name: 'Parklar', areaId: null, swotKind: null, keywords: ['park'] },
      { name: 'Yeni tema', areaId: 'temizlik_atik', swotKind: null, keywords: ['çöp'] },
    ]);
    // Existing themes keep their ids, so their coding stays.
    expect((await codingRepository.themes(t.db, CITIZEN)).map((theme) => theme.id).slice(0, 2)).toEqual([waste, parks]);
    expect(await codingRepository.codesOf(t.db, [answerIds[IMPROVE]!])).toEqual(new Map([[answerIds[IMPROVE]!, [parks]]]));
    const events = await t.db.selectFrom('audit_events').select(['action', 'details']).where('action', '=', 'theme.imported').execute();
    expect(events.map((e) => JSON.parse(e.details!))).toEqual([{ survey: CITIZEN, created: 1, updated: 1, unchanged: 1 }]);
    expect((await planner.get(codebook(CITIZEN))).text).toContain('&lt;b&gt;ruhsat&lt;/b&gt;');
  });

  it('shows English messages to an English reader', async () => {
    const preview = await upload(planner, CITIZEN, 'kod.csv', csv(['Theme,SWOT kind', 'Roads,Risk']), '?lang=en');
    expect(preview.status).toBe(200);
    expect(preview.text).toContain('Preview: 0 rows ready, 1 row with problems');
    expect(preview.text).toContain('SWOT kind not recognised: Risk');
    expect(preview.text).not.toContain('Import 0 rows');
  });

  describe('with a bad file', () => {
    it.each([
      ['no theme column', 'a.csv', csv(['Ad soyad;Telefon', 'Ali;123']), 'Dosyada şu sütunlar yok: Tema.'],
      ['a header only', 'a.csv', csv(['Tema;GZFT türü']), 'Dosyada başlık satırından sonra tema yok.'],
      ['an empty file', 'a.csv', Buffer.alloc(0), 'Bir dosya seçin.'],
      ['a broken XLSX', 'a.xlsx', Buffer.from([0x50, 0x4b, 0x03, 0x04, 9, 9, 9, 9]), 'Dosya okunamadı; CSV ya da .xlsx olduğundan emin olun.'],
      ['a binary file', 'a.csv', Buffer.from([0x00, 0x9f, 0x92, 0x96, 0x00]), 'Dosya okunamadı; CSV ya da .xlsx olduğundan emin olun.'],
    ])('answers 422 with a message for %s and changes nothing', async (_case, name, content, message) => {
      await addTheme(t, CITIZEN, 'Parklar');

      const response = await upload(planner, CITIZEN, name, content);

      expect(response.status).toBe(422);
      expect(response.text).toContain(message);
      expect(await htmlProblems(response.text)).toEqual([]);
      // A confirmation afterwards finds nothing waiting.
      const confirmed = await confirm(planner, CITIZEN);
      expect(confirmed.headers.location).toBe(`${codebook(CITIZEN)}/import`);
      expect(await codebookOf(CITIZEN)).toEqual([{ name: 'Parklar', areaId: null, swotKind: null, keywords: [] }]);
      expect(await auditActions(t)).toEqual([]);
    });

    it('answers 422 without a file', async () => {
      const page = await planner.get(`${codebook(CITIZEN)}/import`);
      const token = /import\?_csrf=([^"]+)"/.exec(page.text)![1]!;
      const response = await planner.post(`${codebook(CITIZEN)}/import?_csrf=${token}`).field('x', '1');
      expect(response.status).toBe(422);
      expect(response.text).toContain('Bir dosya seçin.');
    });

    it('answers 413 for a file over 1 MB', async () => {
      const response = await upload(planner, CITIZEN, 'big.csv', Buffer.alloc(1024 * 1024 + 1, 'a'));
      expect(response.status).toBe(413);
      expect(await codebookOf(CITIZEN)).toEqual([]);
    });
  });

  it('does not confirm a preview into another survey, nor an expired one', async () => {
    const file = csv(['Tema', 'Yeni']);
    await upload(planner, CITIZEN, 'kod.csv', file);
    const other = await confirm(planner, INSTITUTION);
    expect(other.headers.location).toBe(`${codebook(INSTITUTION)}/import`);
    expect((await planner.get(`${codebook(INSTITUTION)}/import`)).text).toContain('Önizleme süresi doldu; dosyayı yeniden yükleyin.');

    await upload(planner, CITIZEN, 'kod.csv', file);
    t.clock.now = new Date(t.clock.now.getTime() + 31 * 60_000);
    expect((await confirm(planner, CITIZEN)).headers.location).toBe(`${codebook(CITIZEN)}/import`);

    expect(await codebookOf(CITIZEN)).toEqual([]);
    expect(await codebookOf(INSTITUTION)).toEqual([]);
  });

  it('imports a confirmed preview once', async () => {
    await upload(planner, CITIZEN, 'kod.csv', csv(['Tema', 'Yeni']));
    await confirm(planner, CITIZEN);
    expect((await confirm(planner, CITIZEN)).headers.location).toBe(`${codebook(CITIZEN)}/import`);
    expect(await auditActions(t)).toEqual(['theme.imported']);
  });
});

describe('access', () => {
  it('refuses an upload without a CSRF token, and with the token in the body of a multipart form', async () => {
    const page = await planner.get(`${codebook(CITIZEN)}/import`);
    const token = csrfFrom(page.text.replace(/import\?_csrf=([^"]+)"/, (_m, value: string) => `" name="_csrf" value="${decodeURIComponent(value)}"`));
    const content = Buffer.from('Tema\r\nYeni\r\n');

    expect((await planner.post(`${codebook(CITIZEN)}/import`).attach('file', content, 'a.csv')).status).toBe(403);
    expect((await planner.post(`${codebook(CITIZEN)}/import`).field('_csrf', token).attach('file', content, 'a.csv')).status).toBe(403);
    expect((await planner.post(`${codebook(CITIZEN)}/import/confirm`).type('form').send({})).status).toBe(403);
    expect(await codebookOf(CITIZEN)).toEqual([]);
  });

  it('gives viewers 403 on the exports and the import, and writes nothing', async () => {
    await addTheme(t, CITIZEN, 'Parklar');
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    const token = csrfFrom((await viewer.get('/admin/surveys')).text);

    for (const file of ['export.csv', 'export-excel.csv', 'export.xlsx', 'import']) expect((await viewer.get(`${codebook(CITIZEN)}/${file}`)).status).toBe(403);
    expect((await viewer.post(`${codebook(CITIZEN)}/import?_csrf=${encodeURIComponent(token)}`).attach('file', Buffer.from('Tema\r\nYeni\r\n'), 'a.csv')).status).toBe(403);
    expect((await viewer.post(`${codebook(CITIZEN)}/import/confirm`).type('form').send({ _csrf: token })).status).toBe(403);
    expect(await codebookOf(CITIZEN)).toEqual([{ name: 'Parklar', areaId: null, swotKind: null, keywords: [] }]);
  });

  it('sends visitors without a session to the login page', async () => {
    const response = await request(t.app).get(`${codebook(CITIZEN)}/export.csv`);
    expect(response.status).toBe(303);
    expect(response.headers.location).toContain('/admin/login');
  });
});
