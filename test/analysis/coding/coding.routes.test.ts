// The coding screen: one answer at a time, the next uncoded one first, themes ticked by number.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { codingRepository } from '../../../server/analysis/coding';
import { responseRepository } from '../../../server/surveys';
import { addUser, csrfFrom, logIn } from '../../helpers/admin';
import { encodeForm, type Fields } from '../../helpers/forms';
import { htmlProblems } from '../../helpers/html';
import { createTestApp, type TestApp } from '../../helpers/test-app';
import { addResponse, addTheme, CITIZEN, EXPECT, firstLongText, IMPROVE, INSTITUTION } from '../../helpers/coding';

let t: TestApp;
let planner: TestAgent;
let cop: number;
let park: number;
beforeEach(async () => {
  t = await createTestApp();
  planner = await logIn(t, await addUser(t, 'planner'));
  cop = await addTheme(t, CITIZEN, 'Çöp toplama', { keywords: ['çöp', 'konteyner'] });
  park = await addTheme(t, CITIZEN, 'Parklar', { keywords: ['park'] });
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const CODING = `/admin/surveys/${CITIZEN}/coding`;
const codes = () => t.db.selectFrom('answer_codes').select(['answer_id', 'theme_id']).orderBy('answer_id').orderBy('theme_id').execute();
const coded = () => t.db.selectFrom('coded_answers').select(['answer_id', 'coded_by']).orderBy('answer_id').execute();
/** The answer the coding form posts to. */
const formAnswerId = (html: string) => Number(/action="\/admin\/surveys\/[^/]+\/coding\/(\d+)"/.exec(html)?.[1]);

async function code(agent: TestAgent, answerId: number, fields: Fields, slug = CITIZEN) {
  const page = await agent.get(`/admin/surveys/${slug}/coding`);
  return agent.post(`/admin/surveys/${slug}/coding/${answerId}`).type('form').send(encodeForm({ _csrf: csrfFrom(page.text), ...fields }));
}

describe('GET the coding screen', () => {
  it('shows the oldest uncoded answer with its question, the progress and numbered themes, as valid HTML', async () => {
    const first = await addResponse(t, CITIZEN, { [IMPROVE]: 'Çöpler toplanmıyor' }, { at: '2026-11-02T08:00:00.000Z' });
    await addResponse(t, CITIZEN, { [IMPROVE]: 'Daha sonra yazıldı' }, { at: '2026-11-03T08:00:00.000Z' });

    const page = await planner.get(CODING);

    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    expect(formAnswerId(page.text)).toBe(first.answerIds[IMPROVE]);
    expect(page.text).toContain('Çöpler toplanmıyor');
    expect(page.text).toContain('Sizce ilçemizde en çok iyileştirilmesi gereken konu nedir? Neden?');
    expect(page.text).toContain('Kodlanan yanıt: 0 / 2');
    expect(page.text).toMatch(/<fieldset[^>]*>\s*<legend>Bu yanıtın temaları<\/legend>/);
    expect(page.text).toContain(`value="${cop}" data-key="1" aria-keyshortcuts="1"> <kbd>1</kbd> Çöp toplama`);
    expect(page.text).toContain(`value="${park}" data-key="2" aria-keyshortcuts="2"> <kbd>2</kbd> Parklar`);
    expect(page.text).toMatch(/\/static\/js\/coding\.[0-9a-f]+\.js/);
  });

  it('marks suggested themes with a badge without ticking them', async () => {
    await addResponse(t, CITIZEN, { [IMPROVE]: 'ÇÖPLER her yerde' });

    const page = await planner.get(CODING);

    expect(page.text).toContain('Çöp toplama <span class="badge">önerilen</span>');
    expect(page.text).not.toContain('Parklar <span class="badge">');
    expect(page.text).not.toContain(' checked');
  });

  it('escapes the answer', async () => {
    await addResponse(t, CITIZEN, { [IMPROVE]: '<script>alert("x")</script> & <b>park</b>' });

    const page = await planner.get(CODING);

    expect(page.text).not.toContain('<script>alert');
    expect(page.text).toContain('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;park&lt;/b&gt;');
    expect(await htmlProblems(page.text)).toEqual([]);
  });

  it('never offers answers of excluded or unfinished responses, other surveys or other questions', async () => {
    await addResponse(t, CITIZEN, { [IMPROVE]: 'Hariç tutulan' }, { excluded: true, at: '2026-11-01T08:00:00.000Z' });
    await addResponse(t, CITIZEN, { [IMPROVE]: 'Taslak' }, { status: 'draft', at: '2026-11-01T08:00:00.000Z' });
    await addResponse(t, INSTITUTION, { [firstLongText(t, INSTITUTION)]: 'Kurum görüşü' }, { at: '2026-11-01T08:00:00.000Z' });
    const counted = await addResponse(t, CITIZEN, { cinsiyet: 'option:kadin', [EXPECT]: 'Sayılan' }, { at: '2026-11-05T08:00:00.000Z' });

    const page = await planner.get(CODING);

    expect(formAnswerId(page.text)).toBe(counted.answerIds[EXPECT]);
    expect(page.text).toContain('Kodlanan yanıt: 0 / 1');
    await code(planner, counted.answerIds[EXPECT]!, {});
    const done = await planner.get(CODING);
    expect(done.text).toContain('Kodlanacak yanıt kalmadı');
    expect(await htmlProblems(done.text)).toEqual([]);
  });

  it('shows a given answer for re-coding with its themes ticked', async () => {
    const { answerIds } = await addResponse(t, CITIZEN, { [IMPROVE]: 'Park ve çöp' });
    await codingRepository.saveCoding(t.db, answerIds[IMPROVE]!, [park], null, t.clock.now);

    const page = await planner.get(`${CODING}?answer=${answerIds[IMPROVE]}`);

    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    expect(page.text).toContain(`value="${park}" checked`);
    expect(page.text).not.toContain(`value="${cop}" checked`);
    expect(page.text).toContain('Bu yanıt daha önce kodlandı');
  });

  it('answers 404 for an unknown answer, or one that may not be coded', async () => {
    const excluded = await addResponse(t, CITIZEN, { [IMPROVE]: 'Hariç' }, { excluded: true });
    const closed = await addResponse(t, CITIZEN, { cinsiyet: 'option:kadin' });
    for (const answer of ['999999', 'abc', String(excluded.answerIds[IMPROVE]), String(closed.answerIds.cinsiyet)]) {
      expect((await planner.get(`${CODING}?answer=${answer}`)).status).toBe(404);
    }
    expect((await planner.get('/admin/surveys/yok-boyle/coding')).status).toBe(404);
  });

  it('says when there is nothing to code, and points to the codebook when there are no themes', async () => {
    await t.db.deleteFrom('codebook_themes').execute();
    const empty = await planner.get(CODING);
    expect(empty.text).toContain('Bu ankette henüz kodlanacak açık uçlu yanıt yok.');

    await addResponse(t, CITIZEN, { [IMPROVE]: 'Bir görüş' });
    const page = await planner.get(CODING);
    expect(page.text).toContain('Henüz tema yok.');
    expect(await htmlProblems(page.text)).toEqual([]);
  });
});

describe('POST a coding', () => {
  let first: number;
  let second: number;
  beforeEach(async () => {
    first = (await addResponse(t, CITIZEN, { [IMPROVE]: 'Çöp ve park' }, { at: '2026-11-02T08:00:00.000Z' })).answerIds[IMPROVE]!;
    second = (await addResponse(t, CITIZEN, { [IMPROVE]: 'Otobüs az' }, { at: '2026-11-03T08:00:00.000Z' })).answerIds[IMPROVE]!;
  });

  it('stores the themes, marks the answer coded and goes on to the next uncoded answer', async () => {
    const response = await code(planner, first, { themes: [String(cop), String(park)] });

    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(CODING);
    expect(await codes()).toEqual([{ answer_id: first, theme_id: cop }, { answer_id: first, theme_id: park }]);
    expect(await coded()).toEqual([{ answer_id: first, coded_by: expect.any(Number) }]);
    const next = await planner.get(CODING);
    expect(formAnswerId(next.text)).toBe(second);
    expect(next.text).toContain('Yanıt kodlandı.');
    expect(next.text).toContain('Kodlanan yanıt: 1 / 2');
    expect(await codingRepository.themeCounts(t.db, CITIZEN)).toEqual(new Map([[cop, 1], [park, 1]]));
  });

  it('records "no theme" as coded without themes, whatever was ticked', async () => {
    const response = await code(planner, first, { themes: String(cop), none: '1' });

    expect(response.status).toBe(303);
    expect(await codes()).toEqual([]);
    expect(await coded()).toEqual([{ answer_id: first, coded_by: expect.any(Number) }]);
    expect(await codingRepository.codingProgress(t.db, CITIZEN)).toEqual({ answers: 2, coded: 1 });
  });

  it('replaces the themes when an answer is coded again', async () => {
    await code(planner, first, { themes: [String(cop), String(park)] });

    await code(planner, first, { themes: String(park) });

    expect(await codes()).toEqual([{ answer_id: first, theme_id: park }]);
    expect(await coded()).toHaveLength(1);
  });

  it('refuses a theme of another survey with 422 and writes nothing', async () => {
    const foreign = await addTheme(t, INSTITUTION, 'Kurum teması');

    const response = await code(planner, first, { themes: [String(cop), String(foreign)] });

    expect(response.status).toBe(422);
    expect(response.text).toContain('Seçilen temalardan biri artık yok.');
    expect(formAnswerId(response.text)).toBe(first);
    expect(await htmlProblems(response.text)).toEqual([]);
    expect(await codes()).toEqual([]);
    expect(await coded()).toEqual([]);
  });

  it('refuses unknown theme ids and malformed ones, writing nothing', async () => {
    expect((await code(planner, first, { themes: '999999' })).status).toBe(422);
    expect((await code(planner, first, { themes: 'abc' })).status).toBe(400);
    expect(await coded()).toEqual([]);
  });

  it('answers 404 for an unknown answer, one of another survey, of an excluded response or of a closed question, writing nothing', async () => {
    const institution = (await addResponse(t, INSTITUTION, { [firstLongText(t, INSTITUTION)]: 'Kurum' })).answerIds;
    const excluded = (await addResponse(t, CITIZEN, { [IMPROVE]: 'Hariç' }, { excluded: true })).answerIds[IMPROVE]!;
    const closed = (await addResponse(t, CITIZEN, { cinsiyet: 'option:kadin' })).answerIds.cinsiyet!;

    for (const answer of [999999, institution[firstLongText(t, INSTITUTION)]!, excluded, closed]) {
      expect((await code(planner, answer, { themes: String(cop) })).status).toBe(404);
    }
    expect((await code(planner, institution[firstLongText(t, INSTITUTION)]!, {}, INSTITUTION)).status).toBe(303);
    expect(await coded()).toEqual([{ answer_id: institution[firstLongText(t, INSTITUTION)]!, coded_by: expect.any(Number) }]);
    expect(await codes()).toEqual([]);
  });

  it('requires the form token', async () => {
    const response = await planner.post(`${CODING}/${first}`).type('form').send(encodeForm({ themes: String(cop) }));
    expect(response.status).toBe(403);
    expect(await coded()).toEqual([]);
  });

  it('does not count codes of a response excluded afterwards', async () => {
    await code(planner, first, { themes: String(cop) });
    const { response_id } = await t.db.selectFrom('answers').select('response_id').where('id', '=', first).executeTakeFirstOrThrow();
    await responseRepository.setExclusion(t.db, response_id, { at: t.clock.now.toISOString(), by: null, reason: 'spam', note: null });

    expect(await codingRepository.themeCounts(t.db, CITIZEN)).toEqual(new Map([[cop, 0], [park, 0]]));
    expect(await codingRepository.codingProgress(t.db, CITIZEN)).toEqual({ answers: 1, coded: 0 });
  });
});

describe('access', () => {
  it('viewers get 403 and write nothing', async () => {
    const answer = (await addResponse(t, CITIZEN, { [IMPROVE]: 'Park' })).answerIds[IMPROVE]!;
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    const token = csrfFrom((await viewer.get('/admin/surveys')).text);

    expect((await viewer.get(CODING)).status).toBe(403);
    expect((await viewer.post(`${CODING}/${answer}`).type('form').send(encodeForm({ _csrf: token, themes: String(park) }))).status).toBe(403);
    expect(await coded()).toEqual([]);
  });

  it('sends visitors without a session to the login page', async () => {
    const response = await request(t.app).get(CODING);
    expect(response.status).toBe(303);
    expect(response.headers.location).toContain('/admin/login');
  });
});
