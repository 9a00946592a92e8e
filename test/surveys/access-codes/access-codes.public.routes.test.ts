import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import * as accessCodeService from '../../../server/surveys/access-codes/access-code.service';
import { formatCode } from '../../../server/surveys/access-codes/access-codes';
import { countResponses } from '../../../server/analysis/results.repository';
import { addUser, csrfFrom, logIn } from '../../helpers/admin';
import { answerSection, encodeForm, hiddenFields } from '../../helpers/forms';
import { htmlProblems } from '../../helpers/html';
import { completeSurvey, validSectionFields } from '../../helpers/survey-walker';
import { createTestApp, FIXTURE_SURVEYS, type TestApp } from '../../helpers/test-app';

let t: TestApp;
beforeEach(async () => {
  t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const SLUG = 'tum-soru-tipleri';
const INTRO = `/anket/${SLUG}`;
const survey = () => t.catalog.find(SLUG)!;
const actor = { userId: null, email: 'test', ip: null };

async function setMode(mode: 'none' | 'optional' | 'required') {
  await accessCodeService.setMode(t.db, SLUG, mode, actor, t.clock.now);
}
async function newCodes(size: number): Promise<string[]> {
  const outcome = await accessCodeService.createBatch(t.db, SLUG, { label: 'Test', size }, actor, t.clock.now);
  if (outcome.kind !== 'created') throw new Error('batch not created');
  const rows = await t.db.selectFrom('access_codes').select('code').where('batch_id', '=', outcome.batchId).orderBy('id').execute();
  return rows.map((row) => row.code);
}
/** Types a code into the start page's form, as a person does. */
async function startWith(agent: TestAgent, code: string, query = '') {
  const page = await agent.get(`${INTRO}${query}`);
  expect(page.status).toBe(200);
  return agent.post(`${INTRO}${query}`).type('form').send(encodeForm({ _csrf: csrfFrom(page.text), kod: code }));
}
/** Answers every section but the last; returns the last section's URL. */
async function allButLast(agent: TestAgent): Promise<string> {
  const last = survey().sections.length;
  for (let i = 1; i < last; i++) {
    const { response } = await answerSection(agent, `${INTRO}/${i}`, validSectionFields(survey(), i - 1));
    expect(response.status).toBe(303);
  }
  return `${INTRO}/${last}`;
}
const responses = () => t.db.selectFrom('responses').select(['id', 'status', 'access_code_id']).orderBy('id').execute();
const codeRow = (code: string) => t.db.selectFrom('access_codes').select(['id', 'used_at']).where('code', '=', code).executeTakeFirstOrThrow();

describe('a survey without access codes (the default)', () => {
  it('starts with a link, asks for no code, and ignores a ?kod= link', async () => {
    const intro = await request(t.app).get(`${INTRO}?kod=K7Q4M-2MXAR`);
    expect(intro.text).toContain(`href="${INTRO}/1"`);
    expect(intro.text).not.toContain('name="kod"');
    const agent = request.agent(t.app);
    await completeSurvey(agent, survey());
    expect(await responses()).toEqual([expect.objectContaining({ status: 'complete', access_code_id: null })]);
  });
});

describe('a survey that requires a code', () => {
  beforeEach(() => setMode('required'));

  it('asks for the code on the start page, which is valid HTML and small', async () => {
    const intro = await request(t.app).get(INTRO);
    expect(intro.status).toBe(200);
    expect(await htmlProblems(intro.text)).toEqual([]);
    expect(intro.text).toContain('<label for="kod">Erişim kodu</label>');
    expect(intro.text).toContain(`<form method="post" action="${INTRO}" novalidate>`);
    expect(intro.text).not.toContain(`href="${INTRO}/1"`);
    expect(Buffer.byteLength(intro.text)).toBeLessThan(15_000);
  });

  it('sends a section page opened without a code back to the start page', async () => {
    const page = await request(t.app).get(`${INTRO}/1`);
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe(INTRO);
    const agent = request.agent(t.app);
    const intro = await agent.get(INTRO);
    const post = await agent.post(`${INTRO}/2`).type('form').send({ _csrf: csrfFrom(intro.text), _key: 'a'.repeat(22) });
    expect(post.status).toBe(303);
    expect(post.headers.location).toBe(INTRO);
    expect(await responses()).toEqual([]);
  });

  it('prefills the code from a ?kod= link, grouped as printed', async () => {
    const [code] = await newCodes(1);
    const intro = await request(t.app).get(`${INTRO}?kod=${code!.toLowerCase()}`);
    expect(intro.text).toContain(`value="${formatCode(code!)}"`);
    const other = await request(t.app).get(`${INTRO}?kod=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(other.text).toContain('value="&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
  });

  it.each([
    ['no code', '', 403, 'Bu anketi yanıtlamak için size verilen erişim kodunu yazın.'],
    ['an unknown code', 'K7Q4M-2MXAR', 422, 'Bu kod bu anket için geçerli değil.'],
    ['something that cannot be a code', 'merhaba', 422, 'Bu kod bu anket için geçerli değil.'],
  ])('refuses %s with a clear message and writes nothing', async (_case, code, status, message) => {
    const agent = request.agent(t.app);
    const refused = await startWith(agent, code);
    expect(refused.status).toBe(status);
    expect(refused.text).toContain(message);
    expect(refused.text).toContain('aria-invalid="true"');
    expect(refused.headers['set-cookie'] ?? []).not.toEqual(expect.arrayContaining([expect.stringContaining('pd_code_')]));
    expect(await htmlProblems(refused.text)).toEqual([]);
    expect((await agent.get(`${INTRO}/1`)).headers.location).toBe(INTRO);
    expect(await responses()).toEqual([]);
  });

  it('says so in English for an English visitor', async () => {
    const agent = request.agent(t.app);
    const refused = await startWith(agent, 'K7Q4M-2MXAR', '?lang=en');
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('This code is not valid for this survey.');
  });

  it('accepts a fresh code typed in lower case with spaces, takes it when the response completes, and only once', async () => {
    const [code, unused] = await newCodes(2);
    const first = request.agent(t.app);
    const started = await startWith(first, ` ${code!.slice(0, 5).toLowerCase()} ${code!.slice(5)} `);
    expect(started.status).toBe(303);
    expect(started.headers.location).toBe(`${INTRO}/1`);
    // Taken only at completion: a started draft leaves the code free.
    await answerSection(first, `${INTRO}/1`, validSectionFields(survey(), 0));
    expect((await codeRow(code!)).used_at).toBeNull();
    await completeSurvey(first, survey());
    const [response] = await responses();
    expect(response).toMatchObject({ status: 'complete', access_code_id: (await codeRow(code!)).id });
    expect((await codeRow(code!)).used_at).toBe(t.clock.now.toISOString());
    expect((await codeRow(unused!)).used_at).toBeNull();

    const second = request.agent(t.app);
    const refused = await startWith(second, formatCode(code!));
    expect(refused.status).toBe(409);
    expect(refused.text).toContain('Bu kod daha önce bir yanıtta kullanılmış.');
    expect(await responses()).toHaveLength(1);
  });

  it('stores one response when the final post is sent twice (a retry after a lost answer)', async () => {
    const [code] = await newCodes(1);
    const agent = request.agent(t.app);
    await startWith(agent, code!);
    const last = await allButLast(agent);
    const page = await agent.get(last);
    const body = encodeForm({ ...hiddenFields(page.text), _nav: 'next', ...validSectionFields(survey(), survey().sections.length - 1) });
    // The browser resends with the cookies it had: the first answer (and its cleared cookies) never arrived.
    const cookies = agent.jar
      .getCookies({ domain: '127.0.0.1', path: last, secure: false, script: false })
      .map((c) => String(c).split(';')[0])
      .join('; ');
    expect(cookies).toContain(`pd_code_${SLUG}=${code}`);
    const first = await agent.post(last).type('form').send(body);
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe(`${INTRO}/tesekkurler`);
    const again = await request(t.app).post(last).set('Cookie', cookies).type('form').send(body);
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe(`${INTRO}/tesekkurler`);
    const stored = await responses();
    expect(stored.filter((r) => r.status === 'complete')).toHaveLength(1);
  });

  it('lets exactly one of two drafts racing with the same code complete; the other is told and nothing of it is written', async () => {
    const [code] = await newCodes(1);
    const agents = [request.agent(t.app), request.agent(t.app)];
    for (const agent of agents) expect((await startWith(agent, code!)).status).toBe(303);
    const lasts = await Promise.all(agents.map(allButLast));
    const pages = await Promise.all(agents.map((agent, i) => agent.get(lasts[i]!)));
    const answers = validSectionFields(survey(), survey().sections.length - 1);
    const answersBefore = Number((await t.db.selectFrom('answers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const posted = await Promise.all(
      agents.map((agent, i) => agent.post(lasts[i]!).type('form').send(encodeForm({ ...hiddenFields(pages[i]!.text), _nav: 'next', ...answers }))),
    );
    const statuses = posted.map((p) => p.status).sort();
    expect(statuses).toEqual([303, 409]);
    const loser = posted.find((p) => p.status === 409)!;
    expect(loser.text).toContain('Bu kod daha önce bir yanıtta kullanılmış.');
    const stored = await responses();
    const codeId = (await codeRow(code!)).id;
    expect(stored.filter((r) => r.status === 'complete')).toEqual([expect.objectContaining({ access_code_id: codeId })]);
    expect(stored.filter((r) => r.status === 'draft')).toEqual([expect.objectContaining({ access_code_id: null })]);
    // The loser's answers were rolled back with its completion: only the winner's rows were added.
    const winner = stored.find((r) => r.status === 'complete')!;
    const winnerAnswers = Number((await t.db.selectFrom('answers').select((eb) => eb.fn.countAll<number>().as('n')).where('response_id', '=', winner.id).executeTakeFirstOrThrow()).n);
    const answersAfter = Number((await t.db.selectFrom('answers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    expect(answersAfter - answersBefore).toBe(winnerAnswers);
    // The loser can still finish with another code: its draft is kept.
    const [fresh] = await newCodes(1);
    const loserAgent = agents[posted.indexOf(loser)]!;
    const restarted = await startWith(loserAgent, fresh!);
    expect(restarted.headers.location).toBe(lasts[0]);
    const { response } = await answerSection(loserAgent, lasts[0]!, answers);
    expect(response.headers.location).toBe(`${INTRO}/tesekkurler`);
    expect((await responses()).filter((r) => r.status === 'complete')).toHaveLength(2);
  });

  it('refuses a code of another survey', async () => {
    const [code] = await newCodes(1);
    await t.db.updateTable('access_codes').set({ survey_slug: 'baska-anket' }).execute();
    const refused = await startWith(request.agent(t.app), code!);
    expect(refused.status).toBe(422);
  });
});

describe('a survey whose code is optional', () => {
  beforeEach(() => setMode('optional'));

  it('offers an optional code field, starts without a code, and records which responses had one', async () => {
    const [code] = await newCodes(1);
    const intro = await request(t.app).get(INTRO);
    expect(intro.text).toContain('<label for="kod">Erişim kodu (isteğe bağlı)</label>');
    expect(await htmlProblems(intro.text)).toEqual([]);

    const without = request.agent(t.app);
    const started = await startWith(without, '');
    expect(started.status).toBe(303);
    await completeSurvey(without, survey());
    // Straight to the first section works too: the code is optional.
    await completeSurvey(request.agent(t.app), survey());
    const withCode = request.agent(t.app);
    expect((await startWith(withCode, code!, `?kod=${formatCode(code!)}`)).status).toBe(303);
    await completeSurvey(withCode, survey());

    const stored = await responses();
    expect(stored.map((r) => r.access_code_id)).toEqual([null, null, (await codeRow(code!)).id]);
    expect(await countResponses(t.db, SLUG, { answers: [], accessCode: 'with' })).toBe(1);
    expect(await countResponses(t.db, SLUG, { answers: [], accessCode: 'without' })).toBe(2);
    expect(await countResponses(t.db, SLUG, { answers: [] })).toBe(3);

    // The planner sees the comparison on the access codes page and can filter the results by it.
    const planner = await logIn(t, await addUser(t, 'planner'));
    const page = await planner.get(`/admin/surveys/${SLUG}/access-codes`);
    expect(page.text).toMatch(/Kodla gelen tamamlanmış yanıtlar<\/dt><dd>1<\/dd>/);
    expect(page.text).toMatch(/Kodsuz tamamlanmış yanıtlar<\/dt><dd>2<\/dd>/);
    expect(page.text).toMatch(/<td class="num">1<\/td>\s*<td class="num">1<\/td>\s*<td class="num">0<\/td>/);
    const results = await planner.get(`/admin/surveys/${SLUG}/results?code=without`);
    expect(results.status).toBe(200);
    expect(results.text).toContain('<option value="without" selected>Kodsuz yanıtlar</option>');
    expect(results.text).toContain('responses.csv?code=without');
  });

  it('refuses a used code at the start, and a code used meanwhile at completion, keeping the draft', async () => {
    const [code] = await newCodes(1);
    const late = request.agent(t.app);
    expect((await startWith(late, code!)).status).toBe(303);
    const last = await allButLast(late);
    // Someone else completes with the same code first.
    const early = request.agent(t.app);
    expect((await startWith(early, code!)).status).toBe(303);
    await completeSurvey(early, survey());
    const { response } = await answerSection(late, last, validSectionFields(survey(), survey().sections.length - 1));
    expect(response.status).toBe(409);
    expect(response.text).toContain('Bu kod daha önce bir yanıtta kullanılmış.');
    // Without a code the same draft completes.
    expect((await startWith(late, '')).headers.location).toBe(last);
    await answerSection(late, last, validSectionFields(survey(), survey().sections.length - 1));
    expect((await responses()).map((r) => [r.status, r.access_code_id !== null])).toEqual([
      ['complete', false],
      ['complete', true],
    ]);
  });
});
