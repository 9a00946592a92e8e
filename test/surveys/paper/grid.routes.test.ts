// The fast entry grid over HTTP: a clerk types paper forms row by row (without JavaScript, many
// rows per post; with it, one row at a time in JSON), blanks stay blanks, wrong cells are refused
// per cell, and double entry lists and settles the differing cells.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { allQuestions, answerTallyRepository, type QuestionOf } from '../../../server/surveys';
import { addUser, csrfFrom, logIn, type TestUser } from '../../helpers/admin';
import { htmlProblems } from '../../helpers/html';
import { createTestApp, FIXTURE_SURVEYS, type TestApp } from '../../helpers/test-app';

let t: TestApp;
let clerk: TestUser;
let agent: TestAgent;
beforeEach(async () => {
  t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });
  clerk = await addUser(t, 'planner', 'Zeynep Giriş');
  agent = await logIn(t, clerk);
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const GRID = '/admin/surveys/tum-soru-tipleri/grid';
const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
const responses = () => t.db.selectFrom('responses').selectAll().orderBy('id').execute();
const answersOf = (id: number) => t.db.selectFrom('answers').selectAll().where('response_id', '=', id).orderBy('id').execute();

type Row = { form: string } & Record<string, string>;

/** The fields of a page of rows, named as the grid names them (r<row>.<column>). */
function rowFields(rows: Row[]): Record<string, string> {
  const fields: Record<string, string> = {};
  rows.forEach((row, i) => {
    for (const [key, value] of Object.entries(row)) fields[`r${i}.${key}`] = value;
  });
  return fields;
}

async function postGrid(as: TestAgent, rows: Row[], settings: Record<string, string> = { channel: 'paper', batch: '', pass: '1' }) {
  const page = await as.get(`${GRID}?${new URLSearchParams(settings).toString()}`);
  expect(page.status).toBe(200);
  return as.post(GRID).type('form').send({ _csrf: csrfFrom(page.text), ...settings, ...rowFields(rows) });
}

/** Form i of a stack of 50: some questions left blank on purpose, as people leave them. */
function paperForm(i: number): Row {
  return {
    form: String(i),
    '1': i % 5 === 0 ? '' : String(1 + (i % 2)), // renk: blank on every fifth form
    '2': i % 4 === 0 ? '' : '1, 2', // ulaşım
    '3': String(1 + (i % 3)), // mahalle
    '4': '2', // evcil: hayır, so 5 (evcil_adi) stays blank
    '6a': String(1 + (i % 6)), // 6 = Bilgim yok
    '6c': i % 2 === 0 ? '' : '3',
    '7': String(i % 11),
    '14': i % 3 === 0 ? '' : String(20 + i), // yaş, a required question, blank on every third
    '13': i === 7 ? 'Parklar daha çok aydınlatılsın' : '',
  };
}

describe('the entry grid without JavaScript', () => {
  it('takes 50 paper forms in pages of 10, keeps blanks as no answer, and counts them as such', async () => {
    const page = await agent.get(GRID);
    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    expect(main(page.text)).toContain('Form no');
    expect(main(page.text)).toContain('name="r9.6a"');
    expect(main(page.text)).not.toContain('name="r10.form"');

    for (let start = 1; start <= 50; start += 10) {
      const rows = Array.from({ length: 10 }, (_, k) => paperForm(start + k));
      const posted = await postGrid(agent, rows);
      expect(posted.status).toBe(303);
      expect(posted.headers.location).toBe(`${GRID}?channel=paper&batch=&pass=1`);
      expect(main((await agent.get(posted.headers.location!)).text)).toContain('10 form kaydedildi.');
    }

    const stored = await responses();
    expect(stored).toHaveLength(50);
    expect(stored.every((r) => r.status === 'complete' && r.channel === 'paper' && r.entered_by === clerk.id && r.excluded_at === null)).toBe(true);
    const forms = await t.db.selectFrom('paper_forms').selectAll().orderBy('id').execute();
    expect(forms.map((f) => f.form_number)).toEqual(Array.from({ length: 50 }, (_, i) => String(i + 1)));
    expect(forms.every((f, i) => f.response_id === stored[i]!.id && f.pass === 1)).toBe(true);

    // Form 5 left renk and form 3 left yaş blank: no answer rows, never an invented answer.
    const fifth = await answersOf(stored[4]!.id);
    expect(fifth.some((a) => a.question_id === 'renk')).toBe(false);
    expect(fifth.find((a) => a.question_id === 'yas')).toMatchObject({ value: 25 });
    expect((await answersOf(stored[2]!.id)).some((a) => a.question_id === 'yas')).toBe(false);
    expect(fifth.find((a) => a.question_id === 'memnuniyet' && a.option_id === 'temizlik')).toMatchObject({ not_applicable: 1 });
    expect((await answersOf(stored[6]!.id)).find((a) => a.question_id === 'gorus')).toMatchObject({ text: 'Parklar daha çok aydınlatılsın' });

    // Results count respondents per question: the blanks are the "no answer" of each.
    const respondents = await answerTallyRepository.respondents(t.db, 'tum-soru-tipleri');
    expect(respondents.get('renk')).toBe(40);
    expect(respondents.get('yas')).toBe(34);
    expect(respondents.get('ulasim')).toBe(38);
    expect(respondents.get('mahalle')).toBe(50);
    expect(respondents.get('evcil_adi')).toBeUndefined();
    // The results page says so: 40 of the 50 forms answered "En sevdiğiniz renk".
    const results = main((await agent.get('/admin/surveys/tum-soru-tipleri/results')).text);
    const renk = results.slice(results.indexOf('id="q-renk"'), results.indexOf('id="q-ulasim"'));
    expect(renk).toContain('<dt>Yanıtlayan (n)</dt><dd>40</dd>');
    // The 10 forms left blank are "Yanıtsız", never an answer: shares stay over the 40 who answered.
    expect(renk).toContain('<dt>Yanıtlayan (n)</dt><dd>40</dd>\n<dt>Yanıtsız</dt><dd>10</dd>');
    expect(renk).not.toContain('Koşullu soru');
    const shares = [...renk.matchAll(/data-value="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(shares.filter((v, i) => i % 2 === 1).reduce((a, b) => a + b, 0)).toBeCloseTo(100, 0);
    // A conditional question's count is over every form, and the page says so.
    const evcilAdi = results.slice(results.indexOf('id="q-evcil_adi"'), results.indexOf('id="q-memnuniyet"'));
    expect(evcilAdi).toContain('<dt>Yanıtsız</dt><dd>50</dd>');
    expect(evcilAdi).toContain('Koşullu soru: yanıtsız sayısı, sorunun sorulmadığı yanıtları da içerir');

    // The running count and the survey page's link to the grid.
    expect(main((await agent.get(GRID)).text)).toContain('Bu toplu girişte kaydedilen form: 50');
    expect(main((await agent.get('/admin/surveys/tum-soru-tipleri')).text)).toContain(`href="${GRID}"`);
  });

  it('saves a re-posted page once: the same form numbers with the same answers are the same forms', async () => {
    const rows = [paperForm(1), paperForm(2)];
    expect((await postGrid(agent, rows)).status).toBe(303);
    const again = await postGrid(agent, [{ ...rows[0]!, '2': '2,1' }, rows[1]!]);
    expect(again.status).toBe(303);
    expect(main((await agent.get(again.headers.location!)).text)).toContain('2 form daha önce aynı yanıtlarla kaydedilmişti.');
    expect(await responses()).toHaveLength(2);
  });

  it('refuses wrong cells with 422 and a message each, keeps what was typed, and saves the valid rows', async () => {
    const good = paperForm(1);
    const bad: Row = { form: '2', '1': '9', '2': 'otobüs', '4': '2', '5': 'Pamuk', '6a': '7', '14': '30' };
    const duplicate: Row = { ...paperForm(1), '7': '3' };
    const noNumber: Row = { form: '', '1': '1' };
    const posted = await postGrid(agent, [good, bad, duplicate, noNumber]);
    expect(posted.status).toBe(422);
    const html = main(posted.text);
    expect(await htmlProblems(posted.text)).toEqual([]);
    expect(html).toContain('3 satır kaydedilmedi');
    expect(html).toContain('1 form kaydedildi.');
    expect(html).toContain('9 numaralı seçenek yok (1–3).');
    expect(html).toContain('Seçenek numarası yazın.');
    expect(html).toContain('7 numaralı seçenek yok (1–6).');
    expect(html).toContain('Bu formun yanıtlarına göre bu soru sorulmuyor; hücreyi boş bırakın.');
    expect(html).toContain('Form 1 bu toplu girişte başka yanıtlarla zaten kayıtlı');
    expect(html).toContain('Formun kutusundaki numarayı yazın.');
    // The refused rows come back first with what was typed, the cell marked and described.
    expect(html).toMatch(/name="r0\.1" value="9" size="3" inputmode="numeric" autocomplete="off" aria-label="[^"]+" aria-invalid="true" aria-describedby="g-0-1-error"/);
    expect(html).toContain('name="r0.5" value="Pamuk"');
    expect(html).toContain('name="r1.form" value="1"');
    // Only the valid row was stored; the refused form 2 left nothing behind.
    const stored = await responses();
    expect(stored).toHaveLength(1);
    expect((await t.db.selectFrom('paper_forms').select('form_number').execute()).map((f) => f.form_number)).toEqual(['1']);
    expect((await answersOf(stored[0]!.id)).find((a) => a.question_id === 'puan')).toMatchObject({ value: 1 });
  });

  it('needs the CSRF token, a login and the entry permission', async () => {
    const page = await agent.get(GRID);
    const noToken = await agent.post(GRID).type('form').send({ channel: 'paper', ...rowFields([paperForm(1)]) });
    expect(noToken.status).toBe(403);
    const wrongToken = await agent.post(`${GRID}/row`).type('form').send({ _csrf: 'x', form: '1', 'c.1': '1' });
    expect(wrongToken.status).toBe(403);
    expect(await responses()).toHaveLength(0);

    const anonymous = request.agent(t.app);
    const get = await anonymous.get(GRID);
    expect(get.status).toBe(303);
    expect(get.headers.location).toMatch(/^\/admin\/login/);
    const post = await anonymous.post(GRID).type('form').send({ _csrf: csrfFrom(page.text), ...rowFields([paperForm(1)]) });
    expect([303, 403]).toContain(post.status);
    expect(await responses()).toHaveLength(0);

    const viewer = await logIn(t, await addUser(t, 'viewer'));
    expect((await viewer.get(GRID)).status).toBe(403);
    expect((await viewer.get(`${GRID}/compare`)).status).toBe(403);
  });

  it('escapes a batch label wherever it shows it', async () => {
    const label = '<img src=x onerror=alert(1)>';
    const settings = { channel: 'paper', batch: label, pass: '1' };
    expect((await postGrid(agent, [paperForm(1)], settings)).status).toBe(303);
    for (const url of [`${GRID}?${new URLSearchParams(settings).toString()}`, `${GRID}/compare?${new URLSearchParams({ batch: label }).toString()}`]) {
      const page = await agent.get(url);
      expect(page.status).toBe(200);
      expect(page.text).not.toContain(label);
      expect(page.text).toContain('&lt;img src=x onerror=alert(1)&gt;');
    }
  });
});

describe('correcting a saved form against its paper', () => {
  it('replaces the counted answers, moves the counts, logs it, and refuses wrong cells with 422', async () => {
    expect((await postGrid(agent, [{ form: '8', '1': '1', '7': '4', '14': '30' }])).status).toBe(303);
    const [response] = await responses();
    const page = main((await agent.get(`/admin/surveys/tum-soru-tipleri/responses/${response!.id}`)).text);
    const url = `/admin/surveys/tum-soru-tipleri/grid/forms/${response!.id}`;
    expect(page).toContain(`<a href="${url}">Kâğıt formla karşılaştırıp düzelt</a>`);
    const form = await agent.get(url);
    expect(form.status).toBe(200);
    expect(await htmlProblems(form.text)).toEqual([]);
    expect(main(form.text)).toContain('name="c.7" value="4"');

    const refused = await agent.post(url).type('form').send({ _csrf: csrfFrom(form.text), 'c.1': '1', 'c.7': '12', 'c.14': '30' });
    expect(refused.status).toBe(422);
    expect(main(refused.text)).toContain('name="c.7" value="12"');
    expect((await answersOf(response!.id)).find((a) => a.question_id === 'puan')).toMatchObject({ value: 4 });

    const corrected = await agent.post(url).type('form').send({ _csrf: csrfFrom(form.text), 'c.1': '1', 'c.7': '9', 'c.14': '' });
    expect(corrected.status).toBe(303);
    expect(main((await agent.get(corrected.headers.location!)).text)).toContain('Form düzeltildi: 2 hücre değişti.');
    const answers = await answersOf(response!.id);
    expect(answers.find((a) => a.question_id === 'puan')).toMatchObject({ value: 9 });
    expect(answers.some((a) => a.question_id === 'yas')).toBe(false);
    const respondents = await answerTallyRepository.respondents(t.db, 'tum-soru-tipleri');
    expect(respondents.get('yas')).toBeUndefined();
    expect(respondents.get('puan')).toBe(1);
    const [event] = await t.db.selectFrom('audit_events').select(['action', 'details']).where('action', '=', 'response.corrected').execute();
    expect(JSON.parse(event!.details!)).toEqual({ form: '8', changed: '7: 4 → 9; 14: 30 → —' });
    // The grid now knows the form by its corrected answers.
    const again = await postGrid(agent, [{ form: '8', '1': '1', '7': '9' }]);
    expect(main((await agent.get(again.headers.location!)).text)).toContain('1 form daha önce aynı yanıtlarla kaydedilmişti.');
    expect(await responses()).toHaveLength(1);
  });
});

describe('the entry grid with JavaScript (one row in JSON)', () => {
  it('saves a complete row, answers the running count, and refuses bad cells in the clerk’s language', async () => {
    const page = await agent.get(`${GRID}?lang=en&batch=Kutu%201`);
    const csrf = csrfFrom(page.text);
    const saved = await agent.post(`${GRID}/row`).type('form').send({ _csrf: csrf, channel: 'face_to_face', batch: 'Kutu 1', pass: '1', form: '12', 'c.1': '2', 'c.6b': '4', 'c.14': '' });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ kind: 'saved', count: 1, countText: 'Forms saved in this batch: 1', message: 'Form 12 saved.', errors: {} });
    const refused = await agent.post(`${GRID}/row`).type('form').send({ _csrf: csrf, batch: 'Kutu 1', pass: '1', form: '13', 'c.1': '5', 'c.7': 'ten' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ kind: 'invalid', count: 1, errors: { '1': 'There is no option 5 (1–3).', '7': 'Type an option number.' } });
    const [stored] = await responses();
    expect(stored).toMatchObject({ channel: 'face_to_face', entered_by: clerk.id });
    expect(await responses()).toHaveLength(1);
  });
});

describe('double entry', () => {
  const settings = (pass: string) => ({ channel: 'paper', batch: 'Kutu 3', pass });

  it('keeps the second pass out of the results, lists exactly the differing cells, and settles them', async () => {
    const first: Row[] = [
      { form: '1', '1': '1', '3': '2', '7': '5' },
      { form: '2', '1': '2', '3': '1', '7': '8', '14': '40' },
      { form: '3', '1': '1', '6a': '3' },
      { form: '4', '1': '2' },
    ];
    const second: Row[] = [
      { form: '1', '1': '1', '3': '2', '7': '5' },
      { form: '2', '1': '2', '3': '3', '7': '8', '14': '41' },
      { form: '3', '1': '1', '6a': '', '6b': '3' },
      { form: '5', '1': '1' },
    ];
    expect((await postGrid(agent, first, settings('1'))).status).toBe(303);
    const secondClerk = await logIn(t, await addUser(t, 'planner', 'Ali İkinci'));
    expect((await postGrid(secondClerk, second, settings('2'))).status).toBe(303);
    // The verification pass stores no responses of its own.
    expect(await responses()).toHaveLength(4);
    expect((await answerTallyRepository.respondents(t.db, 'tum-soru-tipleri')).get('renk')).toBe(4);

    const compareUrl = `${GRID}/compare?batch=Kutu%203`;
    const page = await agent.get(compareUrl);
    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    const html = main(page.text);
    expect(html).toContain('Birinci girişte 4, ikinci girişte 4 form; 1 form tümüyle aynı; 4 hücrede fark var.');
    expect(html).toContain('Yalnızca birinci girişte olan formlar: <span class="form-list">4</span>');
    expect(html).toContain('Yalnızca ikinci girişte olan formlar: <span class="form-list">5</span>');
    const listed = [...html.matchAll(/name="pick\.([0-9a-z]+)" value="first"/g)].map((m) => m[1]);
    expect(listed).toEqual(['3', '14', '6a', '6b']);
    expect(html).not.toContain('<h3 id="f-1-heading">');
    expect(html).toContain('Form 2');

    // Settling form 2: the second clerk read mahalle right, the age was 44 on the paper.
    const missing = await agent.post(`${GRID}/compare/settle`).type('form').send({ _csrf: csrfFrom(page.text), batch: 'Kutu 3', form: '2', 'pick.3': 'second' });
    expect(missing.status).toBe(422);
    expect(main(missing.text)).toContain('Bu hücre için bir değer seçin.');
    const wrong = await agent.post(`${GRID}/compare/settle`).type('form').send({ _csrf: csrfFrom(page.text), batch: 'Kutu 3', form: '2', 'pick.3': 'edit', 'edit.3': '7', 'pick.14': 'first' });
    expect(wrong.status).toBe(422);
    expect(main(wrong.text)).toContain('7 numaralı seçenek yok (1–3).');

    const response2 = (await t.db.selectFrom('paper_forms').select('response_id').where('form_number', '=', '2').where('pass', '=', 1).executeTakeFirstOrThrow()).response_id!;
    const settled = await agent.post(`${GRID}/compare/settle`).type('form').send({ _csrf: csrfFrom(page.text), batch: 'Kutu 3', form: '2', 'pick.3': 'second', 'pick.14': 'edit', 'edit.14': '44' });
    expect(settled.status).toBe(303);
    const after = main((await agent.get(settled.headers.location!)).text);
    expect(after).toContain('Form 2 uzlaştırıldı');
    expect([...after.matchAll(/name="pick\.([0-9a-z]+)" value="first"/g)].map((m) => m[1])).toEqual(['6a', '6b']);
    const answers = await answersOf(response2);
    const mahalle = allQuestions(t.catalog.find('tum-soru-tipleri')!).find((q) => q.id === 'mahalle') as QuestionOf<'select'>;
    expect(answers.find((a) => a.question_id === 'mahalle')!.option_id).toBe(mahalle.options[2]!.id);
    expect(answers.find((a) => a.question_id === 'yas')).toMatchObject({ value: 44 });
    // The counts moved with it: still 4 responses, the tallies follow the settled answers.
    expect(await responses()).toHaveLength(4);
    const tallies = await answerTallyRepository.tallies(t.db, 'tum-soru-tipleri');
    expect(tallies.filter((x) => x.questionId === 'yas').map((x) => x.value)).toEqual([44]);
    expect((await t.db.selectFrom('audit_events').select('action').where('action', '=', 'response.settled').execute())).toHaveLength(1);
    const shown = main((await agent.get(`/admin/surveys/tum-soru-tipleri/responses/${response2}`)).text);
    expect(shown).toContain('<dt>Kâğıt form no</dt><dd>2 · Kutu 3 (çift girişle uzlaştırıldı) · ');
    expect(shown).toContain('Zeynep Giriş');

    // Settling form 3 with a blank: the first clerk's 6a was wrong, the second's 6b right.
    const page2 = await agent.get(compareUrl);
    expect((await agent.post(`${GRID}/compare/settle`).type('form').send({ _csrf: csrfFrom(page2.text), batch: 'Kutu 3', form: '3', 'pick.6a': 'second', 'pick.6b': 'second' })).status).toBe(303);
    const done = main((await agent.get(compareUrl)).text);
    expect(done).toContain('3 form tümüyle aynı; 0 hücrede fark var.');
    expect(done).toContain('İki girişte de bulunan formlar arasında fark yok.');
  });
});

describe('a grid form is stored like every clerk’s questionnaire', () => {
  it('gets the entry quality assessment (answers, no pace or network), as the stepwise entry does', async () => {
    const posted = await postGrid(agent, [paperForm(1)]);
    expect(posted.status).toBeLessThan(400);
    const [response] = await responses();
    expect(response).toMatchObject({ status: 'complete', channel: 'paper', entered_by: clerk.id });
    const assessed = await t.db.selectFrom('response_quality').select(['response_id', 'duration_seconds', 'network_hash', 'answers_hash']).execute();
    expect(assessed).toEqual([{ response_id: response!.id, duration_seconds: null, network_hash: null, answers_hash: expect.any(String) }]);
  });
});
