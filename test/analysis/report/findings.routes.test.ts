// Drafted findings over HTTP on the hand-counted consultation (test/helpers/report.ts): the page
// offers them with their evidence; accepting, editing then saving, and dismissing each write once,
// in one transaction, behind the CSRF check and the report.manage permission.
import type TestAgent from 'supertest/lib/agent';
import * as reportSettings from '../../../server/analysis/report/report-settings';
import type { AuditAction } from '../../../server/platform/audit/audit.repository';
import { addUser, csrfFrom, logIn } from '../../helpers/admin';
import { acceptSwotCandidates, REPORT_DAY, REPORT_SURVEYS, seedReport, storeResponse } from '../../helpers/report';
import { createTestApp, type TestApp } from '../../helpers/test-app';

let t: TestApp;
let planner: TestAgent;
beforeEach(async () => {
  t = await createTestApp({ surveysDir: REPORT_SURVEYS });
  await seedReport(t);
  t.clock.now = REPORT_DAY;
  planner = await logIn(t, await addUser(t, 'planner'));
  // Weaknesses are drafted from T16, which holds only reviewed statements.
  expect(await acceptSwotCandidates(planner)).toBeGreaterThan(0);
}, 60_000);
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

// İstasyon has people but no respondent (ratio 0 in T9); of the one association invited none answered (T14b).
const MAHALLES = 'under-represented-mahalles';
const MAHALLES_TEXT = 'Vatandaş anketine İstasyon (0,00) mahallesinden katılım, mahallenin nüfus payının yarısından az olmuştur (parantez içinde temsil oranı).';
const INSTITUTIONS = 'silent-institution-types';
const PAGE = '/admin/report/findings';
const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));

const findings = () => t.db.selectFrom('findings').selectAll().orderBy('id').execute();
const evidence = () => t.db.selectFrom('finding_evidence').select(['finding_id', 'table_key', 'row_key']).orderBy('table_key').orderBy('row_key').execute();
const decisions = () => t.db.selectFrom('finding_draft_decisions').selectAll().orderBy('draft_key').execute();
const audits = (action: AuditAction) => t.db.selectFrom('audit_events').selectAll().where('action', '=', action).execute();

async function post(agent: TestAgent, action: string, fields: Record<string, string | string[]>) {
  const page = await agent.get(PAGE);
  return agent.post(action).type('form').send({ _csrf: csrfFrom(page.text), ...fields });
}

describe('the findings page', () => {
  it('offers the drafts above the findings, each with its evidence rows and the three actions', async () => {
    const page = await planner.get(PAGE);
    expect(page.status).toBe(200);
    const html = main(page.text);
    expect(html.indexOf('Önerilen tespitler')).toBeLessThan(html.indexOf('Rapordaki tespitler'));
    expect(html).toContain(MAHALLES_TEXT);
    expect(html).toContain('Tablo 9: Katılımcıların Mahallelere Göre Dağılımı ve Temsil Oranı — İstasyon');
    expect(html).toContain('Kurumsal görüş formuna davet edilen kurumlardan STK (1 davetliden 0 yanıt) türünde');
    expect(html).toContain('“Yol çukurları onarılmalı” paydaşların dile getirdiği zayıf yönler arasında öne çıkmaktadır');
    // A T16 row is named by its statement (its quadrant is the group it sits in).
    expect(html).toContain('Tablo 19: Paydaş Kaynaklı GZFT — Yol çukurları onarılmalı');
    expect(html).toContain(`<input type="hidden" name="draft" value="${MAHALLES}">`);
    expect(html).toContain(`href="/admin/report/findings/new?draft=${MAHALLES}"`);
    expect(html.match(/action="\/admin\/report\/findings\/drafts\/accept"/g)).toHaveLength(3);
    expect(html.match(/action="\/admin\/report\/findings\/drafts\/dismiss"/g)).toHaveLength(3);
  });
});

describe('accepting a draft', () => {
  it('creates one finding with the draft\'s text, need and evidence, records the draft key and an audit event, and offers it no more', async () => {
    const res = await post(planner, '/admin/report/findings/drafts/accept', { draft: MAHALLES });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe(PAGE);
    const [finding, ...others] = await findings();
    expect(others).toEqual([]);
    expect(finding).toMatchObject({ finding: MAHALLES_TEXT, need: expect.stringContaining('İstasyon mahallesinde yüz yüze anket'), area_id: null, draft_key: MAHALLES });
    expect(await evidence()).toEqual([{ finding_id: finding!.id, table_key: 'T9', row_key: 'istasyon' }]);
    expect(await decisions()).toEqual([{ draft_key: MAHALLES, decision: 'accepted', finding_id: finding!.id, decided_at: REPORT_DAY.toISOString() }]);
    const [event] = await audits('finding.created');
    expect(JSON.parse(event!.details!)).toEqual({ draft: MAHALLES });

    const page = main((await planner.get(PAGE)).text);
    expect(page).toContain('Öneri tespit olarak eklendi.');
    expect(page).not.toContain(`name="draft" value="${MAHALLES}"`);
    // The finding is in T17, citing its row by the table's number.
    expect(page).toContain('Tablo 9 (İstasyon)');
  });

  it('twice (a retried post) still makes one finding, and says the draft was already decided', async () => {
    const page = await planner.get(PAGE);
    const send = () => planner.post('/admin/report/findings/drafts/accept').type('form').send({ _csrf: csrfFrom(page.text), draft: INSTITUTIONS });
    expect((await send()).status).toBe(303);
    expect((await send()).status).toBe(303);
    expect(await findings()).toHaveLength(1);
    expect(await decisions()).toHaveLength(1);
    expect(await audits('finding.created')).toHaveLength(1);
    expect(main((await planner.get(PAGE)).text)).toContain('Bu öneri için daha önce karar verilmiş; yeni bir tespit eklenmedi.');
  });

  it('of an activity area carries the area and cites T10 and T11', async () => {
    // Under a threshold of 1 nothing is hidden: Yollar is a top-three priority with a 0 % satisfaction rate.
    const settings = await reportSettings.load(t.db, t.catalog.municipality, t.catalog.surveys);
    await reportSettings.save(t.db, { ...settings, suppression: 1 }, t.clock.now);
    const res = await post(planner, '/admin/report/findings/drafts/accept', { draft: 'priority-low-satisfaction:yollar' });
    expect(res.status).toBe(303);
    const [finding] = await findings();
    expect(finding).toMatchObject({ area_id: 'yollar', draft_key: 'priority-low-satisfaction:yollar' });
    expect(finding!.finding).toMatch(/^Yollar, vatandaş anketinde öncelikli hizmet alanları arasında \d\. sıradadır; ancak memnuniyet oranı \(%0\)/);
    expect((await evidence()).map((e) => `${e.table_key}|${e.row_key}`)).toEqual(['T10|yollar', 'T11|yollar']);
  });
});

describe('editing a draft, then saving it', () => {
  it('opens the form filled from the draft with its evidence ticked, and saving creates the finding and accepts the draft', async () => {
    const form = await planner.get(`/admin/report/findings/new?draft=${MAHALLES}`);
    expect(form.status).toBe(200);
    expect(form.text).toContain(`>${MAHALLES_TEXT}</textarea>`);
    expect(form.text).toContain('<input type="checkbox" name="evidence" value="T9|istasyon" checked>');
    expect(form.text).toContain(`<input type="hidden" name="draft" value="${MAHALLES}">`);
    // The table holding the ticked row starts open; the others are closed.
    expect(form.text).toMatch(/<legend>Tablo 9: Katılımcıların Mahallelere Göre Dağılımı ve Temsil Oranı<\/legend>\n<details open>/);
    expect(form.text).toMatch(/<legend>Tablo 10: [^<]*<\/legend>\n<details>/);

    const fields = { _csrf: csrfFrom(form.text), draft: MAHALLES, finding: 'İstasyon mahallesi ankette hiç temsil edilmedi.', need: 'İstasyon için yüz yüze anket.', area: '', evidence: ['T9|istasyon', 'T4|meetings'] };
    const saved = await planner.post('/admin/report/findings').type('form').send(fields);
    expect(saved.status).toBe(303);
    const [finding, ...others] = await findings();
    expect(others).toEqual([]);
    expect(finding).toMatchObject({ finding: fields.finding, need: fields.need, draft_key: MAHALLES });
    expect((await evidence()).map((e) => `${e.table_key}|${e.row_key}`)).toEqual(['T4|meetings', 'T9|istasyon']);
    expect(await decisions()).toMatchObject([{ draft_key: MAHALLES, decision: 'accepted', finding_id: finding!.id }]);
    expect(main((await planner.get(PAGE)).text)).not.toContain(`name="draft" value="${MAHALLES}"`);

    // The same form sent again adds nothing.
    expect((await planner.post('/admin/report/findings').type('form').send(fields)).status).toBe(303);
    expect(await findings()).toHaveLength(1);
  });

  it('keeps the text and refuses with 422, writing nothing, when the draft is no longer offered or a row is not in the report', async () => {
    const form = await planner.get(`/admin/report/findings/new?draft=${MAHALLES}`);
    const gone = await planner.post('/admin/report/findings').type('form').send({ _csrf: csrfFrom(form.text), draft: 'under-represented-mahalles:eski', finding: 'Metnim', need: 'İhtiyacım', evidence: 'T9|istasyon' });
    expect(gone.status).toBe(422);
    expect(gone.text).toContain('Bu tespit önerisi artık sunulmuyor; tespit, öneriye bağlanmadan kaydedilecek.');
    expect(gone.text).toContain('>Metnim</textarea>');
    expect(gone.text).not.toContain('name="draft"');
    const badRow = await planner.post('/admin/report/findings').type('form').send({ _csrf: csrfFrom(form.text), draft: MAHALLES, finding: 'Metnim', need: 'İhtiyacım', evidence: 'T9|yok' });
    expect(badRow.status).toBe(422);
    expect(badRow.text).toContain('Dayanak olarak yalnızca rapordaki satırlar seçilebilir.');
    expect(await findings()).toEqual([]);
    expect(await decisions()).toEqual([]);
  });
});

describe('dismissing a draft', () => {
  it('stores the decision, is not offered again even when its figures change, and can be offered again', async () => {
    // With nothing hidden a single respondent's mahalle keeps its ratio.
    const settings = await reportSettings.load(t.db, t.catalog.municipality, t.catalog.surveys);
    await reportSettings.save(t.db, { ...settings, suppression: 1 }, t.clock.now);
    const res = await post(planner, '/admin/report/findings/drafts/dismiss', { draft: MAHALLES });
    expect(res.status).toBe(303);
    expect(await decisions()).toMatchObject([{ draft_key: MAHALLES, decision: 'dismissed', finding_id: null }]);
    expect(await audits('finding.draft_dismissed')).toHaveLength(1);
    expect(await findings()).toEqual([]);

    // A respondent from İstasyon moves its ratio from 0 to 0.47, still under 0.5: the key is the same, the decision holds.
    await storeResponse(t, t.catalog.find('rapor-anketi')!, { cinsiyet: 'erkek', yas: 'orta', mahalle: 'istasyon', 'memnuniyet.temizlik': '3', 'memnuniyet.parklar': '3', 'imaj.guvenilir': '3', 'oncelik.1': 'yollar', 'oncelik.2': 'parklar' });
    let page = main((await planner.get(PAGE)).text);
    expect(page).not.toContain(`<input type="hidden" name="draft" value="${MAHALLES}"><button type="submit" class="primary"`);
    expect(page).toContain('Reddedilen öneriler (1)');
    expect(page).toContain('İstasyon (0,47)');

    // Accepting a dismissed draft adds nothing.
    await post(planner, '/admin/report/findings/drafts/accept', { draft: MAHALLES });
    expect(await findings()).toEqual([]);

    expect((await post(planner, '/admin/report/findings/drafts/restore', { draft: MAHALLES })).status).toBe(303);
    expect(await decisions()).toEqual([]);
    page = main((await planner.get(PAGE)).text);
    expect(page).toContain(`<input type="hidden" name="draft" value="${MAHALLES}"><button type="submit" class="primary"`);
  });
});

describe('deleting a finding made from a draft', () => {
  it('counts the draft as dismissed, so it is not offered by itself but can be offered again', async () => {
    await post(planner, '/admin/report/findings/drafts/accept', { draft: MAHALLES });
    const [finding] = await findings();
    expect((await post(planner, `/admin/report/findings/${finding!.id}/delete`, {})).status).toBe(303);
    expect(await findings()).toEqual([]);
    expect(await decisions()).toMatchObject([{ draft_key: MAHALLES, decision: 'dismissed', finding_id: null }]);
    const page = main((await planner.get(PAGE)).text);
    expect(page).toContain('Reddedilen öneriler (1)');
    expect((await post(planner, '/admin/report/findings/drafts/restore', { draft: MAHALLES })).status).toBe(303);
    expect((await post(planner, '/admin/report/findings/drafts/accept', { draft: MAHALLES })).status).toBe(303);
    expect(await findings()).toMatchObject([{ draft_key: MAHALLES }]);
  });
});

describe('what is refused', () => {
  it('a post without the CSRF token (403), storing nothing', async () => {
    for (const action of ['accept', 'dismiss', 'restore']) {
      const res = await planner.post(`/admin/report/findings/drafts/${action}`).type('form').send({ draft: MAHALLES });
      expect(res.status).toBe(403);
    }
    expect(await decisions()).toEqual([]);
    expect(await findings()).toEqual([]);
  });

  it('a viewer: sees the drafts without actions, and gets 403 for each change, storing nothing', async () => {
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    const page = await viewer.get(PAGE);
    expect(page.status).toBe(200);
    expect(main(page.text)).toContain(MAHALLES_TEXT);
    expect(main(page.text)).not.toContain('/admin/report/findings/drafts/accept');
    expect((await viewer.get(`/admin/report/findings/new?draft=${MAHALLES}`)).status).toBe(403);
    for (const action of ['accept', 'dismiss', 'restore']) {
      expect((await post(viewer, `/admin/report/findings/drafts/${action}`, { draft: MAHALLES })).status).toBe(403);
    }
    expect((await post(viewer, '/admin/report/findings', { draft: MAHALLES, finding: 'x', need: 'y' })).status).toBe(403);
    expect(await decisions()).toEqual([]);
    expect(await findings()).toEqual([]);
  });

  it('a missing or unknown draft: 400 or 404 in the user\'s language, storing nothing', async () => {
    const missing = await post(planner, '/admin/report/findings/drafts/accept', {});
    expect(missing.status).toBe(400);
    const unknown = await post(planner, '/admin/report/findings/drafts/dismiss', { draft: 'priority-low-satisfaction:temizlik' });
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('Öneri bulunamadı');
    const english = await post(planner, '/admin/report/findings/drafts/accept?lang=en', { draft: 'nothing' });
    expect(english.status).toBe(404);
    expect(english.text).toContain('Suggestion not found');
    expect((await planner.get('/admin/report/findings/new?draft=nothing')).status).toBe(404);
    expect((await post(planner, '/admin/report/findings/drafts/accept', { draft: ['a', 'b'] })).status).toBe(400);
    expect(await decisions()).toEqual([]);
    expect(await findings()).toEqual([]);
  });
});
