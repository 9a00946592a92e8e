// Search and apply: matches previewed with marks, themes applied to the ticked answers as one
// audited batch, the batch undone exactly, and a search kept as a theme's rule that only suggests.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { codingRepository } from '../../../server/analysis/coding';
import { addUser, csrfFrom, logIn } from '../../helpers/admin';
import { addResponse, addTheme, CITIZEN, EXPECT, IMPROVE } from '../../helpers/coding';
import { encodeForm, type Fields } from '../../helpers/forms';
import { htmlProblems } from '../../helpers/html';
import { createTestApp, type TestApp } from '../../helpers/test-app';

let t: TestApp;
let planner: TestAgent;
let cop: number;
let park: number;
let a: Record<string, number>;
beforeEach(async () => {
  t = await createTestApp();
  planner = await logIn(t, await addUser(t, 'planner'));
  cop = await addTheme(t, CITIZEN, 'Çöp toplama');
  park = await addTheme(t, CITIZEN, 'Parklar');
  a = {};
  for (const [key, text] of Object.entries({ coplerin: 'Çöplerin toplanması gecikiyor', cop: 'ÇÖP kokuyor', parkCop: 'Parkta çöp var', otobus: 'Otobüs az', other: 'cop konteyneri yok' })) {
    a[key] = (await addResponse(t, CITIZEN, { [IMPROVE]: text })).answerIds[IMPROVE]!;
  }
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const SEARCH = `/admin/surveys/${CITIZEN}/coding/search`;
const searchUrl = (q: string, scope = 'uncoded') => `${SEARCH}?${new URLSearchParams({ question: IMPROVE, scope, q }).toString()}`;
const codes = () => t.db.selectFrom('answer_codes').select(['answer_id', 'theme_id']).orderBy('answer_id').orderBy('theme_id').execute();
const coded = () => t.db.selectFrom('coded_answers').select(['answer_id', 'coded_by', 'coded_at']).orderBy('answer_id').execute();
const listed = (html: string) => [...html.matchAll(/name="answers" value="(\d+)"/g)].map((m) => Number(m[1]));
const audits = async () => (await t.db.selectFrom('audit_events').select(['action', 'target', 'details']).orderBy('id').execute()).filter((e) => e.action.startsWith('coding.') || e.action === 'theme.rule_changed');

async function apply(fields: Fields) {
  const page = await planner.get(SEARCH);
  return planner.post(`${SEARCH}/apply`).type('form').send(encodeForm({ _csrf: csrfFrom(page.text), question: IMPROVE, scope: 'uncoded', q: 'çöp', ...fields }));
}
async function undo(batchId: number) {
  const page = await planner.get(SEARCH);
  return planner.post(`/admin/surveys/${CITIZEN}/coding/batches/${batchId}/undo`).type('form').send(encodeForm({ _csrf: csrfFrom(page.text) }));
}
const lastBatchId = async () => (await t.db.selectFrom('coding_batches').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;

describe('GET the search page', () => {
  it('lists the matching answers, all ticked, with the hits marked and the text escaped, as valid HTML', async () => {
    const tricky = (await addResponse(t, CITIZEN, { [IMPROVE]: '<b>çöp</b> & "x"' })).answerIds[IMPROVE]!;

    const page = await planner.get(searchUrl('çöpler'));

    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    expect(listed(page.text)).toEqual([a.coplerin, a.cop, a.parkCop, a.other, tricky]);
    expect(page.text).toContain('5 yanıt bulundu');
    expect(page.text).toContain(`value="${a.coplerin}" checked`);
    expect(page.text).toContain('<mark>Çöplerin</mark> toplanması gecikiyor');
    expect(page.text).toContain('<mark>ÇÖP</mark> kokuyor');
    expect(page.text).toContain('&lt;b&gt;<mark>çöp</mark>&lt;/b&gt; &amp; &#34;x&#34;');
    expect(page.text).not.toContain('<b>çöp</b>');
  });

  it('leaves out excluded words, coded answers in the uncoded scope and other questions', async () => {
    await codingRepository.saveCoding(t.db, a.cop!, [], null, t.clock.now);
    await addResponse(t, CITIZEN, { [EXPECT]: 'çöp de beklentim' });

    expect(listed((await planner.get(searchUrl('çöp -park'))).text)).toEqual([a.coplerin, a.other]);
    expect(listed((await planner.get(searchUrl('çöp -park', 'all'))).text)).toEqual([a.coplerin, a.cop, a.other]);
  });

  it('answers 422 in the planner’s language for a query it cannot read, and 404 for an unknown question', async () => {
    const bad = await planner.get(searchUrl('-park'));
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('Yalnızca dışarıda bırakılan sözcükler var');
    expect(await htmlProblems(bad.text)).toEqual([]);
    const english = await planner.get(`${searchUrl('"çöp')}&lang=en`).set('Accept-Language', 'en');
    expect(english.status).toBe(422);
    expect(english.text).toContain('A quotation mark is not closed.');
    expect((await planner.get(`${SEARCH}?question=yok&q=cop`)).status).toBe(404);
    expect((await planner.get(`${SEARCH}?scope=hepsi&q=cop`)).status).toBe(400);
  });
});

describe('POST apply', () => {
  it('applies the themes to the ticked answers only, in one batch, keeping earlier themes, with an audit entry', async () => {
    await codingRepository.saveCoding(t.db, a.parkCop!, [park], null, new Date('2026-11-01T10:00:00.000Z'));

    const response = await apply({ q: 'çöp', scope: 'all', answers: [String(a.coplerin), String(a.parkCop)], themes: String(cop) });

    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`${SEARCH}?question=${IMPROVE}&scope=all&q=%C3%A7%C3%B6p`);
    expect(await codes()).toEqual([
      { answer_id: a.coplerin, theme_id: cop },
      { answer_id: a.parkCop, theme_id: cop },
      { answer_id: a.parkCop, theme_id: park },
    ]);
    expect((await coded()).map((row) => row.answer_id)).toEqual([a.coplerin, a.parkCop]);
    expect(await audits()).toEqual([
      { action: 'coding.bulk_applied', target: `coding_batch:${await lastBatchId()}`, details: expect.stringContaining('"answers":2') },
    ]);
    const page = await planner.get(response.headers.location!);
    expect(page.text).toContain('Temalar 2 yanıta uygulandı.');
    expect(page.text).toMatch(/<td><code>çöp<\/code><\/td>\s*<td>Çöp toplama<\/td>\s*<td class="num">2<\/td>/);
  });

  it('writes nothing when one answer may not be coded (one transaction), and says why', async () => {
    const excluded = (await addResponse(t, CITIZEN, { [IMPROVE]: 'çöp' }, { excluded: true })).answerIds[IMPROVE]!;
    const otherQuestion = (await addResponse(t, CITIZEN, { [EXPECT]: 'çöp' })).answerIds[EXPECT]!;

    for (const bad of [excluded, otherQuestion, 999999]) {
      const response = await apply({ answers: [String(a.cop), String(bad)], themes: String(cop) });
      expect(response.status).toBe(422);
      expect(response.text).toContain('İşaretli yanıtlardan biri artık kodlanamıyor');
      expect(await htmlProblems(response.text)).toEqual([]);
    }
    expect(await codes()).toEqual([]);
    expect(await coded()).toEqual([]);
    expect(await t.db.selectFrom('coding_batches').selectAll().execute()).toEqual([]);
    expect(await audits()).toEqual([]);
  });

  it('refuses no answers, no theme, a theme of another survey and malformed ids, writing nothing', async () => {
    const foreign = await addTheme(t, 'kurum-gorus-formu', 'Kurum teması');
    const none = await apply({ themes: String(cop) });
    expect(none.status).toBe(422);
    expect(none.text).toContain('En az bir yanıtı işaretleyin.');
    const noTheme = await apply({ answers: String(a.cop) });
    expect(noTheme.status).toBe(422);
    expect(noTheme.text).toContain('Uygulanacak en az bir tema seçin.');
    expect(noTheme.text).toContain(`value="${a.cop}" checked`);
    expect((await apply({ answers: String(a.cop), themes: String(foreign) })).status).toBe(422);
    expect((await apply({ answers: 'abc', themes: String(cop) })).status).toBe(400);
    expect(await coded()).toEqual([]);
  });

  it('requires the form token and the coding permission', async () => {
    const noToken = await planner.post(`${SEARCH}/apply`).type('form').send(encodeForm({ question: IMPROVE, answers: String(a.cop), themes: String(cop) }));
    expect(noToken.status).toBe(403);
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    const token = csrfFrom((await viewer.get('/admin/surveys')).text);
    expect((await viewer.get(searchUrl('çöp'))).status).toBe(403);
    expect((await viewer.post(`${SEARCH}/apply`).type('form').send(encodeForm({ _csrf: token, question: IMPROVE, answers: String(a.cop), themes: String(cop) }))).status).toBe(403);
    expect((await request(t.app).get(searchUrl('çöp'))).status).toBe(303);
    expect(await coded()).toEqual([]);
  });
});

describe('POST undo', () => {
  it('restores exactly the codes from before: uncoded answers uncoded, coded ones with their themes, coder and time', async () => {
    const before = new Date('2026-11-01T10:00:00.000Z');
    await codingRepository.saveCoding(t.db, a.parkCop!, [park], null, before);
    await codingRepository.saveCoding(t.db, a.cop!, [], null, before);
    const snapshot = { codes: await codes(), coded: await coded() };
    await apply({ scope: 'all', answers: [String(a.coplerin), String(a.cop), String(a.parkCop)], themes: [String(cop), String(park)] });
    expect(await codes()).not.toEqual(snapshot.codes);
    const batchId = await lastBatchId();

    const response = await undo(batchId);

    expect(response.status).toBe(303);
    expect(await codes()).toEqual(snapshot.codes);
    expect(await coded()).toEqual(snapshot.coded);
    expect((await audits()).map((e) => e.action)).toEqual(['coding.bulk_applied', 'coding.bulk_undone']);
    const page = await planner.get(SEARCH);
    expect(page.text).toContain('Toplu kodlama geri alındı; 3 yanıt önceki hâline döndü.');
    expect(page.text).toContain('Geri alındı (');
    expect(await htmlProblems(page.text)).toEqual([]);
  });

  it('refuses to undo twice, or before a later batch on the same answers, with 409 and no change', async () => {
    await apply({ answers: String(a.cop), themes: String(cop) });
    const first = await lastBatchId();
    await apply({ scope: 'all', answers: String(a.cop), themes: String(park) });
    const second = await lastBatchId();
    const state = await codes();

    const blocked = await undo(first);
    expect(blocked.status).toBe(409);
    expect(blocked.text).toContain('Önce o işlemi geri alın.');
    expect(await codes()).toEqual(state);

    expect((await undo(second)).status).toBe(303);
    expect((await undo(second)).status).toBe(409);
    expect((await undo(first)).status).toBe(303);
    expect(await codes()).toEqual([]);
    expect(await coded()).toEqual([]);
    expect((await undo(999999)).status).toBe(404);
  });

  it('requires the form token', async () => {
    await apply({ answers: String(a.cop), themes: String(cop) });
    const response = await planner.post(`/admin/surveys/${CITIZEN}/coding/batches/${await lastBatchId()}/undo`).type('form').send('');
    expect(response.status).toBe(403);
    expect(await coded()).toHaveLength(1);
  });
});

describe('rules', () => {
  async function saveRule(q: string, theme: number) {
    const page = await planner.get(searchUrl(q));
    return planner.post(`${SEARCH}/rule`).type('form').send(encodeForm({ _csrf: csrfFrom(page.text), q, theme: String(theme), question: IMPROVE }));
  }

  it('keeps a search as the theme’s rule; the coding screen suggests the theme with the words marked and ticks nothing', async () => {
    expect((await saveRule('çöp -park', cop)).status).toBe(303);
    expect((await t.db.selectFrom('codebook_themes').select('rule').where('id', '=', cop).executeTakeFirstOrThrow()).rule).toBe('çöp -park');
    expect((await audits()).map((e) => e.action)).toEqual(['theme.rule_changed']);

    const page = await planner.get(`/admin/surveys/${CITIZEN}/coding?answer=${a.coplerin}`);

    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    expect(page.text).toContain('Kurala göre önerilen temalar');
    expect(page.text).toContain(`<li data-rule-theme="${cop}"><strong>Çöp toplama</strong> (<code>çöp -park</code>): <mark>Çöplerin</mark> toplanması gecikiyor</li>`);
    expect(page.text).not.toContain(' checked');
    expect(await coded()).toEqual([]);
    const excludedByRule = await planner.get(`/admin/surveys/${CITIZEN}/coding?answer=${a.parkCop}`);
    expect(excludedByRule.text).not.toContain('Kurala göre önerilen temalar');
  });

  it('refuses a rule that does not parse with 422, and removes a rule on request', async () => {
    const bad = await saveRule('ış*', cop);
    expect(bad.status).toBe(422);
    expect(bad.text).toContain('en az üç harfi');
    expect((await t.db.selectFrom('codebook_themes').select('rule').where('id', '=', cop).executeTakeFirstOrThrow()).rule).toBeNull();

    await saveRule('çöp', cop);
    const page = await planner.get(SEARCH);
    const cleared = await planner.post(`${SEARCH}/rule`).type('form').send(encodeForm({ _csrf: csrfFrom(page.text), theme: String(cop), clear: '1' }));
    expect(cleared.status).toBe(303);
    expect((await t.db.selectFrom('codebook_themes').select('rule').where('id', '=', cop).executeTakeFirstOrThrow()).rule).toBeNull();
  });
});
