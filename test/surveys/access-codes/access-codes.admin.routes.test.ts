import QRCode from 'qrcode';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { formatCode } from '../../../server/surveys/access-codes/access-codes';
import { addUser, logIn, postForm, type TestUser } from '../../helpers/admin';
import { htmlProblems } from '../../helpers/html';
import { createTestApp, FIXTURE_SURVEYS, TEST_BASE_URL, type TestApp } from '../../helpers/test-app';

let t: TestApp;
let planner: TestUser;
let agent: TestAgent;
beforeEach(async () => {
  t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });
  planner = await addUser(t, 'planner', 'Ayşe Planlamacı');
  agent = await logIn(t, planner);
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const SLUG = 'tum-soru-tipleri';
const PAGE = `/admin/surveys/${SLUG}/access-codes`;
const auditEvents = async () => t.db.selectFrom('audit_events').select(['action', 'target', 'details']).where('action', 'in', ['survey.access_mode_changed', 'survey.access_codes_created']).orderBy('id').execute();
const storedMode = async () => (await t.db.selectFrom('survey_access_modes').select('mode').where('slug', '=', SLUG).executeTakeFirst())?.mode;
const codesOf = async (batchId?: number) => {
  let query = t.db.selectFrom('access_codes').select(['id', 'code', 'batch_id', 'survey_slug', 'used_at']).orderBy('id');
  if (batchId !== undefined) query = query.where('batch_id', '=', batchId);
  return query.execute();
};
async function createBatch(label: string, size: number) {
  const response = await postForm(agent, PAGE, `${PAGE}/batches`, { label, size: String(size) });
  expect(response.status).toBe(303);
  const batch = await t.db.selectFrom('access_code_batches').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow();
  return batch.id;
}

describe('the access codes page', () => {
  it('is linked from the survey page and shows the mode, with none as the default', async () => {
    const survey = await agent.get(`/admin/surveys/${SLUG}`);
    expect(survey.text).toContain(`href="${PAGE}"`);
    const page = await agent.get(PAGE);
    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    expect(page.text).toContain('<dd>Kod yok</dd>');
    expect(page.text).toContain('value="none" checked');
    expect(page.text).toContain('Henüz kod oluşturulmadı.');
  });

  it('needs a signed-in planner: anonymous visitors go to the login, viewers are refused', async () => {
    const anonymous = await request(t.app).get(PAGE);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toContain('/admin/login');
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    expect((await viewer.get(PAGE)).status).toBe(403);
    const refused = await postForm(viewer, '/admin/surveys', `${PAGE}/batches`, { label: 'x', size: '5' });
    expect(refused.status).toBe(403);
    expect(await codesOf()).toEqual([]);
  });

  it('does not exist for an institutions\' survey (they answer through invitations)', async () => {
    const bundled = await createTestApp();
    try {
      const admin = await logIn(bundled, await addUser(bundled, 'planner'));
      expect((await admin.get('/admin/surveys/kurum-gorus-formu/access-codes')).status).toBe(404);
      expect((await admin.get('/admin/surveys/vatandas-anketi/access-codes')).status).toBe(200);
    } finally {
      await bundled.close();
    }
  });
});

describe('setting the access mode', () => {
  it('stores the mode and audits the change from and to', async () => {
    const response = await postForm(agent, PAGE, `${PAGE}/mode`, { mode: 'optional' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(PAGE);
    expect(await storedMode()).toBe('optional');
    const page = await agent.get(PAGE);
    expect(page.text).toContain('Erişim biçimi değiştirildi: Kod isteğe bağlı.');
    expect(page.text).toContain('value="optional" checked');

    await postForm(agent, PAGE, `${PAGE}/mode`, { mode: 'required' });
    // Saving the same mode again is not a change.
    await postForm(agent, PAGE, `${PAGE}/mode`, { mode: 'required' });
    expect(await storedMode()).toBe('required');
    const events = await auditEvents();
    expect(events.map((e) => [e.action, e.target, JSON.parse(e.details!)])).toEqual([
      ['survey.access_mode_changed', SLUG, { from: 'none', to: 'optional' }],
      ['survey.access_mode_changed', SLUG, { from: 'optional', to: 'required' }],
    ]);
  });

  it('refuses an unknown mode with 422 and a post without its CSRF token with 403, writing nothing', async () => {
    const unknown = await postForm(agent, PAGE, `${PAGE}/mode`, { mode: 'everyone' });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('class="error" id="mode-error"');
    const forged = await agent.post(`${PAGE}/mode`).type('form').send({ mode: 'required' });
    expect(forged.status).toBe(403);
    expect(await storedMode()).toBeUndefined();
    expect(await auditEvents()).toEqual([]);
  });
});

describe('generating a batch of codes', () => {
  it('makes that many distinct codes for the survey, lists the batch and audits it', async () => {
    const batchId = await createBatch('Muhtarlık dağıtımı – Cami Mah.', 25);
    const codes = await codesOf(batchId);
    expect(codes).toHaveLength(25);
    expect(new Set(codes.map((c) => c.code)).size).toBe(25);
    for (const c of codes) {
      expect(c.code).toMatch(/^[2-9A-HJ-NP-Z]{10}$/);
      expect(c).toMatchObject({ survey_slug: SLUG, used_at: null });
    }
    const page = await agent.get(PAGE);
    expect(page.text).toContain('&#34;Muhtarlık dağıtımı – Cami Mah.&#34; için 25 kod oluşturuldu.');
    const row = /<tr>\s*<td>Muhtarlık dağıtımı – Cami Mah\.<\/td>[\s\S]*?<\/tr>/.exec(page.text)![0];
    expect(row).toMatch(/<td class="num">25<\/td>\s*<td class="num">0<\/td>\s*<td class="num">25<\/td>/);
    expect(row).toContain('Ayşe Planlamacı');
    const events = await auditEvents();
    expect(events.map((e) => [e.action, JSON.parse(e.details!)])).toEqual([['survey.access_codes_created', { batch: batchId, label: 'Muhtarlık dağıtımı – Cami Mah.', size: 25 }]]);
  });

  it('accepts the upper bound of 5,000 codes in one batch', async () => {
    const batchId = await createBatch('Su faturası', 5000);
    const codes = await codesOf(batchId);
    expect(codes).toHaveLength(5000);
    expect(new Set(codes.map((c) => c.code)).size).toBe(5000);
  });

  it.each([
    ['no codes', { label: 'Toplantı', size: '0' }, 'size'],
    ['more than 5,000', { label: 'Toplantı', size: '5001' }, 'size'],
    ['not a number', { label: 'Toplantı', size: 'çok' }, 'size'],
    ['a fraction', { label: 'Toplantı', size: '2.5' }, 'size'],
    ['no label', { label: '   ', size: '10' }, 'label'],
    ['a label too long', { label: 'x'.repeat(101), size: '10' }, 'label'],
  ])('refuses %s with 422, the typed values kept, and writes nothing', async (_case, fields, field) => {
    const response = await postForm(agent, PAGE, `${PAGE}/batches`, fields);
    expect(response.status).toBe(422);
    expect(response.text).toContain(`id="batch-${field}-error"`);
    expect(response.text).toContain(`value="${fields.size}"`);
    expect(await codesOf()).toEqual([]);
    expect(await t.db.selectFrom('access_code_batches').selectAll().execute()).toEqual([]);
  });

  it('refuses a post without its CSRF token', async () => {
    const forged = await agent.post(`${PAGE}/batches`).type('form').send({ label: 'Toplantı', size: '10' });
    expect(forged.status).toBe(403);
    expect(await codesOf()).toEqual([]);
  });
});

describe('the printable cards', () => {
  it('has one card per code, each with its code and a QR code of the survey address with the code filled in', async () => {
    const batchId = await createBatch('Kültür merkezi toplantısı', 12);
    const codes = await codesOf(batchId);
    const page = await agent.get(`${PAGE}/batches/${batchId}/cards`);
    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    expect(page.text.match(/<svg /g)).toHaveLength(12);
    expect(page.text.match(/class="code-card"/g)).toHaveLength(12);
    // Ten cards to an A4 page.
    expect(page.text.match(/class="code-page"/g)).toHaveLength(2);
    for (const { code } of codes) {
      expect(page.text).toContain(`<p class="code-value">${formatCode(code)}</p>`);
      const qr = await QRCode.toString(`${TEST_BASE_URL}/anket/${SLUG}?kod=${formatCode(code)}`, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
      expect(page.text).toContain(qr);
    }
    expect(page.text).toContain(`${TEST_BASE_URL}/anket/${SLUG} adresini açıp kodu yazın`);
    expect(page.text).toContain('Kod yalnızca bir kez kullanılabilir.');
  });

  it('splits a large batch into parts of 200 cards', async () => {
    const batchId = await createBatch('Büyük dağıtım', 450);
    const first = await agent.get(`${PAGE}/batches/${batchId}/cards`);
    expect(first.text.match(/class="code-card"/g)).toHaveLength(200);
    expect(first.text).toContain('Bölüm 1 / 3');
    const last = await agent.get(`${PAGE}/batches/${batchId}/cards?part=3`);
    expect(last.text.match(/class="code-card"/g)).toHaveLength(50);
    expect(last.text.match(/class="code-page"/g)).toHaveLength(5);
  });

  it('answers 404 for a batch of another survey or one that does not exist', async () => {
    const batchId = await createBatch('Toplantı', 2);
    // A batch's id under another survey's address is not found either.
    await t.db.updateTable('access_code_batches').set({ survey_slug: 'baska-anket' }).where('id', '=', batchId).execute();
    expect((await agent.get(`${PAGE}/batches/${batchId}/cards`)).status).toBe(404);
    expect((await agent.get(`${PAGE}/batches/999/cards`)).status).toBe(404);
    expect((await agent.get(`${PAGE}/batches/abc/codes.csv`)).status).toBe(404);
  });
});

describe('the CSV of a batch', () => {
  it('lists each code with its link and batch, formula-safe, and audits the download', async () => {
    const batchId = await createBatch('=HYPERLINK("http://kötü.example")', 3);
    const codes = await codesOf(batchId);
    const csv = await agent.get(`${PAGE}/batches/${batchId}/codes.csv`).buffer(true);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = csv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Kod;Bağlantı;Parti;Kullanıldığı zaman');
    expect(lines.slice(1)).toEqual(
      codes.map((c) => `${formatCode(c.code)};${TEST_BASE_URL}/anket/${SLUG}?kod=${formatCode(c.code)};"'=HYPERLINK(""http://kötü.example"")";`),
    );
    const exported = await t.db.selectFrom('audit_events').select('details').where('action', '=', 'export.downloaded').execute();
    expect(exported.map((e) => JSON.parse(e.details!))).toEqual([{ format: 'access-codes.csv', batch: batchId }]);
  });
});
