// T16, the GZFT matrix, over two institutions whose answers are counted by hand: a coded
// multi-line answer keeps its other lines, a statement two institutions wrote counts twice, and
// nothing enters the matrix until a planner reviews it on /admin/report/swot.
import { parse } from 'csv-parse/sync';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import * as codingService from '../../../server/analysis/coding/coding.service';
import { tablesOf, type Report, type TableId } from '../../../server/analysis/report/report-model';
import * as reportSettings from '../../../server/analysis/report/report-settings';
import { groupCandidates, swotEntries, type Candidate } from '../../../server/analysis/report/swot-candidates';
import { currentData } from '../../../server/analysis/report/current-report';
import { contextOf } from '../../../server/analysis/report/report-context';
import { swotSources } from '../../../server/analysis/report/swot-tables';
import * as swotService from '../../../server/analysis/report/swot.service';
import { invitationService } from '../../../server/opinions';
import { createI18n } from '../../../server/platform/i18n/i18n';
import { stakeholderService, type StakeholderGroup } from '../../../server/stakeholders';
import { addUser, csrfFrom, downloadBinary, logIn } from '../../helpers/admin';
import { htmlProblems } from '../../helpers/html';
import type { Fields } from '../../helpers/forms';
import { mailedLink } from '../../helpers/invitation';
import { builtReport, REPORT_SURVEYS, seedReport } from '../../helpers/report';
import { completeSurvey } from '../../helpers/survey-walker';
import { createTestApp, TEST_BASE_URL, type TestApp } from '../../helpers/test-app';

const i18n = createI18n();
const actor = { userId: null, email: 'test', ip: null };
let t: TestApp;

beforeEach(async () => {
  t = await createTestApp({ surveysDir: REPORT_SURVEYS });
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

async function institutionAnswers(name: string, group: StakeholderGroup, fields: Fields): Promise<number> {
  const id = await stakeholderService.create(
    t.db,
    { name, group, scope: 'external', type: null, emails: [`${name.length}@example.org`], contactPerson: null, areas: [], reason: null, importance: 3, influence: 3, language: 'tr' },
    actor,
    t.clock.now,
  );
  const form = t.catalog.find('rapor-kurum-formu')!;
  await invitationService.invite(t.db, { mailer: t.mailer, baseUrl: TEST_BASE_URL }, { survey: form, stakeholderIds: [id], deadline: '2026-12-31T20:00:00.000Z', reminderDays: null, actor, now: t.clock.now });
  await completeSurvey(request.agent(t.app), form, () => ({ 'oncelik.1': 'yollar', ...fields }), await mailedLink(t, '/gorus/'));
  return id;
}

/** The university's threat answer is coded "Deprem ve afet riski"; the chamber's stays uncoded. */
async function seedTwoInstitutions(): Promise<void> {
  await institutionAnswers('Deneme Üniversitesi', 'universite', {
    guclu: 'Genç nüfus',
    tehdit: 'Deprem riski\nYeşil alanların yapılaşmaya açılması\nRant odaklı dönüşüm baskısı',
  });
  await institutionAnswers('Mimarlar Odası', 'meslek_odasi', { tehdit: 'Yeşil alanların yapılaşmaya açılması.\nDeprem riski taşıyan yapı stoku' });
  const theme = await codingService.createTheme(t.db, 'rapor-kurum-formu', { name: 'Deprem ve afet riski', areaId: null, swotKind: 'threat', keywords: ['deprem'] }, actor, t.clock.now);
  if (theme.kind !== 'saved') throw new Error(theme.kind);
  const answer = await t.db.selectFrom('answers').innerJoin('responses', 'responses.id', 'answers.response_id').select('answers.id').where('answers.question_id', '=', 'tehdit').orderBy('answers.id').executeTakeFirstOrThrow();
  await codingService.codeAnswer(t.db, 'rapor-kurum-formu', answer.id, [theme.id], null, t.clock.now);
}

async function build(): Promise<Report> {
  return builtReport(t);
}
const rowsOf = (report: Report, id: TableId) => tablesOf(report).find((table) => table.id === id)!.rows;

/** The review screen's pending candidates, read from the page as a planner sees them. */
async function pendingGroups(agent: TestAgent): Promise<{ value: string; label: string }[]> {
  const page = await agent.get('/admin/report/swot');
  expect(page.status).toBe(200);
  return [...page.text.matchAll(/name="groups" value="([^"]+)"[^>]*> <label for="[^"]+">([^<]+)<\/label>/g)].map((m) => ({ value: m[1]!, label: m[2]! }));
}

async function decide(agent: TestAgent, fields: Record<string, string | string[]>) {
  const page = await agent.get('/admin/report/swot');
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ _csrf: csrfFrom(page.text), ...fields })) for (const v of [value].flat()) params.append(name, v);
  return agent.post('/admin/report/swot').type('form').send(params.toString());
}

const groupOf = (groups: { value: string; label: string }[], label: string) => {
  const group = groups.find((g) => g.label === label);
  if (!group) throw new Error(`No pending candidate "${label}" in ${JSON.stringify(groups.map((g) => g.label))}`);
  return group.value;
};
const swotCount = async () => ({
  items: await t.db.selectFrom('swot_items').selectAll().execute(),
  reviews: await t.db.selectFrom('swot_reviews').select(['candidate_key', 'decision', 'item_id']).execute(),
});

describe('T16 over a coded multi-line answer and a statement two institutions wrote', () => {
  let planner: TestAgent;
  beforeEach(async () => {
    await seedTwoInstitutions();
    planner = await logIn(t, await addUser(t, 'planner'));
  });

  it('offers every line of the coded answer that names none of its themes; once accepted it is in T16', async () => {
    const before = await build();
    expect(rowsOf(before, 'T16').map((row) => row.cells[0])).toEqual(['Deprem ve afet riski']);
    const groups = await pendingGroups(planner);
    // The chamber's uncoded lines are candidates too; its "Yeşil alanların…" joins the university's.
    expect(groups.map((g) => g.label)).toEqual(['Genç nüfus', 'Yeşil alanların yapılaşmaya açılması', 'Rant odaklı dönüşüm baskısı', 'Deprem riski taşıyan yapı stoku']);
    expect((await decide(planner, { action: 'accept', groups: groups.map((g) => g.value) })).status).toBe(303);
    const statements = rowsOf(await build(), 'T16').flatMap((row) => row.cells);
    expect(statements).toContain('Rant odaklı dönüşüm baskısı');
  });

  it('counts "Yeşil alanların yapılaşmaya açılması" once per institution that wrote it: 2', async () => {
    const groups = await pendingGroups(planner);
    await decide(planner, { action: 'accept', groups: [groupOf(groups, 'Yeşil alanların yapılaşmaya açılması')] });
    const row = rowsOf(await build(), 'T16').find((r) => r.cells.some((c) => typeof c === 'string' && c.startsWith('Yeşil alanların yapılaşmaya')));
    expect(row?.cells).toEqual(['Yeşil alanların yapılaşmaya açılması', 2, 'Üniversite, Meslek odası']);
  });

  it('is the four quadrants with the number of sources and their kinds, and says how many candidates were reviewed', async () => {
    const groups = await pendingGroups(planner);
    await decide(planner, { action: 'accept', groups: [groupOf(groups, 'Genç nüfus'), groupOf(groups, 'Yeşil alanların yapılaşmaya açılması')] });
    const t16 = tablesOf(await build()).find((table) => table.id === 'T16')!;
    expect(t16.columns.map((c) => `${c.label}:${c.type}`)).toEqual(['Madde:text', 'Kaynak sayısı:count', 'Kaynak türleri:text']);
    expect(t16.rows.map((row) => [row.group ?? '', row.key.replace(/:item:\d+$/, ':item:N'), ...row.cells])).toEqual([
      ['Güçlü yönler', 'strength:item:N', 'Genç nüfus', 1, 'Üniversite'],
      ['Tehditler', 'threat:item:N', 'Yeşil alanların yapılaşmaya açılması', 2, 'Üniversite, Meslek odası'],
      // Only the university's answer is coded: the chamber's "Deprem riski taşıyan yapı stoku" still waits for review.
      ['', 'threat:theme:deprem ve afet riski', 'Deprem ve afet riski', 1, 'Üniversite'],
    ]);
    expect(t16.notes[1]).toBe('5 aday ifadeden 3 tanesi gözden geçirilmiştir; 2 tanesi gözden geçirilmeyi beklemektedir ve tabloda yer almaz.');
  });

  it('keeps each item\'s quadrant in the CSV, as a column of its own', async () => {
    const groups = await pendingGroups(planner);
    await decide(planner, { action: 'accept', groups: [groupOf(groups, 'Genç nüfus'), groupOf(groups, 'Yeşil alanların yapılaşmaya açılması')] });
    const t16 = tablesOf(await build()).find((table) => table.id === 'T16')!;
    const res = await downloadBinary(planner, `/admin/report/tables/tablo-${t16.number}.csv`);
    expect(res.status).toBe(200);
    const rows = parse((res.body as Buffer).toString('utf8'), { bom: true }) as string[][];
    expect(rows).toEqual([
      ['Tür', 'Madde', 'Kaynak sayısı', 'Kaynak türleri'],
      ['Güçlü yönler', 'Genç nüfus', '1', 'Üniversite'],
      ['Tehditler', 'Yeşil alanların yapılaşmaya açılması', '2', 'Üniversite, Meslek odası'],
      ['Tehditler', 'Deprem ve afet riski', '1', 'Üniversite'],
    ]);
  });

  it('is drawn on the report page as the 2×2 matrix, an empty quadrant shown as empty', async () => {
    const groups = await pendingGroups(planner);
    await decide(planner, { action: 'accept', groups: [groupOf(groups, 'Genç nüfus'), groupOf(groups, 'Yeşil alanların yapılaşmaya açılması')] });
    const page = (await planner.get('/admin/report')).text;
    const matrix = page.slice(page.indexOf('<table class="report-table quadrants">'), page.indexOf('</table>', page.indexOf('<table class="report-table quadrants">')));
    expect(matrix).not.toBe('');
    const cells = [...matrix.matchAll(/<(th|td)[^>]*>([\s\S]*?)<\/\1>/g)].map((m) => m[2]!.replace(/<\/li>/g, ' | ').replace(/<[^>]+>/g, '').replace(/\s+/g, ' ').trim());
    expect(cells).toEqual([
      'Güçlü yönler',
      'Zayıf yönler',
      'Genç nüfus (1 · Üniversite) |',
      '–',
      'Fırsatlar',
      'Tehditler',
      '–',
      'Yeşil alanların yapılaşmaya açılması (2 · Üniversite, Meslek odası) | Deprem ve afet riski (1 · Üniversite) |',
    ]);
  });

  it('T14 shows each institution\'s GZFT answers one line per quadrant, and T14c the items per institution type', async () => {
    const groups = await pendingGroups(planner);
    await decide(planner, { action: 'accept', groups: [groupOf(groups, 'Yeşil alanların yapılaşmaya açılması')] });
    const report = await build();
    expect(rowsOf(report, 'T14').map((row) => row.cells.slice(1, 2).concat(row.cells[4]!))).toEqual([
      ['Deneme Üniversitesi', 'G: Genç nüfus\nT: Deprem riski; Yeşil alanların yapılaşmaya açılması; Rant odaklı dönüşüm baskısı'],
      ['Mimarlar Odası', 'T: Yeşil alanların yapılaşmaya açılması.; Deprem riski taşıyan yapı stoku'],
    ]);
    expect(rowsOf(report, 'T14c').map((row) => row.cells)).toEqual([
      ['Üniversite', 1, '', '', '', 'Deprem ve afet riski (1); Yeşil alanların yapılaşmaya açılması (1)'],
      ['Meslek odası', 1, '', '', '', 'Yeşil alanların yapılaşmaya açılması (1)'],
    ]);
  });
});

describe('the review screen /admin/report/swot', () => {
  let planner: TestAgent;
  beforeEach(async () => {
    await seedTwoInstitutions();
    planner = await logIn(t, await addUser(t, 'planner'));
  });

  it('a viewer reads it without forms and may not decide; no page change without a CSRF token', async () => {
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    const page = await viewer.get('/admin/report/swot');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Rant odaklı dönüşüm baskısı');
    expect(page.text).not.toContain('name="groups"');
    const groups = await pendingGroups(planner);
    const refused = await viewer.post('/admin/report/swot').type('form').send({ _csrf: csrfFrom(page.text), action: 'accept', groups: groups[0]!.value });
    expect(refused.status).toBe(403);
    const forged = await planner.post('/admin/report/swot').type('form').send({ action: 'accept', groups: groups[0]!.value });
    expect(forged.status).toBe(403);
    expect(await swotCount()).toEqual({ items: [], reviews: [] });
  });

  it('refuses bad input with a 422 page in Turkish and changes nothing', async () => {
    const groups = await pendingGroups(planner);
    const cases: [Record<string, string | string[]>, string][] = [
      [{ action: 'accept' }, 'En az bir aday ifade seçin.'],
      [{ action: 'explode', groups: groups[0]!.value }, 'Bir işlem seçin.'],
      [{ action: 'accept', groups: 'threat:0000000000' }, 'artık beklemiyor'],
      [{ action: 'combine', groups: groups[0]!.value, text: '', kind: 'threat' }, 'Madde metnini yazın'],
      [{ action: 'combine', groups: groups[0]!.value, text: 'X', kind: 'nope' }, 'Bir GZFT türü seçin.'],
      [{ action: 'combine', groups: groups[0]!.value, text: 'X', kind: 'threat', into: '999' }, 'Seçilen madde bulunamadı.'],
      [{ action: 'combine', groups: groups[0]!.value, text: 'x'.repeat(301), kind: 'threat' }, 'errors'],
    ];
    for (const [fields, message] of cases) {
      const res = await decide(planner, fields);
      expect([fields, res.status]).toEqual([fields, 422]);
      if (message !== 'errors') expect(res.text).toContain(message);
    }
    expect(await swotCount()).toEqual({ items: [], reviews: [] });
    expect((await planner.post('/admin/report/swot/items/abc/reopen').type('form').send({ _csrf: csrfFrom((await planner.get('/admin/report/swot')).text) })).status).toBe(404);
  });

  it('merges candidates into one item with the union of their sources, in one transaction with its audit event', async () => {
    const groups = await pendingGroups(planner);
    const res = await decide(planner, {
      action: 'combine',
      groups: [groupOf(groups, 'Yeşil alanların yapılaşmaya açılması'), groupOf(groups, 'Rant odaklı dönüşüm baskısı')],
      text: 'Yeşil alanlar üzerinde yapılaşma ve rant baskısı',
      kind: 'threat',
    });
    expect(res.status).toBe(303);
    const { items, reviews } = await swotCount();
    expect(items.map((i) => [i.kind, i.text])).toEqual([['threat', 'Yeşil alanlar üzerinde yapılaşma ve rant baskısı']]);
    expect(reviews.map((r) => [r.decision, r.item_id])).toEqual([
      ['merged', items[0]!.id],
      ['merged', items[0]!.id],
      ['merged', items[0]!.id],
    ]);
    const events = (await t.db.selectFrom('audit_events').select(['action', 'target']).execute()).filter((e) => e.action.startsWith('swot.'));
    expect(events).toEqual([{ action: 'swot.reviewed', target: String(items[0]!.id) }]);
    const row = rowsOf(await build(), 'T16').find((r) => r.key === `threat:item:${items[0]!.id}`)!;
    expect(row.cells).toEqual(['Yeşil alanlar üzerinde yapılaşma ve rant baskısı', 2, 'Üniversite, Meslek odası']);
  });

  it('edits one candidate into another quadrant; the item can be changed and taken back', async () => {
    const groups = await pendingGroups(planner);
    await decide(planner, { action: 'combine', groups: [groupOf(groups, 'Genç nüfus')], text: 'Genç ve dinamik nüfus', kind: 'opportunity' });
    const [item] = (await swotCount()).items;
    expect((await swotCount()).reviews.map((r) => r.decision)).toEqual(['edited']);
    expect(rowsOf(await build(), 'T16').map((r) => [r.key, r.group, r.cells[0]])).toContainEqual([`opportunity:item:${item!.id}`, 'Fırsatlar', 'Genç ve dinamik nüfus']);

    const token = csrfFrom((await planner.get('/admin/report/swot')).text);
    expect((await planner.post(`/admin/report/swot/items/${item!.id}`).type('form').send({ _csrf: token, text: '', kind: 'strength' })).status).toBe(422);
    expect((await planner.post(`/admin/report/swot/items/${item!.id}`).type('form').send({ _csrf: token, text: 'Genç nüfus', kind: 'strength' })).status).toBe(303);
    expect((await swotCount()).items.map((i) => [i.kind, i.text])).toEqual([['strength', 'Genç nüfus']]);

    expect((await planner.post(`/admin/report/swot/items/${item!.id}/reopen`).type('form').send({ _csrf: token })).status).toBe(303);
    expect(await swotCount()).toEqual({ items: [], reviews: [] });
    expect((await pendingGroups(planner)).map((g) => g.label)).toContain('Genç nüfus');
  });

  it('a dropped candidate stays out of T16 and can be put back to pending', async () => {
    const groups = await pendingGroups(planner);
    await decide(planner, { action: 'drop', groups: [groupOf(groups, 'Rant odaklı dönüşüm baskısı')] });
    expect((await swotCount()).reviews.map((r) => [r.decision, r.item_id])).toEqual([['dropped', null]]);
    expect(rowsOf(await build(), 'T16').flatMap((r) => r.cells)).not.toContain('Rant odaklı dönüşüm baskısı');
    const page = await planner.get('/admin/report/swot');
    const key = /name="candidates" value="([^"]+)"/.exec(page.text)![1]!;
    expect((await planner.post('/admin/report/swot/reopen').type('form').send({ _csrf: csrfFrom(page.text), candidates: 'inst:nope' })).status).toBe(422);
    expect((await planner.post('/admin/report/swot/reopen').type('form').send({ _csrf: csrfFrom(page.text), candidates: key })).status).toBe(303);
    expect((await swotCount()).reviews).toEqual([]);
  });

  it('decisions survive rebuilding; a candidate whose words changed is pending again', async () => {
    const groups = await pendingGroups(planner);
    await decide(planner, { action: 'accept', groups: groups.map((g) => g.value) });
    expect(await pendingGroups(planner)).toEqual([]);
    // The chamber edits its answer: the changed line is a new candidate, the unchanged one stays reviewed.
    const answer = await t.db.selectFrom('answers').select(['id', 'text']).where('question_id', '=', 'tehdit').orderBy('id', 'desc').executeTakeFirstOrThrow();
    await t.db.updateTable('answers').set({ text: 'Yeşil alanların yapılaşmaya açılması.\nDeprem riski taşıyan eski yapı stoku' }).where('id', '=', answer.id).execute();
    expect((await pendingGroups(planner)).map((g) => g.label)).toEqual(['Deprem riski taşıyan eski yapı stoku']);
    const t16 = tablesOf(await build()).find((table) => table.id === 'T16')!;
    expect(t16.rows.map((r) => r.cells[0])).not.toContain('Deprem riski taşıyan eski yapı stoku');
    expect(t16.rows.find((r) => r.cells[0] === 'Yeşil alanların yapılaşmaya açılması')!.cells[1]).toBe(2);
  });

  it('is valid, labelled HTML with candidates, items and dropped ones on it, in Turkish and English', async () => {
    const groups = await pendingGroups(planner);
    await decide(planner, { action: 'accept', groups: [groupOf(groups, 'Genç nüfus')] });
    await decide(planner, { action: 'drop', groups: [groupOf(groups, 'Rant odaklı dönüşüm baskısı')] });
    const page = await planner.get('/admin/report/swot');
    expect(await htmlProblems(page.text)).toEqual([]);
    expect(page.text).toContain('Rapora giren maddeler');
    expect(page.text).toContain('Deneme Üniversitesi (Üniversite)');
    const english = await planner.get('/admin/report/swot?lang=en');
    expect(await htmlProblems(english.text)).toEqual([]);
    expect(english.text).toContain('Items in the report');
  });

  it('the report page links to the review screen beside T16', async () => {
    const page = await planner.get('/admin/report');
    expect(page.text).toMatch(/id="T16"[\s\S]*href="\/admin\/report\/swot"/);
  });
});

describe('meeting requests on the review screen', () => {
  it('name the meeting in the reader\'s language; a meeting without an English title shows the Turkish one marked lang="tr"', async () => {
    const { meetings } = await seedReport(t);
    await t.db.updateTable('meetings').set({ title_en: 'Merkez Meeting' }).where('id', '=', meetings[0]!).execute();
    await t.db.updateTable('meetings').set({ title_en: null }).where('id', '=', meetings[1]!).execute();
    const planner = await logIn(t, await addUser(t, 'planner'));
    const english = await planner.get('/admin/report/swot?lang=en');
    expect(english.status).toBe(200);
    expect(english.text).toContain('Neighbourhood meetings: Merkez Meeting');
    expect(english.text).toContain('Neighbourhood meetings: <span lang="tr">Cami Buluşması</span>');
    expect(english.text).not.toContain('Merkez Buluşması');
    expect(await htmlProblems(english.text)).toEqual([]);
    const turkish = (await planner.get('/admin/report/swot?lang=tr')).text;
    expect(turkish).toContain('Mahalle buluşmaları: Merkez Buluşması');
    expect(turkish).not.toContain('lang="tr">Cami');
  });
});

describe('the citizen survey in the quadrants', () => {
  it('offers the best and worst rated areas (T10 rate) and the top priorities (T11) with their figures', async () => {
    await seedReport(t);
    // At a threshold of 1 T10 hides nothing of the hand-counted fixture: every area is rated.
    const settings = await reportSettings.load(t.db, t.catalog.municipality, t.catalog.surveys);
    await reportSettings.save(t.db, { ...settings, suppression: 1 }, t.clock.now);
    expect(rowsOf(await build(), 'T10').map((row) => [row.cells[0], row.cells.at(-2), row.cells.at(-1)])).toEqual([
      ['Temizlik', 66.7, 2],
      ['Parklar', 85.7, 1],
      ['Yollar', 0, 3],
    ]);
    const planner = await logIn(t, await addUser(t, 'planner'));
    const page = await planner.get('/admin/report/swot');
    for (const text of [
      'Vatandaşların Parklar hizmetinden memnuniyeti yüksek',
      'memnuniyet oranı %85,7, n = 14',
      'Vatandaşların Temizlik hizmetinden memnuniyeti yüksek',
      'memnuniyet oranı %66,7, n = 12',
      // The two best are strengths; of the rest, the worst is a weakness.
      'Vatandaşların Yollar hizmetinden memnuniyeti düşük',
      'Vatandaşlar Temizlik alanını öncelikli görüyor',
      'öncelik sırası 1, katılımcıların %85,7&#39;i seçti',
    ]) expect(page.text).toContain(text);
  });
});

describe('the citizen survey in the quadrants, under the suppression rule', () => {
  it('never quotes a rate or a rank T10 and T11 hide, nor chooses by one', async () => {
    await seedReport(t);
    // A threshold at which T10 hides some rates and T11 some ranks of the hand-counted fixture.
    const settings = await reportSettings.load(t.db, t.catalog.municipality, t.catalog.surveys);
    await reportSettings.save(t.db, { ...settings, suppression: 9 }, t.clock.now);
    const report = await build();
    const t10 = rowsOf(report, 'T10');
    const t11 = rowsOf(report, 'T11');
    const hiddenRates = t10.filter((row) => row.cells.at(-2) === null).map((row) => String(row.cells[0]));
    const hiddenRanks = t11.filter((row) => row.cells.at(-1) === null).map((row) => String(row.cells[0]));
    expect(hiddenRates.length + hiddenRanks.length).toBeGreaterThan(0);
    const planner = await logIn(t, await addUser(t, 'planner'));
    const labels = (await pendingGroups(planner)).map((g) => g.label);
    for (const area of hiddenRates) expect(labels.filter((l) => l.includes(`Vatandaşların ${area} hizmetinden`))).toEqual([]);
    for (const area of hiddenRanks) expect(labels.filter((l) => l.includes(`Vatandaşlar ${area} alanını`))).toEqual([]);
    // What is offered quotes T10's own figures.
    const page = (await planner.get('/admin/report/swot')).text;
    for (const row of t10.filter((r) => r.cells.at(-2) !== null)) {
      const quoted = new RegExp(`memnuniyet oranı %([\\d,]+), n = ${row.cells[1]}\\b`).exec(page);
      if (quoted) expect(quoted[1]).toBe(String(row.cells.at(-2)).replace('.', ','));
    }
  });
});

describe('two planners deciding at once', () => {
  it('a decision taken on candidates read before another decision was saved is refused whole and changes nothing', async () => {
    await seedTwoInstitutions();
    // What both requests read before either writes (the race the transaction must settle).
    const { data, words } = await currentData({ db: t.db, catalog: t.catalog, i18n, timeZone: 'Europe/Istanbul', now: () => t.clock.now });
    const { candidates, mentions } = swotSources(contextOf(data, words));
    const stale = swotEntries(candidates, mentions, data.swot.reviews, data.swot.items).pending;
    const groups = groupCandidates(stale);
    const key = (text: string) => groups.find((g) => g.text === text)!.key;
    const first = await t.db.transaction().execute((trx) => swotService.review(trx, stale, { action: 'accept', groups: [key('Genç nüfus')] }, actor, t.clock.now));
    expect(first).toMatchObject({ kind: 'saved', decision: 'accepted' });
    const before = await swotCount();
    const late = await t.db
      .transaction()
      .execute((trx) => swotService.review(trx, stale, { action: 'combine', groups: [key('Genç nüfus'), key('Yeşil alanların yapılaşmaya açılması')], text: 'Gençler ve yeşil alan', kind: 'strength', into: null }, actor, t.clock.now));
    expect(late).toEqual({ kind: 'unknown_candidates' });
    expect(await swotCount()).toEqual(before);
  });
});
