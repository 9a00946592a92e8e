// Lists people read by name come in Turkish alphabetical order (C Ç D … I İ J … S Ş …), not in
// the byte order SQLite's ORDER BY gives, which puts Ç, İ and Ş after Z.
import request from 'supertest';
import { stakeholderService } from '../../server/stakeholders';
import { compareTurkish, nameList } from '../../server/platform/text';
import { addUser, logIn } from '../helpers/admin';
import { readCsvAsExcel } from '../helpers/excel-csv';
import { invitedInstitution } from '../helpers/invitation';
import { scheduleMeeting } from '../helpers/meetings';
import { createTestApp, type TestApp } from '../helpers/test-app';

const TURKISH_ORDER = [
  'Cami Yaptırma Derneği',
  'Çevre Derneği',
  'Dernek Federasyonu',
  'Işıklar Vakfı',
  'İl Sağlık Müdürlüğü',
  'Jandarma Komutanlığı',
  'Sanayi Odası',
  'Şehir Tiyatrosu',
  'Yeşilvadi Üniversitesi',
];
/** The same names in the order they are added: byte order would keep Ç, İ and Ş last. */
const ADDED = ['Yeşilvadi Üniversitesi', 'Şehir Tiyatrosu', 'İl Sağlık Müdürlüğü', 'Sanayi Odası', 'Çevre Derneği', 'Jandarma Komutanlığı', 'Işıklar Vakfı', 'Dernek Federasyonu', 'Cami Yaptırma Derneği'];

describe('compareTurkish', () => {
  it('sorts by the Turkish alphabet: ç after c, ı before i, ş after s, ö after o, ü after u', () => {
    expect([...ADDED].sort(compareTurkish)).toEqual(TURKISH_ORDER);
    expect(['ilçe', 'ırmak', 'şehir', 'sokak', 'ölçü', 'ova', 'üzüm', 'uzay', 'çarşı', 'cadde'].sort(compareTurkish)).toEqual([
      'cadde', 'çarşı', 'ırmak', 'ilçe', 'ova', 'ölçü', 'sokak', 'şehir', 'uzay', 'üzüm',
    ]);
  });
});

describe('nameList', () => {
  it('writes names as one list in Turkish order', () => {
    expect(nameList(['Merkez', 'İstasyon', 'Çamlık', 'Cami'])).toBe('Cami, Çamlık, İstasyon, Merkez');
    expect(nameList(new Set<string>())).toBe('');
  });
});

describe('lists sorted by name', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    expect(t.logged).toEqual([]);
    await t.close();
  });
  const actor = { userId: null, email: 'test', ip: null };

  it('the stakeholder register lists its entries in Turkish order, on the page and in the export', async () => {
    for (const name of ADDED) {
      await stakeholderService.create(
        t.db,
        { name, group: 'stk', scope: 'external', type: null, emails: [], contactPerson: null, areas: [], reason: null, importance: 3, influence: 3, language: 'tr' },
        actor,
        t.clock.now,
      );
    }
    const agent = await logIn(t, await addUser(t, 'planner'));
    const page = await agent.get('/admin/stakeholders');
    expect([...page.text.matchAll(/<th scope="row"><a href="\/admin\/stakeholders\/\d+">([^<]+)<\/a>/g)].map((m) => m[1])).toEqual(TURKISH_ORDER);
    const csv = await agent.get('/admin/stakeholders/export.csv');
    expect(readCsvAsExcel(csv.text, 'tr').slice(1).map((row) => row[0])).toEqual(TURKISH_ORDER);
  });

  it('the back-office users are listed in Turkish order', async () => {
    const admin = await addUser(t, 'admin', 'Zeynep Yönetici');
    for (const name of ADDED) await addUser(t, 'viewer', name);
    const agent = await logIn(t, admin);
    const page = await agent.get('/admin/users');
    const names = [...page.text.matchAll(/<a href="\/admin\/users\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]);
    expect(names).toEqual([...TURKISH_ORDER, 'Zeynep Yönetici']);
  });

  it('the invitations of the opinion form are listed by institution in Turkish order', async () => {
    for (const name of ADDED) await invitedInstitution(t, { name, mailed: false });
    const agent = await logIn(t, await addUser(t, 'planner'));
    const page = await agent.get('/admin/opinions/kurum-gorus-formu');
    expect(page.status).toBe(200);
    const table = /<table[\s\S]*?<\/table>/.exec(page.text)![0];
    const positions = TURKISH_ORDER.map((name) => table.indexOf(name));
    expect(positions.every((at) => at >= 0)).toBe(true);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it('a meeting’s mahalles are listed in Turkish order, on the public page and in the back office', async () => {
    const id = await scheduleMeeting(t, { mahalles: ['istiklal', 'yildiztepe', 'camlik', 'cumhuriyet'] });
    const expected = 'Cumhuriyet, Çamlık, İstiklal, Yıldıztepe';
    expect((await request(t.app).get(`/bulusmalar/${id}`)).text).toContain(expected);
    const agent = await logIn(t, await addUser(t, 'planner'));
    expect((await agent.get('/admin/meetings')).text).toContain(expected);
    expect((await agent.get(`/admin/meetings/${id}`)).text).toContain(expected);
  });
});
