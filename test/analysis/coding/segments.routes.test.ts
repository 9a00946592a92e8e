// Coding an answer in parts on the coding screen: split on the planner's confirmation, code each
// part, merge back; the coverage page; the whole-answer themes that every count reads.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { codingRepository, segmentRepository } from '../../../server/analysis/coding';
import * as batchService from '../../../server/analysis/coding/coding-batch.service';
import * as groupsRepository from '../../../server/analysis/coding/groups.repository';
import { addUser, csrfFrom, logIn } from '../../helpers/admin';
import { encodeForm, type Fields } from '../../helpers/forms';
import { htmlProblems } from '../../helpers/html';
import { createTestApp, type TestApp } from '../../helpers/test-app';
import { addResponse, addTheme, CITIZEN, EXPECT, IMPROVE } from '../../helpers/coding';

let t: TestApp;
let planner: TestAgent;
let cop: number;
let park: number;
let yol: number;
beforeEach(async () => {
  t = await createTestApp();
  planner = await logIn(t, await addUser(t, 'planner'));
  cop = await addTheme(t, CITIZEN, 'Çöp toplama', { keywords: ['çöp'] });
  park = await addTheme(t, CITIZEN, 'Parklar', { keywords: ['park'] });
  yol = await addTheme(t, CITIZEN, 'Yollar', { keywords: ['yol'] });
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const CODING = `/admin/surveys/${CITIZEN}/coding`;
const LIST = 'Çöpler geç toplanıyor.\nParkta çöp kutusu yok.\nYollar bozuk';
const segments = (answerId: number) => segmentRepository.segmentsOf(t.db, answerId);
const answerCodes = async (answerId: number) =>
  (await t.db.selectFrom('answer_codes').select('theme_id').where('answer_id', '=', answerId).orderBy('theme_id').execute()).map((r) => r.theme_id);
const isCoded = (answerId: number) => codingRepository.isCoded(t.db, answerId);
const auditOf = async () => (await t.db.selectFrom('audit_events').select(['action', 'target']).where('action', 'in', ['answer.split', 'answer.merged']).orderBy('id').execute()).map((e) => `${e.action} ${e.target}`);

async function post(agent: TestAgent, path: string, fields: Fields, page = `${CODING}`) {
  const token = csrfFrom((await agent.get(page)).text);
  return agent.post(path).type('form').send(encodeForm({ _csrf: token, ...fields }));
}
const split = (answerId: number, parts: string) => post(planner, `${CODING}/${answerId}/split`, { parts });
const codePart = (answerId: number, segmentId: number, fields: Fields) => post(planner, `${CODING}/${answerId}/segments/${segmentId}`, fields);
const merge = (answerId: number) => post(planner, `${CODING}/${answerId}/merge`, {});

describe('the split suggestion on the coding screen', () => {
  it('offers the lines of a list answer as parts, pre-filled one per line, as valid HTML', async () => {
    await addResponse(t, CITIZEN, { [IMPROVE]: LIST });
    const page = await planner.get(CODING);
    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    expect(page.text).toContain('Yanıtı parçalara böl (3 parça önerildi)');
    expect(page.text).toContain('<textarea id="split-parts" name="parts" rows="4" aria-describedby="split-parts-hint">Çöpler geç toplanıyor.\nParkta çöp kutusu yok.\nYollar bozuk</textarea>');
  });

  it('offers nothing for a one-point answer', async () => {
    await addResponse(t, CITIZEN, { [IMPROVE]: 'Çöpler geç toplanıyor' });
    expect((await planner.get(CODING)).text).not.toContain('name="parts"');
  });
});

describe('splitting, coding the parts and merging back', () => {
  it('splits on confirmation, codes part by part, and the answer carries the union of its parts once all are coded', async () => {
    const answer = (await addResponse(t, CITIZEN, { [IMPROVE]: LIST })).answerIds[IMPROVE]!;

    const response = await split(answer, 'Çöpler geç toplanıyor.\nParkta çöp kutusu yok.\nYollar bozuk');
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`${CODING}?answer=${answer}#segments-heading`);
    const [first, second, third] = await segments(answer);
    expect([first!.text, second!.text, third!.text]).toEqual(['Çöpler geç toplanıyor.', 'Parkta çöp kutusu yok.', 'Yollar bozuk']);

    // The screen now shows one form per part instead of the whole-answer form, and comes back to the answer.
    const page = await planner.get(CODING);
    expect(await htmlProblems(page.text)).toEqual([]);
    expect(page.text).toContain('Yanıtın parçaları (3)');
    expect(page.text).toContain(`action="${CODING}/${answer}/segments/${second!.id}"`);
    expect(page.text).not.toContain(`action="${CODING}/${answer}"`);

    const afterFirst = await codePart(answer, first!.id, { themes: String(cop) });
    expect(afterFirst.headers.location).toBe(`${CODING}?answer=${answer}#segment-${second!.id}`);
    await codePart(answer, second!.id, { themes: [String(cop), String(park)] });
    expect(await isCoded(answer)).toBe(false);
    expect(await answerCodes(answer)).toEqual([]);

    const last = await codePart(answer, third!.id, { themes: String(yol) });
    expect(last.headers.location).toBe(CODING);
    expect((await segments(answer)).map((s) => [s.reviewed, s.themeIds])).toEqual([
      [true, [cop]],
      [true, [cop, park].sort((a, b) => a - b)],
      [true, [yol]],
    ]);
    expect(await isCoded(answer)).toBe(true);
    expect(await answerCodes(answer)).toEqual([cop, park, yol].sort((a, b) => a - b));
    // Two parts carry "Çöp toplama": the person counts once under it.
    expect(await codingRepository.themeCounts(t.db, CITIZEN)).toEqual(new Map([[cop, 1], [park, 1], [yol, 1]]));

    // A later change of a part follows into the answer's themes.
    await codePart(answer, third!.id, { none: '1' });
    expect(await answerCodes(answer)).toEqual([cop, park].sort((a, b) => a - b));

    const merged = await merge(answer);
    expect(merged.status).toBe(303);
    expect(await segments(answer)).toEqual([]);
    expect(await t.db.selectFrom('segment_codes').selectAll().execute()).toEqual([]);
    // Nothing coded is lost: the answer keeps its parts' themes as a whole and can be coded as before.
    expect(await answerCodes(answer)).toEqual([cop, park].sort((a, b) => a - b));
    expect(await auditOf()).toEqual([`answer.split answer:${answer}`, `answer.merged answer:${answer}`]);
    const page2 = await planner.get(`${CODING}?answer=${answer}`);
    expect(page2.text).toContain(`action="${CODING}/${answer}"`);
  });

  it('splitting an answer coded as a whole drops that coding, and it is back among the uncoded ones', async () => {
    const answer = (await addResponse(t, CITIZEN, { [IMPROVE]: LIST })).answerIds[IMPROVE]!;
    expect((await post(planner, `${CODING}/${answer}`, { themes: String(cop) })).status).toBe(303);
    expect(await isCoded(answer)).toBe(true);
    expect((await planner.get(`${CODING}?answer=${answer}`)).text).toContain('bölünce o kodlama kaldırılır');

    expect((await split(answer, LIST)).status).toBe(303);
    expect(await isCoded(answer)).toBe(false);
    expect(await answerCodes(answer)).toEqual([]);
    expect(await codingRepository.codingProgress(t.db, CITIZEN)).toEqual({ answers: 1, coded: 0 });
    expect(await codingRepository.nextUncodedAnswer(t.db, CITIZEN)).toMatchObject({ id: answer });
  });

  it('merging before every part is coded leaves the answer uncoded', async () => {
    const answer = (await addResponse(t, CITIZEN, { [IMPROVE]: LIST })).answerIds[IMPROVE]!;
    await split(answer, LIST);
    const [first] = await segments(answer);
    await codePart(answer, first!.id, { themes: String(cop) });
    expect((await merge(answer)).status).toBe(303);
    expect(await isCoded(answer)).toBe(false);
  });

  it('refuses the whole-answer form of a split answer (a stale tab) with 409 and changes nothing', async () => {
    const answer = (await addResponse(t, CITIZEN, { [IMPROVE]: LIST })).answerIds[IMPROVE]!;
    await split(answer, LIST);
    const response = await post(planner, `${CODING}/${answer}`, { themes: String(park) });
    expect(response.status).toBe(409);
    expect(response.text).toContain('Bu yanıt parçalara bölünmüş');
    expect(await isCoded(answer)).toBe(false);
    expect(await answerCodes(answer)).toEqual([]);
  });
});

describe('bad input', () => {
  let answer: number;
  beforeEach(async () => {
    answer = (await addResponse(t, CITIZEN, { [IMPROVE]: LIST })).answerIds[IMPROVE]!;
  });

  it('refuses a split into one part, into words the person did not write, or twice, with a message and nothing stored', async () => {
    const one = await split(answer, LIST.replace(/\n/g, ' '));
    expect(one.status).toBe(422);
    expect(one.text).toContain('en az iki parça');
    const invented = await split(answer, 'Çöpler geç toplanıyor.\nBelediye başkanı istifa etsin');
    expect(invented.status).toBe(422);
    expect(invented.text).toContain('yanıtın kendi sözcüklerinden');
    expect(await segments(answer)).toEqual([]);

    await split(answer, LIST);
    const again = await split(answer, LIST);
    expect(again.status).toBe(409);
    expect(again.text).toContain('Bu yanıt zaten parçalara bölünmüş');
    expect(await segments(answer)).toHaveLength(3);
    expect((await post(planner, `${CODING}/${answer}/split`, { parts: ['a', 'b'] })).status).toBe(400);
  });

  it('answers 404 for unknown answers and parts, a part of another answer, and 409 for merging an unsplit answer', async () => {
    const other = (await addResponse(t, CITIZEN, { [IMPROVE]: 'Bir.\nİki.' })).answerIds[IMPROVE]!;
    await split(other, 'Bir.\nİki.');
    const [foreign] = await segments(other);
    await split(answer, LIST);
    expect((await codePart(answer, foreign!.id, { themes: String(cop) })).status).toBe(404);
    expect((await codePart(answer, 999999, { themes: String(cop) })).status).toBe(404);
    expect((await codePart(999999, foreign!.id, { themes: String(cop) })).status).toBe(404);
    expect((await post(planner, `${CODING}/abc/split`, { parts: LIST })).status).toBe(404);
    expect((await post(planner, `${CODING}/${answer}/segments/x`, {})).status).toBe(404);
    const notSplit = (await addResponse(t, CITIZEN, { [IMPROVE]: 'Tek nokta' })).answerIds[IMPROVE]!;
    const mergeUnsplit = await merge(notSplit);
    expect(mergeUnsplit.status).toBe(409);
    expect(mergeUnsplit.text).toContain('birleştirilecek bir şey yok');
    expect((await segments(other)).every((s) => !s.reviewed)).toBe(true);
  });

  it('refuses an unknown theme for a part with 422 and stores nothing', async () => {
    await split(answer, LIST);
    const [first] = await segments(answer);
    const response = await codePart(answer, first!.id, { themes: [String(cop), '999999'] });
    expect(response.status).toBe(422);
    expect(response.text).toContain('Seçilen temalardan biri artık yok. Kodlama ekranına dönüp');
    expect((await segments(answer))[0]).toMatchObject({ reviewed: false, themeIds: [] });
  });

  it('requires the form token on every form', async () => {
    await split(answer, LIST);
    const [first] = await segments(answer);
    for (const path of [`${CODING}/${answer}/split`, `${CODING}/${answer}/segments/${first!.id}`, `${CODING}/${answer}/merge`]) {
      expect((await planner.post(path).type('form').send(encodeForm({ parts: LIST, themes: String(cop) }))).status).toBe(403);
    }
    expect(await segments(answer)).toHaveLength(3);
    expect((await segments(answer))[0]!.reviewed).toBe(false);
  });

  it('viewers get 403 on the forms and the coverage page, and nothing is written', async () => {
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    const token = csrfFrom((await viewer.get('/admin/surveys')).text);
    expect((await viewer.post(`${CODING}/${answer}/split`).type('form').send(encodeForm({ _csrf: token, parts: LIST }))).status).toBe(403);
    expect((await viewer.get(`/admin/surveys/${CITIZEN}/coding-coverage`)).status).toBe(403);
    expect(await segments(answer)).toEqual([]);
    const anonymous = await request(t.app).get(`/admin/surveys/${CITIZEN}/coding-coverage`);
    expect(anonymous.status).toBe(303);
  });
});

describe('coverage per open question', () => {
  it('counts answers, coded, uncoded, split answers, parts and themes per question and in total', async () => {
    const a = await addResponse(t, CITIZEN, { [IMPROVE]: LIST, [EXPECT]: 'Daha çok park' });
    const b = await addResponse(t, CITIZEN, { [IMPROVE]: 'Çöp kokuyor' });
    await addResponse(t, CITIZEN, { [IMPROVE]: 'Hiçbir şey' });
    await addResponse(t, CITIZEN, { [IMPROVE]: 'Spam' }, { excluded: true });
    await split(a.answerIds[IMPROVE]!, LIST);
    for (const [i, part] of (await segments(a.answerIds[IMPROVE]!)).entries()) await codePart(a.answerIds[IMPROVE]!, part.id, { themes: String([cop, park, cop][i]) });
    await post(planner, `${CODING}/${b.answerIds[IMPROVE]}`, { themes: String(cop) });
    await post(planner, `${CODING}/${a.answerIds[EXPECT]}`, { themes: String(park) });

    const coverage = await segmentRepository.coverage(t.db, CITIZEN);
    expect(coverage.questions.find((q) => q.questionId === IMPROVE)).toEqual({ questionId: IMPROVE, answers: 3, coded: 2, uncoded: 1, split: 1, segments: 3, themes: 2 });
    expect(coverage.questions.find((q) => q.questionId === EXPECT)).toEqual({ questionId: EXPECT, answers: 1, coded: 1, uncoded: 0, split: 0, segments: 0, themes: 1 });
    expect(coverage.total).toEqual({ answers: 4, coded: 3, uncoded: 1, split: 1, segments: 3, themes: 2, codedRespondents: 2 });
    // Person a carries "Parklar" in a part and in another answer: once.
    expect(await codingRepository.themeCounts(t.db, CITIZEN)).toEqual(new Map([[cop, 2], [park, 1], [yol, 0]]));

    const page = await planner.get(`/admin/surveys/${CITIZEN}/coding-coverage`);
    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    expect(page.text).toMatch(new RegExp(`<tr data-question="${IMPROVE}"><th scope="row">[^<]+</th><td class="num">3</td><td class="num">2</td><td class="num">1</td><td class="num">66,7</td><td class="num">1</td><td class="num">3</td><td class="num">2</td></tr>`));
    expect(page.text).toContain('<tr data-question="total"><th scope="row">Toplam</th><td class="num">4</td><td class="num">3</td><td class="num">1</td><td class="num">75,0</td>');
    expect(page.text).toContain('Kodlanmış en az bir yanıtı olan kişi: 2');
    expect((await planner.get(`/admin/surveys/${CITIZEN}/codebook`)).text).toContain(`href="/admin/surveys/${CITIZEN}/coding-coverage"`);
  });
});

describe('an answer split into parts and the whole-answer tools', () => {
  it('is left out of search and apply and of proposed groups, and a posted id of it refuses the batch', async () => {
    const listed = (await addResponse(t, CITIZEN, { [IMPROVE]: LIST })).answerIds[IMPROVE]!;
    const other = (await addResponse(t, CITIZEN, { [IMPROVE]: 'Çöpler haftada bir toplanıyor' })).answerIds[IMPROVE]!;
    expect((await split(listed, 'Çöpler geç toplanıyor.\nParkta çöp kutusu yok.\nYollar bozuk')).status).toBe(303);

    const found = await batchService.search(t.db, CITIZEN, IMPROVE, 'all', 'çöp');
    expect(found.kind === 'found' && found.matches.map((m) => m.answerId)).toEqual([other]);
    expect((await groupsRepository.uncodedAnswers(t.db, CITIZEN, IMPROVE)).map((a) => a.id)).toEqual([other]);
    const actor = { userId: null, email: 'test', ip: null };
    const refused = await batchService.applyThemes(t.db, { surveySlug: CITIZEN, questionId: IMPROVE, query: 'çöp', answerIds: [other, listed], themeIds: [cop] }, actor, t.clock.now);
    expect(refused.kind).toBe('unknown_answer');
    expect(await answerCodes(other)).toEqual([]);
  });
});
