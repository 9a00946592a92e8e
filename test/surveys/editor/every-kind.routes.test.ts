// Issue 18 "Tests": a planner builds a survey with one question of every kind (and the later forms:
// row groups, point labels, bands, "other", combined conditions) through the editor's forms, no JSON;
// publishes it; its XLSForm imports back the same; a respondent answers every question on the public
// pages, and the results page shows each answer. The kinds come from the schema: a new kind does
// not compile until it has a case here.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { addUser, csrfFrom, downloadBinary, logIn } from '../../helpers/admin';
import { encodeForm, type Fields } from '../../helpers/forms';
import { htmlProblems } from '../../helpers/html';
import { respond } from '../../helpers/respond';
import { createTestApp, FIXTURE_SURVEYS, type TestApp } from '../../helpers/test-app';
import { resolveSurvey } from '../../../server/surveys/survey-catalog';
import { fromXlsForm, readXlsForm } from '../../../server/surveys/xlsform';
import { QUESTION_KINDS, SurveyFile, type QuestionFile, type QuestionKind } from '../../../server/surveys/survey-definition';

const SLUG = 'her-tip';
const POINT_LABELS = ['Çok zayıf', 'Zayıf', 'Orta', 'İyi', 'Çok iyi'];
const EDIT = `/admin/surveys/${SLUG}/edit`;

interface KindCase {
  /** The question form as the planner fills it in (the form token is added when posting). */
  form: Fields;
  /** The question the draft and the published definition must hold. */
  expected: QuestionFile;
  /** The respondent's answer on the public page. */
  answer: Fields;
  /** What the question's part of the results page must show for that one answer (HTML, as rendered). */
  shown: RegExp[];
  /** An open answer: listed on the question's page of texts, escaped. */
  listed?: string;
}

/** One case per kind of the schema: a kind added to QuestionFile fails to compile until it has one. */
const CASES: Record<QuestionKind, KindCase> = {
  single_choice: {
    form: {
      id: 'ulasim_yolu',
      'text.tr': 'Belediyeye en çok nasıl ulaşırsınız?',
      'text.en': 'How do you usually reach the municipality?',
      required: 'on',
      'options.0.id': 'telefon',
      'options.0.tr': 'Telefon',
      'options.0.en': 'Phone',
      // A row without an id and a pasted line (Turkish tab English) get ids made from their labels.
      'options.1.id': '',
      'options.1.tr': 'E-posta',
      'options.2.id': '',
      'options.2.tr': '',
      'options.paste': 'Bizzat gelerek\tIn person',
      other: 'on',
    },
    expected: {
      kind: 'single_choice',
      id: 'ulasim_yolu',
      text: { tr: 'Belediyeye en çok nasıl ulaşırsınız?', en: 'How do you usually reach the municipality?' },
      required: true,
      options: [
        { id: 'telefon', label: { tr: 'Telefon', en: 'Phone' } },
        { id: 'e_posta', label: { tr: 'E-posta' } },
        { id: 'bizzat_gelerek', label: { tr: 'Bizzat gelerek', en: 'In person' } },
      ],
      other: true,
    },
    answer: { ulasim_yolu: 'e_posta' },
    shown: [/<th scope="row">E-posta<\/th><td class="num" data-value="1">1<\/td>/, /<th scope="row">Telefon<\/th><td class="num" data-value="0">0<\/td>/],
  },
  multiple_choice: {
    form: {
      id: 'kanallar',
      'text.tr': 'Belediyeden haberleri nereden alıyorsunuz?',
      'options.0.id': 'web',
      'options.0.tr': 'İnternet sitesi',
      'options.1.id': 'sosyal',
      'options.1.tr': 'Sosyal medya',
      'options.2.id': 'hicbiri',
      'options.2.tr': 'Hiçbiri',
      'options.2.exclusive': 'on',
      minSelections: '1',
      maxSelections: '2',
    },
    expected: {
      kind: 'multiple_choice',
      id: 'kanallar',
      text: { tr: 'Belediyeden haberleri nereden alıyorsunuz?' },
      required: false,
      options: [
        { id: 'web', label: { tr: 'İnternet sitesi' } },
        { id: 'sosyal', label: { tr: 'Sosyal medya' } },
        { id: 'hicbiri', label: { tr: 'Hiçbiri' }, exclusive: true },
      ],
      other: false,
      minSelections: 1,
      maxSelections: 2,
    },
    answer: { kanallar: ['web', 'sosyal'] },
    shown: [/<th scope="row">İnternet sitesi<\/th><td class="num" data-value="1">1<\/td>/, /<th scope="row">Sosyal medya<\/th><td class="num" data-value="1">1<\/td>/, /<th scope="row">Hiçbiri<\/th><td class="num" data-value="0">0<\/td>/],
  },
  likert_matrix: {
    form: {
      id: 'memnuniyet',
      'text.tr': 'Hizmetlerden memnuniyetiniz',
      role: 'satisfaction',
      // Each row starts a group of its own: the heading is typed beside the row it starts at.
      'rows.0.id': 'vizyon',
      'rows.0.tr': 'Vizyon ve hedefler',
      'rows.0.group.tr': 'KURUMSAL',
      'rows.0.group.en': 'INSTITUTIONAL',
      'rows.1.id': 'planlama',
      'rows.1.tr': 'Planlama',
      'rows.1.group.tr': 'YÖNETSEL',
      labelsEvery: 'on',
      notApplicablePosition: 'first',
      ...Object.fromEntries(['Çok kötü', 'Kötü', 'Orta', 'İyi', 'Çok iyi'].flatMap((label, i) => [[`scale.${i}.value`, String(i + 1)], [`scale.${i}.tr`, label]])),
      'notApplicable.tr': 'Bilgim yok',
    },
    expected: {
      kind: 'likert_matrix',
      id: 'memnuniyet',
      text: { tr: 'Hizmetlerden memnuniyetiniz' },
      required: false,
      role: 'satisfaction',
      rows: [
        { id: 'vizyon', label: { tr: 'Vizyon ve hedefler' } },
        { id: 'planlama', label: { tr: 'Planlama' } },
      ],
      rowGroups: [
        { title: { tr: 'KURUMSAL', en: 'INSTITUTIONAL' }, rows: ['vizyon'] },
        { title: { tr: 'YÖNETSEL' }, rows: ['planlama'] },
      ],
      scale: ['Çok kötü', 'Kötü', 'Orta', 'İyi', 'Çok iyi'].map((label, i) => ({ value: i + 1, label: { tr: label } })),
      labels: 'every',
      notApplicable: { tr: 'Bilgim yok' },
      notApplicablePosition: 'first',
    },
    answer: { 'memnuniyet.vizyon': '4', 'memnuniyet.planlama': 'na' },
    // Vizyon: one answer, all of it on "İyi", mean 4; Planlama: "Bilgim yok" only, so n 0 and no mean. Each under its heading.
    shown: [
      /<th scope="rowgroup"[^>]*>KURUMSAL<\/th><\/tr>\s*<tr><th scope="row">Vizyon ve hedefler<\/th><td class="num" data-value="1">1<\/td>(<td class="num" data-value="0">0,0<\/td>){3}<td class="num" data-value="100">100,0<\/td><td class="num" data-value="0">0,0<\/td><td class="num" data-value="0">0,0<\/td><td class="num" data-value="4">4,00<\/td>/,
      /<th scope="rowgroup"[^>]*>YÖNETSEL<\/th><\/tr>\s*<tr><th scope="row">Planlama<\/th><td class="num" data-value="0">0<\/td>(<td class="num" data-value="0">0,0<\/td>){5}<td class="num" data-value="100">100,0<\/td><td class="num">–<\/td>/,
    ],
  },
  rating: {
    form: {
      id: 'puan',
      'text.tr': 'Belediyeye kaç puan verirsiniz?',
      scale: '1-5',
      // Every point labelled, as the questionnaire prints them.
      ...Object.fromEntries(POINT_LABELS.map((label, i) => [`pointLabels.${i}.tr`, label])),
    },
    expected: {
      kind: 'rating',
      id: 'puan',
      text: { tr: 'Belediyeye kaç puan verirsiniz?' },
      required: false,
      scale: '1-5',
      pointLabels: POINT_LABELS.map((label) => ({ tr: label })),
    },
    answer: { puan: '4' },
    shown: [/<dt>Ortalama<\/dt><dd>4,00<\/dd>/, /<th scope="row">[^<]*4[^<]*<\/th><td class="num" data-value="1">1<\/td>/, /<th scope="row">[^<]*3[^<]*<\/th><td class="num" data-value="0">0<\/td>/],
  },
  ranking: {
    form: {
      id: 'oncelik',
      'text.tr': 'En öncelikli iki alan',
      role: 'priority',
      'items.0.id': 'ulasim',
      'items.0.tr': 'Ulaşım',
      'items.1.id': 'cevre',
      'items.1.tr': 'Çevre',
      'items.2.id': 'kultur',
      'items.2.tr': 'Kültür',
      rankCount: '2',
      other: 'on',
    },
    expected: {
      kind: 'ranking',
      id: 'oncelik',
      text: { tr: 'En öncelikli iki alan' },
      required: false,
      role: 'priority',
      items: [
        { id: 'ulasim', label: { tr: 'Ulaşım' } },
        { id: 'cevre', label: { tr: 'Çevre' } },
        { id: 'kultur', label: { tr: 'Kültür' } },
      ],
      other: true,
      rankCount: 2,
    },
    answer: { 'oncelik.1': 'kultur', 'oncelik.2': 'ulasim' },
    // Kültür first (chosen first), Ulaşım second, Çevre not chosen.
    shown: [
      /<th scope="row">Kültür<\/th><td class="num" data-value="1">1<\/td><td class="num" data-value="100">100,0<\/td><td class="num" data-value="1">1<\/td><td class="num" data-value="2">2<\/td>/,
      /<th scope="row">Ulaşım<\/th><td class="num" data-value="1">1<\/td><td class="num" data-value="100">100,0<\/td><td class="num" data-value="0">0<\/td><td class="num" data-value="1">1<\/td>/,
      /<th scope="row">Çevre<\/th><td class="num" data-value="0">0<\/td>/,
    ],
  },
  short_text: {
    form: { id: 'park_adi', 'text.tr': 'Yeni parka hangi adı verirdiniz?', maxLength: '80' },
    expected: { kind: 'short_text', id: 'park_adi', text: { tr: 'Yeni parka hangi adı verirdiniz?' }, required: false, maxLength: 80 },
    answer: { park_adi: 'Çınar <Parkı>' },
    shown: [/<dt>Yanıtlayan \(n\)<\/dt><dd>1<\/dd>/, /href="\/admin\/surveys\/her-tip\/results\/texts\/park_adi"/],
    listed: '<li>Çınar &lt;Parkı&gt;</li>',
  },
  long_text: {
    form: {
      id: 'gorus',
      'text.tr': 'Neyi iyileştirmeliyiz?',
      'help.tr': 'Kişisel bilgi yazmayınız.',
      role: 'open.improve',
      maxLength: '500',
      // Shown to those who came in person or wrote an e-mail, or who read the web site: two comparisons joined by "any".
      'showWhen.question': 'ulasim_yolu',
      'showWhen.operator': 'anyOf',
      'showWhen.value.ulasim_yolu': ['e_posta', 'bizzat_gelerek'],
      'showWhen.combine': 'any',
      'showWhen.1.question': 'kanallar',
      'showWhen.1.operator': 'includes',
      'showWhen.1.value.kanallar': 'web',
    },
    expected: {
      kind: 'long_text',
      id: 'gorus',
      text: { tr: 'Neyi iyileştirmeliyiz?' },
      help: { tr: 'Kişisel bilgi yazmayınız.' },
      required: false,
      role: 'open.improve',
      showWhen: { any: [{ question: 'ulasim_yolu', anyOf: ['e_posta', 'bizzat_gelerek'] }, { question: 'kanallar', includes: 'web' }] },
      maxLength: 500,
    },
    answer: { gorus: 'Kaldırımlar onarılsın.' },
    shown: [/<dt>Yanıtlayan \(n\)<\/dt><dd>1<\/dd>/, /href="\/admin\/surveys\/her-tip\/results\/texts\/gorus"/],
    listed: '<li>Kaldırımlar onarılsın.</li>',
  },
  number: {
    form: {
      id: 'hane', 'text.tr': 'Hanenizde kaç kişi yaşıyor?', min: '1', max: '20', integer: 'on', 'unit.tr': 'kişi',
      'bands.0.id': 'kucuk', 'bands.0.min': '1', 'bands.0.max': '2', 'bands.0.tr': '1–2 kişi',
      'bands.1.id': 'orta', 'bands.1.min': '3', 'bands.1.max': '5', 'bands.1.tr': '3–5 kişi',
      'bands.2.id': 'kalabalik', 'bands.2.min': '6', 'bands.2.tr': '6 kişi ve üstü', 'bands.2.en': '6 or more',
    },
    expected: {
      kind: 'number', id: 'hane', text: { tr: 'Hanenizde kaç kişi yaşıyor?' }, required: false, min: 1, max: 20, integer: true, unit: { tr: 'kişi' },
      bands: [
        { id: 'kucuk', label: { tr: '1–2 kişi' }, min: 1, max: 2 },
        { id: 'orta', label: { tr: '3–5 kişi' }, min: 3, max: 5 },
        { id: 'kalabalik', label: { tr: '6 kişi ve üstü', en: '6 or more' }, min: 6 },
      ],
    },
    answer: { hane: '4' },
    shown: [/<dt>Ortalama<\/dt><dd>4,00<\/dd>/, /<th scope="row">3–5 kişi<\/th><td class="num" data-value="1">1<\/td>/, /<th scope="row">1–2 kişi<\/th><td class="num" data-value="0">0<\/td>/],
  },
  date: {
    form: { id: 'tasinma', 'text.tr': 'Mahallenize ne zaman taşındınız?', min: '1950-01-01', max: '2026-12-31' },
    expected: { kind: 'date', id: 'tasinma', text: { tr: 'Mahallenize ne zaman taşındınız?' }, required: false, min: '1950-01-01', max: '2026-12-31' },
    answer: { tasinma: '2019-09-15' },
    shown: [/<dt>En erken<\/dt><dd>2019-09-15<\/dd>/, /<th scope="row">2019-09<\/th><td class="num" data-value="1">1<\/td>/],
  },
  select: {
    form: { id: 'mahalle', 'text.tr': 'Mahalleniz', role: 'profile.mahalle', required: 'on', 'options.list': 'mahalles', other: 'on' },
    expected: { kind: 'select', id: 'mahalle', text: { tr: 'Mahalleniz' }, required: true, role: 'profile.mahalle', options: { list: 'mahalles' }, other: true },
    answer: { mahalle: 'cami' },
    shown: [/<th scope="row">Cami<\/th><td class="num" data-value="1">1<\/td>/, /<th scope="row">Merkez<\/th><td class="num" data-value="0">0<\/td>/],
  },
};

let t: TestApp;
let agent: TestAgent;
beforeEach(async () => {
  t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });
  agent = await logIn(t, await addUser(t, 'planner', 'Ayşe Planlamacı'));
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

/** GETs the page with the form, then posts it with its token, as the browser does. */
async function submit(pageUrl: string, action: string, fields: Fields) {
  const page = await agent.get(pageUrl);
  expect(page.status).toBe(200);
  return agent.post(action).type('form').send(encodeForm({ _csrf: csrfFrom(page.text), ...fields }));
}

const storedDraft = async () => {
  const row = await t.db.selectFrom('survey_drafts').select('definition').where('slug', '=', SLUG).executeTakeFirst();
  return row && SurveyFile.parse(JSON.parse(row.definition));
};

/** The part of the results page about one question. */
function resultOf(html: string, questionId: string): string {
  const start = html.indexOf(`<section class="result" aria-labelledby="q-${questionId}">`);
  if (start < 0) throw new Error(`no result for ${questionId}`);
  const next = html.indexOf('<section class="result"', start + 1);
  return html.slice(start, next < 0 ? undefined : next);
}

it('has a case for every kind of the schema', () => {
  expect(Object.keys(CASES).sort()).toEqual([...QUESTION_KINDS].sort());
});

it('builds a survey with one question of every kind (row groups, point labels, bands, "other", combined conditions) through the forms, publishes it, exports it as an XLSForm that imports back the same, and shows one response in the results', async () => {
  expect((await submit('/admin/surveys/new', '/admin/surveys/new', { slug: SLUG, 'title.tr': 'Her tip soru', source: 'scratch' })).headers.location).toBe(EDIT);

  for (const kind of QUESTION_KINDS) {
    const { form, expected } = CASES[kind];
    const formUrl = `${EDIT}/sections/bolum_1/questions/new?kind=${kind}`;
    const page = await agent.get(formUrl);
    expect(await htmlProblems(page.text)).toEqual([]);
    const saved = await agent.post(formUrl).type('form').send(encodeForm({ _csrf: csrfFrom(page.text), ...form }));
    if (saved.status !== 303) throw new Error(`${kind}: ${saved.status} ${/<p class="error"[^>]*>[^<]*/g.exec(saved.text)?.join(' ')}`);
    expect(saved.headers.location).toBe(`${EDIT}#question-${expected.id}`);
    // Opened again, the form gives back what was saved.
    const again = await agent.get(`${EDIT}/questions/${expected.id}`);
    expect(again.status).toBe(200);
    expect(again.text).toContain(`value="${expected.id}"`);
  }
  // The placeholder question of a new survey goes.
  expect((await submit(EDIT, `${EDIT}/questions/soru_1/remove`, {})).status).toBe(303);

  const expectedQuestions = QUESTION_KINDS.map((kind) => CASES[kind].expected);
  expect((await storedDraft())!.sections).toEqual([{ id: 'bolum_1', title: { tr: 'Bölüm 1', en: 'Section 1' }, questions: expectedQuestions }]);
  // The preview shows every question before anything is published.
  const preview = await agent.get(`${EDIT}/preview/1`);
  for (const question of expectedQuestions.filter((q) => !q.showWhen)) expect(preview.text).toContain(question.text.tr);

  expect((await submit(EDIT, `${EDIT}/publish`, {})).headers.location).toBe(`/admin/surveys/${SLUG}`);
  const survey = t.catalog.find(SLUG)!;
  expect(t.catalog.schedule(SLUG).published).toBe(true);
  // The registry serves each question as posted (the shared list resolved to the municipality's mahalles).
  expect(survey.sections.flatMap((s) => s.questions)).toEqual(
    expectedQuestions.map((q) => (q.kind === 'select' ? { ...q, options: t.catalog.municipality.mahalles.map((m) => ({ id: m.id, label: { tr: m.name } })) } : q)),
  );
  // The JSON download of the published survey (through a new draft of it) holds them too.
  expect((await submit(EDIT, `${EDIT}/start`, {})).status).toBe(303);
  const download = await downloadBinary(agent, `${EDIT}/draft.json`);
  expect(SurveyFile.parse(JSON.parse((download.body as Buffer).toString('utf8'))).sections.flatMap((s) => s.questions)).toEqual(expectedQuestions);
  expect((await submit(EDIT, `${EDIT}/discard`, {})).status).toBe(303);
  // Its XLSForm export imports back to the very same definition.
  const xlsform = await downloadBinary(agent, `/admin/surveys/${SLUG}/export.xlsform.xlsx`);
  expect(xlsform.status).toBe(200);
  const imported = fromXlsForm(await readXlsForm(xlsform.body as Buffer), { audience: 'meeting', opensAt: '2020-01-01T00:00:00+03:00', closesAt: '2020-01-02T00:00:00+03:00' });
  expect(imported).toEqual({ survey: expect.anything(), approximations: [] });
  const resolved = 'survey' in imported ? resolveSurvey(imported.survey, t.catalog.municipality) : imported;
  expect('survey' in resolved && resolved.survey.hash).toBe(survey.hash);

  // A respondent answers every question on the public pages; the condition shows "gorus".
  const section = await request(t.app).get(`/anket/${SLUG}/1`);
  expect(section.status).toBe(200);
  const answers: Fields = Object.assign({}, ...QUESTION_KINDS.map((kind) => CASES[kind].answer));
  const responseId = await respond(t, survey, answers);
  const stored = await t.db.selectFrom('answers').select('question_id').where('response_id', '=', responseId).execute();
  expect(new Set(stored.map((a) => a.question_id))).toEqual(new Set(expectedQuestions.map((q) => q.id)));

  const results = await agent.get(`/admin/surveys/${SLUG}/results`);
  expect(results.status).toBe(200);
  expect(results.text).toContain('Bu süzgeçle 1 tamamlanmış yanıt');
  for (const kind of QUESTION_KINDS) {
    const { expected, shown, listed } = CASES[kind];
    const part = resultOf(results.text, expected.id);
    expect(part).toContain(expected.text.tr);
    for (const pattern of shown) expect(part).toMatch(pattern);
    if (listed) {
      const texts = await agent.get(`/admin/surveys/${SLUG}/results/texts/${expected.id}`);
      expect(texts.text).toContain('1 yanıt');
      expect(texts.text).toContain(listed);
    }
  }
  expect(await htmlProblems(results.text)).toEqual([]);
}, 60_000);

it('offers the age role on a number question, and refuses it at the role field until the number has bands', async () => {
  await submit('/admin/surveys/new', '/admin/surveys/new', { slug: SLUG, 'title.tr': 'Yaş', source: 'scratch' });
  const formUrl = `${EDIT}/sections/bolum_1/questions/new?kind=number`;
  const page = await agent.get(formUrl);
  expect(page.text).toMatch(/<select id="qf-role" name="role"[^>]*>[\s\S]*?<option value="profile.age">/);
  const fields = { id: 'yas', 'text.tr': 'Yaşınız', integer: 'on', role: 'profile.age' };
  const refused = await agent.post(formUrl).type('form').send(encodeForm({ _csrf: csrfFrom(page.text), ...fields }));
  expect(refused.status).toBe(422);
  expect(refused.text).toMatch(/<p class="error" id="qf-role-error">[^<]*“Profil: yaş” rolü için aralıklar gerekir/);
  expect((await storedDraft())!.sections[0]!.questions.map((q) => q.id)).toEqual(['soru_1']);
  const saved = await agent.post(formUrl).type('form').send(encodeForm({ _csrf: csrfFrom(page.text), ...fields, 'bands.paste': '18-34\n35+' }));
  expect(saved.status).toBe(303);
  expect((await storedDraft())!.sections[0]!.questions[1]).toMatchObject({ id: 'yas', role: 'profile.age', bands: [{ min: 18, max: 34 }, { min: 35 }] });
});
