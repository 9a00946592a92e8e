import type TestAgent from 'supertest/lib/agent';
import { addUser, csrfFrom, logIn } from '../helpers/admin';
import { createTestApp, FIXTURE_SURVEYS, type TestApp } from '../helpers/test-app';
import { toXlsForm, writeXlsForm, type SheetRows, type XlsFormSheets } from '../../server/surveys/xlsform';

const HEADER = ['type', 'name', 'label', 'required', 'relevant', 'constraint'];
const SETTINGS: SheetRows = [['form_title', 'form_id'], ['Excel anketi', 'excel_anketi']];
const CHOICES: SheetRows = [['list_name', 'name', 'label'], ['yn', 'evet', 'Evet'], ['yn', 'hayir', 'Hayır']];

describe('uploading an XLSForm on the survey upload page', () => {
  let t: TestApp;
  let agent: TestAgent;
  beforeEach(async () => {
    t = await createTestApp({ surveysDir: FIXTURE_SURVEYS });
    agent = await logIn(t, await addUser(t, 'planner'));
  });
  afterEach(async () => {
    expect(t.logged).toEqual([]);
    await t.close();
  });
  /** Posts the file as the upload form does; a redirect back to the upload page is followed. */
  const upload = async (content: Buffer, name: string) => {
    const page = await agent.get('/admin/surveys/upload');
    const token = /action="\/admin\/surveys\/upload\?_csrf=([^"]+)"/.exec(page.text)![1]!;
    const posted = await agent.post(`/admin/surveys/upload?_csrf=${token}`).attach('definition', content, name);
    if (posted.status === 303 && posted.headers.location === '/admin/surveys/upload') return agent.get('/admin/surveys/upload');
    return posted;
  };
  const workbook = (survey: SheetRows, settings = SETTINGS) => writeXlsForm({ survey: [HEADER, ...survey], choices: CHOICES, settings } as XlsFormSheets);
  const storedUploads = () => t.db.selectFrom('uploaded_surveys').selectAll().execute();

  it('saves an exported workbook as a draft equal to the original survey', async () => {
    const original = t.catalog.find('tum-soru-tipleri')!;
    const sheets = toXlsForm(original);
    sheets.settings[1]![1] = 'excel_anketi';
    const posted = await upload(await writeXlsForm(sheets), 'Excel Anketi.xlsx');
    expect([posted.status, posted.headers.location]).toEqual([303, '/admin/surveys/excel-anketi']);
    const saved = t.catalog.find('excel-anketi')!;
    const { slug: _a, hash: _b, ...expected } = original;
    const { slug: _c, hash: _d, ...actual } = saved;
    expect(actual).toEqual(expected);
    expect(t.catalog.schedule('excel-anketi').published).toBe(false);
  });

  it('refuses rows it cannot express, listing each by row in Turkish, and stores nothing', async () => {
    const refused = await upload(
      await workbook([['begin_group', 'g', 'Bölüm'], ['calculate', 'x'], ['geopoint', 'konum', 'Konum'], ['select_one yn', 'a', 'A', '', '${b} > 3'], ['end_group']]),
      'anket.xlsx',
    );
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('<code>survey, satır 4</code>: geopoint desteklenmiyor');
    expect(refused.text).toContain('<code>survey, satır 5</code>: relevant “${b} &gt; 3” desteklenmiyor');
    expect(refused.text).not.toContain('satır 3');
    expect(await storedUploads()).toEqual([]);
    expect((await upload(Buffer.from('PK not a zip'), 'bozuk.xlsx')).text).toContain('Excel (.xlsx) dosyası okunamadı');
  });

  it('lists the same rows in English for a planner reading English', async () => {
    await agent.get('/admin/surveys/upload?lang=en');
    const refused = await upload(await workbook([['begin_group', 'g', 'Section'], ['geopoint', 'konum', 'Where'], ['select_one nope', 'a', 'A'], ['end_group']]), 'survey.xlsx');
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('<code>survey, row 3</code>: geopoint is not supported');
    expect(refused.text).toContain('<code>survey, row 4</code>: the choice list “nope” is not on the choices sheet');
    expect(await storedUploads()).toEqual([]);
  });

  describe('a workbook with approximations', () => {
    const approximated = () => workbook([['start', 'start'], ['begin_group', 'g', 'Bölüm'], ['integer', 'yas', 'Yaşınız', 'yes', '', '. > 17'], ['select_one yn', 'onay', 'Onay'], ['end_group']]);
    const confirmForm = async () => {
      const page = await agent.get('/admin/surveys/upload');
      return { page, pending: /name="pending" value="([a-f0-9]+)"/.exec(page.text)?.[1], csrf: csrfFrom(page.text) };
    };

    it('is shown for confirmation with its approximations by row, and saved only once confirmed', async () => {
      const shown = await upload(await approximated(), 'excel.xlsx');
      expect(shown.status).toBe(200);
      expect(shown.text).toContain('<code>survey, satır 2</code>: start satırının ankette karşılığı yok; alınmayacak');
      expect(shown.text).toContain('<code>survey, satır 4</code>: constraint “. &gt; 17” ifade edilemiyor');
      expect(await storedUploads()).toEqual([]);
      expect(t.catalog.find('excel-anketi')).toBeUndefined();

      const { pending, csrf } = await confirmForm();
      const confirmed = await agent.post('/admin/surveys/upload/confirm').type('form').send({ _csrf: csrf, pending, decision: 'confirm' });
      expect([confirmed.status, confirmed.headers.location]).toEqual([303, '/admin/surveys/excel-anketi']);
      expect((await storedUploads()).map((u) => u.slug)).toEqual(['excel-anketi']);
      expect(t.catalog.find('excel-anketi')!.sections[0]!.questions.map((q) => [q.id, q.kind, 'min' in q ? q.min : undefined])).toEqual([
        ['yas', 'number', undefined],
        ['onay', 'single_choice', undefined],
      ]);
      // The confirmation is used up.
      expect((await agent.get('/admin/surveys/upload')).text).not.toContain('name="pending"');
    });

    it('stores nothing when cancelled, or when the confirmation is not the one shown', async () => {
      await upload(await approximated(), 'excel.xlsx');
      const first = await confirmForm();
      const stale = await agent.post('/admin/surveys/upload/confirm').type('form').send({ _csrf: first.csrf, pending: 'a'.repeat(32), decision: 'confirm' });
      expect(stale.status).toBe(303);
      expect((await agent.get('/admin/surveys/upload')).text).toContain('Onaylanacak bir XLSForm aktarımı yok');

      await upload(await approximated(), 'excel.xlsx');
      const second = await confirmForm();
      const cancelled = await agent.post('/admin/surveys/upload/confirm').type('form').send({ _csrf: second.csrf, pending: second.pending, decision: 'cancel' });
      expect([cancelled.status, cancelled.headers.location]).toEqual([303, '/admin/surveys/upload']);
      expect(await storedUploads()).toEqual([]);
      expect(t.catalog.find('excel-anketi')).toBeUndefined();
    });

    it('refuses a confirmation without the CSRF token', async () => {
      await upload(await approximated(), 'excel.xlsx');
      const { pending } = await confirmForm();
      const forged = await agent.post('/admin/surveys/upload/confirm').type('form').send({ pending, decision: 'confirm' });
      expect(forged.status).toBe(403);
      expect(await storedUploads()).toEqual([]);
    });
  });
});
