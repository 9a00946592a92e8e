// Proposed themes: a proposal for a question's uncoded answers, then naming a group into a theme
// with its answers coded, splitting it or hiding it.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { addUser, csrfFrom, logIn } from '../../helpers/admin';
import { addResponse, addTheme, auditActions, CITIZEN, EXPECT, IMPROVE } from '../../helpers/coding';
import { encodeForm, type Fields } from '../../helpers/forms';
import { htmlProblems } from '../../helpers/html';
import { createTestApp, type TestApp } from '../../helpers/test-app';

interface Labelled {
  topic: string;
  text: string;
}

const sample = (JSON.parse(fs.readFileSync(path.join(__dirname, '../../fixtures/coding/answers-8-topics.json'), 'utf8')) as { answers: Labelled[] }).answers;
/** Three topics of the sample, 25 answers each. */
const TOPICS = ['cop', 'ulasim', 'deprem'];

let t: TestApp;
let planner: TestAgent;
/** answer id → its topic in the sample. */
let topicOf: Map<number, string>;

beforeEach(async () => {
  t = await createTestApp();
  planner = await logIn(t, await addUser(t, 'planner'));
  topicOf = new Map();
  for (const answer of sample.filter((a) => TOPICS.includes(a.topic))) {
    const { answerIds } = await addResponse(t, CITIZEN, { [IMPROVE]: answer.text });
    topicOf.set(answerIds[IMPROVE]!, answer.topic);
  }
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const GROUPS = `/admin/surveys/${CITIZEN}/coding/groups`;
const PAGE = `${GROUPS}?question=${IMPROVE}`;

const codes = () => t.db.selectFrom('answer_codes').select(['answer_id', 'theme_id']).orderBy('answer_id').execute();
const coded = () => t.db.selectFrom('coded_answers').select(['answer_id', 'coded_by']).orderBy('answer_id').execute();
const themes = () => t.db.selectFrom('codebook_themes').select(['id', 'name', 'area_id']).orderBy('id').execute();

async function post(agent: TestAgent, url: string, fields: Fields) {
  const page = await agent.get(PAGE);
  return agent.post(url).type('form').send(encodeForm({ _csrf: csrfFrom(page.text), ...fields }));
}

/** Starts a proposal and reloads the page, as its meta refresh does, until the groups are there. */
async function propose(): Promise<string> {
  const started = await post(planner, `${GROUPS}/propose`, { question: IMPROVE });
  expect(started.status).toBe(303);
  expect(started.headers.location).toBe(PAGE);
  for (let i = 0; i < 200; i++) {
    const page = await planner.get(PAGE);
    if (!page.text.includes('http-equiv="refresh"')) return page.text;
    expect(page.text).toMatch(/Gruplar öneriliyor… %\d+/);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the proposal did not finish');
}

const proposalId = (html: string) => /name="proposal" value="(\d+)"/.exec(html)![1]!;
/** The groups on the page: key and size, in page order. */
const groupsOn = (html: string) => [...html.matchAll(/<section class="stack" id="group-([\d.]+)"[\s\S]*?\((\d+) yanıt\)<\/h3>/g)].map((m) => ({ key: m[1]!, size: Number(m[2]) }));

describe('GET the proposed themes', () => {
  it('offers to propose groups for the first open question, as valid HTML', async () => {
    const page = await planner.get(GROUPS);

    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    expect(page.text).toContain('Sizce ilçemizde en çok iyileştirilmesi gereken konu nedir? Neden?');
    expect(page.text).toContain(`<input type="hidden" name="question" value="${IMPROVE}">`);
    expect(page.text).toContain('Grupları öner');
    expect(page.text).not.toContain('http-equiv="refresh"');
  });

  it('answers 404 for a question that is not an open one of the survey', async () => {
    expect((await planner.get(`${GROUPS}?question=yok`)).status).toBe(404);
    expect((await planner.get(`/admin/surveys/yok/coding/groups`)).status).toBe(404);
  });

  it('is linked from the codebook', async () => {
    expect((await planner.get(`/admin/surveys/${CITIZEN}/codebook`)).text).toContain(`href="${GROUPS}"`);
  });
});

describe('proposing', () => {
  it('shows the groups with their top words, size and examples, largest first; every answer is in at most one', async () => {
    const html = await propose();

    expect(await htmlProblems(html)).toEqual([]);
    const groups = groupsOn(html);
    expect(groups.length).toBeGreaterThanOrEqual(3);
    expect(groups.map((g) => g.size)).toEqual([...groups.map((g) => g.size)].sort((a, b) => b - a));
    expect(groups.reduce((sum, g) => sum + g.size, 0)).toBeLessThanOrEqual(75);
    expect(html).toMatch(/Kodlanmamış 75 yanıttan \d+ grup önerildi/);
    expect(html).toMatch(/<h3 id="g1-heading">[^<]*(çöp|otobüs|deprem)/);
  });

  it('groups only uncoded answers of the question', async () => {
    const [first] = [...topicOf.keys()];
    const theme = await addTheme(t, CITIZEN, 'Var olan');
    await t.db.insertInto('coded_answers').values({ answer_id: first!, coded_by: null, coded_at: t.clock.now.toISOString() }).execute();
    await t.db.insertInto('answer_codes').values({ answer_id: first!, theme_id: theme }).execute();
    await addResponse(t, CITIZEN, { [EXPECT]: 'Başka sorunun yanıtı: çöp' });

    const html = await propose();

    expect(html).toMatch(/Kodlanmamış 74 yanıttan/);
  });

  it('refuses an unknown question with 400, in Turkish, and starts nothing', async () => {
    const response = await post(planner, `${GROUPS}/propose`, { question: 'yok' });

    expect(response.status).toBe(400);
    expect(response.text).toContain('Geçersiz istek');
    expect((await planner.get(PAGE)).text).not.toContain('http-equiv="refresh"');
  });
});

describe('naming a group', () => {
  it('creates the theme and codes all its answers in one step, audited', async () => {
    const html = await propose();
    const [group] = groupsOn(html);

    const response = await post(planner, `${GROUPS}/${group!.key}/theme`, { question: IMPROVE, proposal: proposalId(html), name: '  Çöp   toplama ', area: 'temizlik_atik' });

    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(PAGE);
    const [theme] = await themes();
    expect(theme).toEqual(expect.objectContaining({ name: 'Çöp toplama', area_id: 'temizlik_atik' }));
    const stored = await codes();
    expect(stored).toHaveLength(group!.size);
    expect(stored.every((code) => code.theme_id === theme!.id)).toBe(true);
    expect((await coded()).map((c) => c.answer_id)).toEqual(stored.map((c) => c.answer_id));
    // The group is about one topic: most of what was coded is.
    const topics = stored.map((code) => topicOf.get(code.answer_id));
    const majority = Math.max(...TOPICS.map((topic) => topics.filter((x) => x === topic).length));
    expect(majority / stored.length).toBeGreaterThanOrEqual(0.75);
    expect(await auditActions(t)).toEqual(['theme.created']);
    const event = await t.db.selectFrom('audit_events').select(['details', 'target']).where('action', '=', 'theme.created').executeTakeFirstOrThrow();
    expect(event.target).toBe(`theme:${theme!.id}`);
    expect(JSON.parse(event.details!)).toEqual(expect.objectContaining({ survey: CITIZEN, question: IMPROVE, fromGroup: true, coded: group!.size }));

    const after = await planner.get(PAGE);
    expect(after.text).toContain(`“Çöp toplama” teması oluşturuldu; ${group!.size} yanıt kodlandı.`);
    expect(groupsOn(after.text).map((g) => g.key)).not.toContain(group!.key);
  });

  it('keeps the decision on an answer a planner coded meanwhile', async () => {
    const html = await propose();
    const [group] = groupsOn(html);
    const other = await addTheme(t, CITIZEN, 'Başka');
    const page = await planner.get(PAGE);
    // The group's first answer, coded by hand after the proposal.
    const codedMeanwhile = await firstMemberOf(group!.key, page.text);
    await planner
      .post(`/admin/surveys/${CITIZEN}/coding/${codedMeanwhile}`)
      .type('form')
      .send(encodeForm({ _csrf: csrfFrom(page.text), themes: String(other) }));

    expect((await post(planner, `${GROUPS}/${group!.key}/theme`, { question: IMPROVE, proposal: proposalId(html), name: 'Grup teması' })).status).toBe(303);

    expect((await codes()).filter((c) => c.answer_id === codedMeanwhile)).toEqual([{ answer_id: codedMeanwhile, theme_id: other }]);
    expect(await codes()).toHaveLength(group!.size);
  });

  describe('with bad input', () => {
    it.each([
      ['no name', { name: '   ' }, 'Bu alanı doldurun.'],
      ['a name over 120 characters', { name: 'a'.repeat(121) }, 'Bu alan çok uzun.'],
      ['an unknown activity area', { name: 'Tema', area: 'uzay' }, 'Bu alanı kontrol edin.'],
    ])('re-renders the page with %s, 422, and writes nothing', async (_case, fields, message) => {
      const html = await propose();
      const [group] = groupsOn(html);

      const response = await post(planner, `${GROUPS}/${group!.key}/theme`, { question: IMPROVE, proposal: proposalId(html), ...fields });

      expect(response.status).toBe(422);
      expect(response.text).toContain('class="error-summary"');
      expect(response.text).toContain(message);
      expect(await htmlProblems(response.text)).toEqual([]);
      expect(await themes()).toEqual([]);
      expect(await codes()).toEqual([]);
      expect(await coded()).toEqual([]);
      expect(await auditActions(t)).toEqual([]);
    });

    it('refuses a name the survey has already, whatever the case, and codes nothing', async () => {
      await addTheme(t, CITIZEN, 'Çöp Toplama');
      const html = await propose();
      const [group] = groupsOn(html);

      const response = await post(planner, `${GROUPS}/${group!.key}/theme`, { question: IMPROVE, proposal: proposalId(html), name: 'cop toplama' });

      expect(response.status).toBe(422);
      expect(response.text).toContain('Bu ankette bu adda bir tema zaten var.');
      expect(response.text).toContain('value="cop toplama"');
      expect(await themes()).toHaveLength(1);
      expect(await codes()).toEqual([]);
    });

    it('refuses a form of an older proposal with 409, in Turkish, and writes nothing', async () => {
      const html = await propose();
      const [group] = groupsOn(html);
      await propose();

      const response = await post(planner, `${GROUPS}/${group!.key}/theme`, { question: IMPROVE, proposal: proposalId(html), name: 'Eski' });

      expect(response.status).toBe(409);
      expect(response.text).toContain('Öneri değişti');
      expect(await themes()).toEqual([]);
      expect(await codes()).toEqual([]);
    });

    it('answers 404 for an unknown group and 400 for a missing question or proposal', async () => {
      const html = await propose();
      const [group] = groupsOn(html);

      expect((await post(planner, `${GROUPS}/99/theme`, { question: IMPROVE, proposal: proposalId(html), name: 'X' })).status).toBe(404);
      expect((await post(planner, `${GROUPS}/${group!.key}/theme`, { proposal: proposalId(html), name: 'X' })).status).toBe(400);
      expect((await post(planner, `${GROUPS}/${group!.key}/theme`, { question: IMPROVE, proposal: 'x', name: 'X' })).status).toBe(400);
      expect(await themes()).toEqual([]);
    });

    it('refuses a post without the CSRF token', async () => {
      const html = await propose();
      const [group] = groupsOn(html);

      const response = await planner.post(`${GROUPS}/${group!.key}/theme`).type('form').send({ question: IMPROVE, proposal: proposalId(html), name: 'X' });

      expect(response.status).toBe(403);
      expect(await themes()).toEqual([]);
    });
  });
});

describe('hiding and splitting a group', () => {
  it('hides the group in this proposal and writes nothing', async () => {
    const html = await propose();
    const [group] = groupsOn(html);

    const response = await post(planner, `${GROUPS}/${group!.key}/ignore`, { question: IMPROVE, proposal: proposalId(html) });

    expect(response.status).toBe(303);
    const after = await planner.get(PAGE);
    expect(groupsOn(after.text).map((g) => g.key)).not.toContain(group!.key);
    expect(after.text).toContain('Gizlenen grup: 1.');
    expect(await codes()).toEqual([]);
    expect(await auditActions(t)).toEqual([]);
  });

  it('replaces the group by 2–3 smaller ones holding the same answers', async () => {
    const html = await propose();
    const [group] = groupsOn(html);

    expect((await post(planner, `${GROUPS}/${group!.key}/split`, { question: IMPROVE, proposal: proposalId(html) })).status).toBe(303);

    const parts = groupsOn((await planner.get(PAGE)).text).filter((g) => g.key.startsWith(`${group!.key}.`));
    expect(parts.length).toBeGreaterThanOrEqual(2);
    expect(parts.length).toBeLessThanOrEqual(3);
    expect(parts.reduce((sum, p) => sum + p.size, 0)).toBe(group!.size);
  });

  it('refuses to hide or split an unknown group with 404', async () => {
    const html = await propose();
    expect((await post(planner, `${GROUPS}/77/ignore`, { question: IMPROVE, proposal: proposalId(html) })).status).toBe(404);
    expect((await post(planner, `${GROUPS}/77/split`, { question: IMPROVE, proposal: proposalId(html) })).status).toBe(404);
  });
});

describe('access', () => {
  it('viewers get 403 on the page and every form, and nothing is written', async () => {
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    const token = csrfFrom((await viewer.get('/admin/surveys')).text);

    expect((await viewer.get(PAGE)).status).toBe(403);
    expect((await viewer.post(`${GROUPS}/propose`).type('form').send({ _csrf: token, question: IMPROVE })).status).toBe(403);
    expect((await viewer.post(`${GROUPS}/1/theme`).type('form').send({ _csrf: token, question: IMPROVE, proposal: '1', name: 'X' })).status).toBe(403);
    expect(await themes()).toEqual([]);
  });

  it('sends visitors without a session to the login page', async () => {
    const response = await request(t.app).get(PAGE);
    expect(response.status).toBe(303);
    expect(response.headers.location).toContain('/admin/login');
  });
});

describe('the coding screen', () => {
  it('shows up to 5 uncoded answers like the current one, each a link to code it', async () => {
    const page = await planner.get(`/admin/surveys/${CITIZEN}/coding`);

    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    const current = Number(/action="\/admin\/surveys\/[^/]+\/coding\/(\d+)"/.exec(page.text)![1]);
    const section = /<section aria-labelledby="similar-heading">[\s\S]*?<\/section>/.exec(page.text)![0];
    expect(section).toContain('Benzer yanıtlar');
    const similar = [...section.matchAll(/coding\?answer=(\d+)/g)].map((m) => Number(m[1]));
    expect(similar.length).toBeGreaterThanOrEqual(1);
    expect(similar.length).toBeLessThanOrEqual(5);
    expect(similar).not.toContain(current);
    expect(similar.filter((id) => topicOf.get(id) === topicOf.get(current)).length).toBeGreaterThan(similar.length / 2);
  });
});

/** The answer behind the group's first example on the page. */
async function firstMemberOf(key: string, html: string): Promise<number> {
  const section = new RegExp(`<section class="stack" id="group-${key.replace('.', '\\.')}"[\\s\\S]*?</section>`).exec(html)![0];
  const example = /<li>([^<]+)<\/li>/.exec(section)![1]!;
  const row = await t.db.selectFrom('answers').select('id').where('text', '=', example.replace(/&#39;/g, "'").replace(/&amp;/g, '&')).executeTakeFirstOrThrow();
  return row.id;
}
