// Two coders: the blind second coding, the agreement page and settling disagreements.
import type TestAgent from 'supertest/lib/agent';
import { codingRepository } from '../../../server/analysis/coding';
import { addUser, csrfFrom, logIn, postForm, type TestUser } from '../../helpers/admin';
import { addResponse, addTheme, auditActions, CITIZEN, IMPROVE, INSTITUTION } from '../../helpers/coding';
import { htmlProblems } from '../../helpers/html';
import { createTestApp, type TestApp } from '../../helpers/test-app';

let t: TestApp;
let first: TestUser;
let second: TestUser;
let secondAgent: TestAgent;
let firstAgent: TestAgent;
beforeEach(async () => {
  t = await createTestApp();
  first = await addUser(t, 'planner');
  second = await addUser(t, 'planner');
  firstAgent = await logIn(t, first);
  secondAgent = await logIn(t, second);
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const PAGE = `/admin/surveys/${CITIZEN}/agreement`;
const CODE = `${PAGE}/code`;

/** Answers coded by the first planner: each text with its theme ids. */
async function codedByFirst(codings: [string, number[]][]): Promise<number[]> {
  const ids: number[] = [];
  for (const [text, themes] of codings) {
    const id = (await addResponse(t, CITIZEN, { [IMPROVE]: text })).answerIds[IMPROVE]!;
    await codingRepository.saveCoding(t.db, id, themes, first.id, t.clock.now);
    ids.push(id);
  }
  return ids;
}

/** The answer the second coder is shown, and posts their themes for it. */
async function codeShown(agent: TestAgent, themes: number[]) {
  const page = await agent.get(CODE);
  const answerId = Number(/agreement\/code\/(\d+)"/.exec(page.text)![1]);
  const response = await agent.post(`${CODE}/${answerId}`).type('form').send(themes.length ? { _csrf: csrfFrom(page.text), themes: themes.map(String) } : { _csrf: csrfFrom(page.text), none: '1' });
  expect(response.status).toBe(303);
  return answerId;
}

describe('the blind second coding', () => {
  it('shows an answer coded by someone else without its codes, as valid HTML', async () => {
    const parks = await addTheme(t, CITIZEN, 'Parklar');
    await addTheme(t, CITIZEN, 'Yollar');
    await codedByFirst([['Park yok', [parks]]]);

    const page = await secondAgent.get(CODE);

    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    expect(page.text).toContain('Park yok');
    expect(page.text).not.toContain('checked');
    expect(page.text).toContain('İkinci kez kodlanan yanıt: 0 / 1 kodlanmış yanıt');
  });

  it('never offers the first coder their own answers, and refuses their second coding', async () => {
    const parks = await addTheme(t, CITIZEN, 'Parklar');
    const [answer] = await codedByFirst([['Park yok', [parks]]]);

    const page = await firstAgent.get(CODE);
    expect(page.text).toContain('Sizin için kodlanacak örnek yanıt kalmadı');
    const response = await firstAgent.post(`${CODE}/${answer}`).type('form').send({ _csrf: csrfFrom(page.text), themes: String(parks) });

    expect(response.status).toBe(409);
    expect(response.text).toContain('Bu yanıtı ilk siz kodladınız');
    expect(await t.db.selectFrom('second_codings').selectAll().execute()).toEqual([]);
  });

  it('stores the second codes apart, keeping the answer’s codes, and refuses a second time', async () => {
    const parks = await addTheme(t, CITIZEN, 'Parklar');
    const roads = await addTheme(t, CITIZEN, 'Yollar');
    const [answer] = await codedByFirst([['Park ve yol yok', [parks]]]);

    expect(await codeShown(secondAgent, [roads, parks])).toBe(answer);

    expect(await codingRepository.codesOf(t.db, [answer!])).toEqual(new Map([[answer!, [parks]]]));
    const codes = await t.db.selectFrom('second_coding_codes').select(['coder', 'theme_id']).orderBy('coder').orderBy('theme_id').execute();
    expect(codes).toEqual([
      { coder: 1, theme_id: parks },
      { coder: 2, theme_id: parks },
      { coder: 2, theme_id: roads },
    ]);
    const again = await postForm(secondAgent, CODE, `${CODE}/${answer}`, { themes: String(parks) });
    expect(again.status).toBe(409);
    expect((await secondAgent.get(CODE)).text).toContain('Sizin için kodlanacak örnek yanıt kalmadı');
  });

  it('answers 404 for an uncoded answer or one of another survey, and 422 for an unknown theme', async () => {
    const parks = await addTheme(t, CITIZEN, 'Parklar');
    const other = await addTheme(t, INSTITUTION, 'Başka');
    const [coded] = await codedByFirst([['Park yok', [parks]]]);
    const uncoded = (await addResponse(t, CITIZEN, { [IMPROVE]: 'Henüz kodlanmadı' })).answerIds[IMPROVE]!;

    expect((await postForm(secondAgent, CODE, `${CODE}/${uncoded}`, { none: '1' })).status).toBe(404);
    expect((await postForm(secondAgent, CODE, `/admin/surveys/${INSTITUTION}/agreement/code/${coded}`, { none: '1' })).status).toBe(404);
    const unknown = await postForm(secondAgent, CODE, `${CODE}/${coded}`, { themes: String(other) });
    expect(unknown.status).toBe(422);
    expect(unknown.text).toContain('Seçilen temalardan biri artık yok.');
    expect(await t.db.selectFrom('second_codings').selectAll().execute()).toEqual([]);
  });
});

describe('the agreement page', () => {
  it('shows kappa per theme over the answers both coded, and settles a disagreement (audited) without changing kappa', async () => {
    const parks = await addTheme(t, CITIZEN, 'Parklar');
    const roads = await addTheme(t, CITIZEN, 'Yollar');
    await codedByFirst([
      ['a', [parks]],
      ['b', [parks, roads]],
      ['c', []],
      ['d', [roads]],
    ]);
    // Coded in the sample's order; the second coder's themes per answer text.
    const secondThemes: Record<string, number[]> = { a: [parks], b: [roads], c: [parks], d: [roads] };
    for (let i = 0; i < 4; i += 1) {
      const page = await secondAgent.get(CODE);
      const text = /<blockquote id="answer-text"><p>(\w)<\/p>/.exec(page.text)![1]!;
      const themes = secondThemes[text]!;
      const answerId = Number(/agreement\/code\/(\d+)"/.exec(page.text)![1]);
      await secondAgent.post(`${CODE}/${answerId}`).type('form').send({ _csrf: csrfFrom(page.text), ...(themes.length ? { themes: themes.map(String) } : { none: '1' }) });
    }

    const page = await firstAgent.get(PAGE);

    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    // Parklar: both a, first only b, second only c, neither d → κ = 0. Yollar: both b, d; neither a, c → κ = 1.
    expect([...page.text.matchAll(/data-kappa="([^"]*)"/g)].map((m) => m[1])).toEqual(['0.0000', '1.0000']);
    expect(page.text).toContain('Ayrışan yanıtlar (2)');

    const [b] = await t.db.selectFrom('answers').select('id').where('text', '=', 'b').execute();
    const settled = await postForm(firstAgent, PAGE, `${PAGE}/${b!.id}/settle`, { themes: String(roads) });

    expect(settled.status).toBe(303);
    expect(await codingRepository.codesOf(t.db, [b!.id])).toEqual(new Map([[b!.id, [roads]]]));
    expect(await auditActions(t)).toEqual(['theme.codes_settled']);
    const after = await firstAgent.get(PAGE);
    expect(after.text).toContain('Ayrışan yanıtlar (1)');
    expect([...after.text.matchAll(/data-kappa="([^"]*)"/g)].map((m) => m[1])).toEqual(['0.0000', '1.0000']);
    expect((await postForm(firstAgent, PAGE, `${PAGE}/${b!.id}/settle`, { none: '1' })).status).toBe(409);
  });

  it('refuses to settle an answer never coded twice, and viewers get 403', async () => {
    const parks = await addTheme(t, CITIZEN, 'Parklar');
    const [answer] = await codedByFirst([['Park yok', [parks]]]);
    expect((await postForm(firstAgent, PAGE, `${PAGE}/${answer}/settle`, { none: '1' })).status).toBe(404);

    const viewer = await logIn(t, await addUser(t, 'viewer'));
    const token = csrfFrom((await viewer.get('/admin/surveys')).text);
    expect((await viewer.get(PAGE)).status).toBe(403);
    expect((await viewer.get(CODE)).status).toBe(403);
    expect((await viewer.post(`${CODE}/${answer}`).type('form').send({ _csrf: token, none: '1' })).status).toBe(403);
    expect((await secondAgent.post(`${CODE}/${answer}`).type('form').send({ none: '1' })).status).toBe(403);
    expect(await t.db.selectFrom('second_codings').selectAll().execute()).toEqual([]);
    expect(await codingRepository.codesOf(t.db, [answer!])).toEqual(new Map([[answer!, [parks]]]));
  });
});
