import ExcelJS from 'exceljs';
import type TestAgent from 'supertest/lib/agent';
import { addUser, downloadBinary, logIn, postForm } from '../helpers/admin';
import { readCsvAsExcel, type Regional } from '../helpers/excel-csv';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { windows1254 } from '../helpers/windows-1254';

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

async function upload(to: TestAgent, name: string, content: Buffer, query = '') {
  const page = await to.get(`/admin/stakeholders/import${query}`);
  const token = /action="\/admin\/stakeholders\/import\?_csrf=([^"]+)"/.exec(page.text)![1]!;
  return to.post(`/admin/stakeholders/import?_csrf=${token}`).attach('file', content, name);
}

/** Each stored stakeholder with its e-mails and areas, in the order they were added. */
async function storedIn(app: TestApp) {
  const rows = await app.db.selectFrom('stakeholders').selectAll().orderBy('id').execute();
  const emails = await app.db.selectFrom('stakeholder_emails').selectAll().orderBy('position').execute();
  const areas = await app.db.selectFrom('stakeholder_areas').selectAll().execute();
  return rows.map((r) => ({
    name: r.name,
    group: r.group_id,
    scope: r.scope,
    type: r.type,
    contactPerson: r.contact_person,
    reason: r.reason,
    importance: r.importance,
    influence: r.influence,
    language: r.language,
    emails: emails.filter((e) => e.stakeholder_id === r.id).map((e) => e.email),
    areas: areas.filter((a) => a.stakeholder_id === r.id).map((a) => a.area_id).sort(),
  }));
}
const stored = () => storedIn(t);

async function confirm(to: TestAgent = agent) {
  const confirmed = await postForm(to, '/admin/stakeholders', '/admin/stakeholders/import/confirm');
  expect(confirmed.status).toBe(303);
  expect(confirmed.headers.location).toBe('/admin/stakeholders');
}

describe('import of a CSV file', () => {
  describe('when Turkish Excel saved it (Windows-1254, semicolons, CRLF, quoted fields)', () => {
    const text = [
      'Ad;Grup;Kapsam;Tür;E-posta;İletişim kişisi;Faaliyet alanları;Neden;Önem;Etki;Dil',
      '"Çevre Mühendisleri Odası, Yeşilvadi Şubesi";Meslek odası;Dış;Stratejik ortak;cmo@example.org;Ayşe Işıkçı;"Yol, kaldırım ve altyapı; Çevre koruma ve iklim";"İklim, ağaçlandırma ve ölçüm";4;3;tr',
      'İl Sağlık Müdürlüğü;Kamu kurumu;dış;;saglik@example.org;;"Yol, kaldırım ve altyapı, İmar ve şehircilik";"Şehir planı; sağlık";5;5;tr',
      '"Gençlik ""Ufuk"" Derneği";STK;Dış;;;Ömer Güneş;Kültür ve sanat;Gençlik çalışmaları;2;2;en',
    ].join('\r\n') + '\r\n';

    it('is read as such and its rows are stored with their Turkish letters and areas whose names hold a comma', async () => {
      const bytes = windows1254(text);
      // The test file really is Windows-1254: ş is one byte, 0xFE, and the bytes are no valid UTF-8.
      expect(bytes.includes(0xfe)).toBe(true);
      expect(() => new TextDecoder('utf-8', { fatal: true }).decode(bytes)).toThrow();

      const preview = await upload(agent, 'paydaslar.csv', bytes);
      expect(preview.status).toBe(200);
      expect(preview.text).toContain('Önizleme: 3 satır eklenmeye hazır, 0 satırda sorun var');
      await confirm();
      expect(await stored()).toEqual([
        {
          name: 'Çevre Mühendisleri Odası, Yeşilvadi Şubesi',
          group: 'meslek_odasi',
          scope: 'external',
          type: 'stratejik_ortak',
          contactPerson: 'Ayşe Işıkçı',
          reason: 'İklim, ağaçlandırma ve ölçüm',
          importance: 4,
          influence: 3,
          language: 'tr',
          emails: ['cmo@example.org'],
          areas: ['cevre_iklim', 'yol_altyapi'],
        },
        {
          name: 'İl Sağlık Müdürlüğü',
          group: 'kamu',
          scope: 'external',
          type: null,
          contactPerson: null,
          reason: 'Şehir planı; sağlık',
          importance: 5,
          influence: 5,
          language: 'tr',
          emails: ['saglik@example.org'],
          areas: ['imar_sehircilik', 'yol_altyapi'],
        },
        {
          name: 'Gençlik "Ufuk" Derneği',
          group: 'stk',
          scope: 'external',
          type: null,
          contactPerson: 'Ömer Güneş',
          reason: 'Gençlik çalışmaları',
          importance: 2,
          influence: 2,
          language: 'en',
          emails: [],
          areas: ['kultur_sanat'],
        },
      ]);
    });
  });

  it('reads UTF-8 with a byte-order mark, comma separated, with quoted commas in names, reasons and areas', async () => {
    const text = [
      'Ad,Grup,Önem,Etki,Faaliyet alanları,Neden',
      '"Şoförler ve Otomobilciler Odası",Meslek odası,3,4,"Ulaşım ve trafik düzenlemesi; Yol, kaldırım ve altyapı","Ulaşım, trafik"',
      'Ilıca Muhtarlığı,Muhtarlık,2,1,,',
    ].join('\n');
    const preview = await upload(agent, 'liste.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]));
    expect(preview.text).toContain('Önizleme: 2 satır eklenmeye hazır, 0 satırda sorun var');
    await confirm();
    expect((await stored()).map((s) => [s.name, s.group, s.importance, s.influence, s.areas, s.reason])).toEqual([
      ['Şoförler ve Otomobilciler Odası', 'meslek_odasi', 3, 4, ['ulasim_trafik', 'yol_altyapi'], 'Ulaşım, trafik'],
      ['Ilıca Muhtarlığı', 'muhtarlik', 2, 1, [], null],
    ]);
  });

  it('reads UTF-8 without a byte-order mark, semicolon separated, whose header holds no Turkish letter', async () => {
    const text = 'Name;Group;Importance;Influence;Activity areas\r\n"Öğretmenler Derneği";STK;3;3;"Eğitim destek hizmetleri, Kültür ve sanat"\r\n';
    const preview = await upload(agent, 'list.csv', Buffer.from(text, 'utf8'));
    expect(preview.text).toContain('Önizleme: 1 satır eklenmeye hazır, 0 satırda sorun var');
    await confirm();
    expect((await stored()).map((s) => [s.name, s.areas])).toEqual([['Öğretmenler Derneği', ['egitim_destek', 'kultur_sanat']]]);
  });

  it('reports an area it does not know as written, and still matches a known one with a comma next to it', async () => {
    const text = 'Ad;Grup;Önem;Etki;Faaliyet alanları\n"Bir Dernek";STK;3;3;"Yol, kaldırım ve altyapı, Uzay ve havacılık"\n';
    const preview = await upload(agent, 'liste.csv', Buffer.from(text, 'utf8'));
    expect(preview.text).toContain('Önizleme: 0 satır eklenmeye hazır, 1 satırda sorun var');
    expect(preview.text).toContain('Faaliyet alanı tanınmadı: Uzay ve havacılık');
    expect(preview.text).not.toContain('Faaliyet alanı tanınmadı: Yol');
  });
});

describe('the columns of an imported file', () => {
  it('are named in messages as the help names them, in the reader’s language', async () => {
    const file = Buffer.from('Ad;E-posta\r\nBir kurum;a@example.org\r\n', 'utf8');
    const turkish = await upload(agent, 'eksik.csv', file);
    expect(turkish.status).toBe(422);
    expect(turkish.text).toContain('Dosyada şu sütunlar yok: Grup, Önem, Etki.');
    expect(turkish.text).toContain('Ad, Grup, Kapsam (iç/dış), Tür, E-posta, İletişim kişisi, Faaliyet alanları, Neden, Önem, Etki, Dil');
    const english = await upload(agent, 'missing.csv', file, '?lang=en');
    expect(english.status).toBe(422);
    expect(english.text).toContain('The file lacks these columns: Group, Importance, Influence.');
    expect(await stored()).toEqual([]);
  });

  const row = ['Kent Konseyi', 'Kent konseyi', 'Dış paydaş', 'Temel ortak', 'konsey@example.org', '', 'Kültür ve sanat; Yol, kaldırım ve altyapı', 'Katılım', '4', '5', 'tr'];
  const expected = [['Kent Konseyi', 'kent_konseyi', 'temel_ortak', ['konsey@example.org'], ['kultur_sanat', 'yol_altyapi'], 4, 5]];
  const headers = {
    'Turkish headers of the export': ['Paydaş (kurum adı)', 'Grup', 'İç / dış', 'Tür (isteğe bağlı)', 'E-posta adresleri', 'İletişim kişisi (isteğe bağlı)', 'İlgili faaliyet alanları', 'Neden paydaş?', 'Önem (1–5)', 'Etki (1–5)', 'Yazışma dili'],
    'English headers of the export': ['Stakeholder (institution)', 'Group', 'Internal / external', 'Type (optional)', 'E-mail addresses', 'Contact person (optional)', 'Related activity areas', 'Why a stakeholder?', 'Importance (1–5)', 'Influence (1–5)', 'Language for e-mails'],
    'English keys': ['name', 'group', 'scope', 'type', 'emails', 'contact_person', 'areas', 'reason', 'importance', 'influence', 'language'],
  };
  const csvLine = (cells: string[]) => cells.map((c) => `"${c.replace(/"/g, '""')}"`).join(',');

  it.each(Object.entries(headers))('are recognised from the %s', async (_label, header) => {
    const preview = await upload(agent, 'liste.csv', Buffer.from([csvLine(header), csvLine(row)].join('\r\n'), 'utf8'));
    expect(preview.text).toContain('Önizleme: 1 satır eklenmeye hazır, 0 satırda sorun var');
    await confirm();
    expect((await stored()).map((s) => [s.name, s.group, s.type, s.emails, s.areas, s.importance, s.influence])).toEqual(expected);
  });

  it('are recognised from the old export’s two header rows (keys, then Turkish), in CSV and XLSX', async () => {
    const csv = [csvLine(headers['English keys']), csvLine(headers['Turkish headers of the export']), csvLine(row)].join('\r\n');
    const preview = await upload(agent, 'liste.csv', Buffer.from(csv, 'utf8'));
    expect(preview.text).toContain('Önizleme: 1 satır eklenmeye hazır, 0 satırda sorun var');
    expect(preview.text).toMatch(/<td class="num">3<\/td><th scope="row">Kent Konseyi<\/th>/);

    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Paydaşlar');
    sheet.addRow(headers['English keys']);
    sheet.addRow(headers['Turkish headers of the export']);
    sheet.addRow([...row.slice(0, 8), 4, 5, 'tr']);
    const xlsx = await upload(agent, 'liste.xlsx', Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(xlsx.text).toContain('Önizleme: 1 satır eklenmeye hazır, 0 satırda sorun var');
    await confirm();
    expect((await stored()).map((s) => [s.name, s.group, s.type, s.emails, s.areas, s.importance, s.influence])).toEqual(expected);
  });
});

describe('the register’s export', () => {
  it.each([
    ['csv', 'tr'],
    ['xlsx', 'tr'],
    ['csv', 'en'],
    ['xlsx', 'en'],
  ])('imports back into an empty register as the same entries (%s in %s)', async (format, language) => {
    const text = [
      'Ad;Grup;Kapsam;Tür;E-posta;İletişim kişisi;Faaliyet alanları;Neden;Önem;Etki;Dil',
      '"Çevre Mühendisleri Odası, Şube";Meslek odası;Dış;Stratejik ortak;cmo@example.org;Ayşe Işık;"Yol, kaldırım ve altyapı; Çevre koruma ve iklim";"İklim, ölçüm";4;3;tr',
      'Belediye Meclisi;Kamu kurumu;İç;;"meclis@example.org, uye@example.org";;;;5;5;en',
      '"Engelliler Derneği";STK;Dış;Hizmet alan;;;"Engelli, yaşlı ve kadın hizmetleri";"-erişilebilirlik";3;2;tr',
    ].join('\r\n');
    await upload(agent, 'paydaslar.csv', windows1254(text));
    await confirm();
    const original = await stored();
    expect(original).toHaveLength(3);

    const exported = await downloadBinary(agent, `/admin/stakeholders/export.${format}?lang=${language}`);
    expect(exported.status).toBe(200);
    if (format === 'csv') {
      // In the dialect of the reader's Excel (Turkish: semicolons): a header and three rows of 14 cells.
      expect(readCsvAsExcel(exported.body as Buffer, language as Regional).map((row) => row.length)).toEqual([14, 14, 14, 14]);
    }
    const other = await createTestApp();
    try {
      const otherAgent = await logIn(other, await addUser(other, 'planner'));
      const preview = await upload(otherAgent, `paydaslar.${format}`, exported.body as Buffer);
      expect(preview.text).toContain('Önizleme: 3 satır eklenmeye hazır, 0 satırda sorun var');
      await confirm(otherAgent);
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name, 'tr');
      expect((await storedIn(other)).sort(byName)).toEqual(original.sort(byName));
      expect(other.logged).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
