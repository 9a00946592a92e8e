// The review screen: flagged responses grouped by reason, excluded or kept one by one or in bulk.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { randomSource, syntheticFields } from '../../../server/surveys/synthetic-responses';
import { addUser, csrfFrom, logIn, type TestUser } from '../../helpers/admin';
import { encodeForm } from '../../helpers/forms';
import { htmlProblems } from '../../helpers/html';
import { pacedResponse } from '../../helpers/paced-response';
import { completeSurvey } from '../../helpers/survey-walker';
import { createTestApp, type TestApp } from '../../helpers/test-app';

let t: TestApp;
let planner: TestUser;
let agent: TestAgent;
const PAGE = '/admin/surveys/vatandas-anketi/quality';
beforeEach(async () => {
  t = await createTestApp({ trustProxy: true });
  planner = await addUser(t, 'planner', 'Ayşe Planlamacı');
  agent = await logIn(t, planner);
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const citizen = () => t.catalog.find('vatandas-anketi')!;
/** A script's response: all pages at once, the lowest answers everywhere, from one address. */
async function scripted(): Promise<number> {
  await completeSurvey(request.agent(t.app).set('X-Forwarded-For', '203.0.113.7') as never, citizen());
  return (await t.db.selectFrom('responses').select('id').orderBy('id', 'desc').executeTakeFirstOrThrow()).id;
}
async function person(seed: number): Promise<number> {
  return pacedResponse(t, citizen(), syntheticFields(citizen(), randomSource(seed)), { ip: `198.51.100.${seed}`, secondsPerPage: 50 });
}
const review = async (fields: Record<string, string | string[]>) => {
  const token = csrfFrom((await agent.get(PAGE)).text);
  return agent.post(PAGE).type('form').send(encodeForm({ _csrf: token, ...fields }));
};
const auditRows = async () => t.db.selectFrom('audit_events').select(['action', 'target', 'user_id']).orderBy('id').execute();
const included = async () => Number((await t.db.selectFrom('question_respondents').select('respondents').where('question_id', '=', 'cinsiyet').executeTakeFirst())?.respondents ?? 0);
const reviewOf = (id: number) => t.db.selectFrom('response_quality').select(['review_decision', 'reviewed_by']).where('response_id', '=', id).executeTakeFirstOrThrow();

describe('the review screen', () => {
  it('lists flagged responses under each reason with their answers, and not the unflagged ones', async () => {
    const fast = await scripted();
    const calm = await person(3);
    const page = await agent.get(PAGE);
    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    expect(page.text).toContain('1 yanıt incelenmeyi bekliyor.');
    expect(page.text).toContain('Çok hızlı dolduruldu (1)');
    expect(page.text).toContain('Tabloda hep aynı cevap (1)');
    expect(page.text).toContain(`Yanıt #${fast}`);
    expect(page.text).not.toContain(`Yanıt #${calm}`);
    // The answers in words, and the matrix that was straight-lined by its question.
    expect(page.text).toContain('Aşağıdaki özellikler için bu ifadeye ne ölçüde katıldığınızı belirtiniz.');
    expect(page.text).toMatch(/sn’de tamamlandı; en kısa beklenen süre \d+ sn/);
    const survey = await agent.get('/admin/surveys/vatandas-anketi');
    expect(survey.text).toContain(`href="${PAGE}"`);
  });

  it('is in English for an English-speaking planner', async () => {
    await scripted();
    const page = await agent.get(`${PAGE}?lang=en`);
    expect(page.text).toContain('Filled in too fast (1)');
    expect(page.text).toContain('Responses waiting for review: 1.');
    expect(page.text).toMatch(/completed in \d+ s; the shortest expected time is \d+ s/);
  });

  it('needs a login, and only planners decide', async () => {
    const id = await scripted();
    const anonymous = await request(t.app).get(PAGE);
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.location).toMatch(/^\/admin\/login/);
    // Viewers read results, not single responses.
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    expect((await viewer.get(PAGE)).status).toBe(403);
    // The viewer's own token (the sign-out form's), so the refusal is about the role, not the token.
    const token = csrfFrom((await viewer.get('/admin/surveys')).text);
    const refused = await viewer.post(PAGE).type('form').send(encodeForm({ _csrf: token, one: `exclude:${id}` }));
    expect(refused.status).toBe(403);
    expect((await t.db.selectFrom('responses').select('excluded_at').where('id', '=', id).executeTakeFirstOrThrow()).excluded_at).toBeNull();
  });

  it('refuses a post without its CSRF token, changing nothing', async () => {
    const id = await scripted();
    const refused = await agent.post(PAGE).type('form').send(encodeForm({ one: `exclude:${id}` }));
    expect(refused.status).toBe(403);
    expect(await reviewOf(id)).toEqual({ review_decision: null, reviewed_by: null });
  });

  it('excludes one response through the exclusion path: out of the counts, audited, off the queue', async () => {
    const id = await scripted();
    await person(4);
    expect(await included()).toBe(2);
    const done = await review({ one: `exclude:${id}`, reason: 'quality', note: 'Betik' });
    expect(done.status).toBe(303);
    expect(await t.db.selectFrom('responses').select(['excluded_by', 'exclusion_reason', 'exclusion_note']).where('id', '=', id).executeTakeFirstOrThrow()).toEqual({
      excluded_by: planner.id,
      exclusion_reason: 'quality',
      exclusion_note: 'Betik',
    });
    expect(await included()).toBe(1);
    expect(await reviewOf(id)).toEqual({ review_decision: 'excluded', reviewed_by: planner.id });
    expect(await auditRows()).toContainEqual({ action: 'response.excluded', target: `vatandas-anketi#${id}`, user_id: planner.id });
    const page = await agent.get(PAGE);
    expect(page.text).toContain('1 yanıt sonuçlardan çıkarıldı');
    expect(page.text).toContain('0 yanıt incelenmeyi bekliyor.');
    expect((await agent.get(`/admin/surveys/vatandas-anketi/responses/${id}`)).text).toContain('Kalite kontrolünde işaretlendi: Betik');
    expect((await agent.get(`/admin/surveys/vatandas-anketi/responses/${id}`)).text).toMatch(/Kalite işaretleri<\/dt><dd>[^<]*Çok hızlı dolduruldu[^<]*\(incelendi, hariç tutuldu\)/);
  });

  it('keeps one response: still counted, the decision recorded and audited, off the queue', async () => {
    const id = await scripted();
    const done = await review({ one: `keep:${id}` });
    expect(done.status).toBe(303);
    expect(await included()).toBe(1);
    expect(await reviewOf(id)).toEqual({ review_decision: 'kept', reviewed_by: planner.id });
    expect(await auditRows()).toContainEqual({ action: 'response.kept', target: `vatandas-anketi#${id}`, user_id: planner.id });
    expect((await agent.get(PAGE)).text).not.toContain(`Yanıt #${id}<`);
  });

  it('decides on the chosen responses in bulk, with one reason', async () => {
    const a = await scripted();
    const b = await scripted();
    const c = await scripted();
    expect(await included()).toBe(3);
    const excluded = await review({ ids: [String(a), String(b), String(a)], decision: 'exclude', reason: 'spam' });
    expect(excluded.status).toBe(303);
    expect(await included()).toBe(1);
    expect((await t.db.selectFrom('responses').select('exclusion_reason').where('id', 'in', [a, b]).execute()).map((r) => r.exclusion_reason)).toEqual(['spam', 'spam']);
    expect((await auditRows()).filter((row) => row.action === 'response.excluded')).toHaveLength(2);
    const kept = await review({ ids: String(c), decision: 'keep' });
    expect(kept.status).toBe(303);
    expect(await reviewOf(c)).toEqual({ review_decision: 'kept', reviewed_by: planner.id });
    expect((await agent.get(PAGE)).text).toContain('0 yanıt incelenmeyi bekliyor.');
  });

  it('says what is missing when nothing was chosen or the reason is unknown, changing nothing', async () => {
    const id = await scripted();
    const none = await review({ decision: 'exclude', reason: 'quality' });
    expect(none.status).toBe(422);
    expect(none.text).toContain('Karar vermek için en az bir yanıt seçin.');
    const bad = await review({ ids: String(id), decision: 'exclude', reason: 'canim-istedi' });
    expect(bad.status).toBe(422);
    expect(await reviewOf(id)).toEqual({ review_decision: null, reviewed_by: null });
    expect(await included()).toBe(1);
  });

  it('skips a response that has no flag: flags are the only way into the review', async () => {
    const calm = await person(5);
    const done = await review({ one: `exclude:${calm}` });
    expect(done.status).toBe(303);
    expect((await t.db.selectFrom('responses').select('excluded_at').where('id', '=', calm).executeTakeFirstOrThrow()).excluded_at).toBeNull();
  });
});
