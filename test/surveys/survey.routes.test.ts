import request from 'supertest';
import { clearExpiredDrafts } from '../../server/surveys';
import { allQuestions } from '../../server/surveys/survey-definition';
import { answerSection, encodeForm, errorSummary, hiddenFields, type Fields } from '../helpers/forms';
import { completeSurvey, validSectionFields } from '../helpers/survey-walker';
import { invitedInstitution } from '../helpers/invitation';
import { createTestApp, FIXTURE_SURVEYS, type TestApp } from '../helpers/test-app';

let t: TestApp;
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

async function storedResponses() {
  return t.db.selectFrom('responses').selectAll().orderBy('id').execute();
}
async function storedAnswers(responseId: number) {
  return t.db
    .selectFrom('answers')
    .select(['question_id', 'option_id', 'value', 'text', 'rank', 'not_applicable'])
    .where('response_id', '=', responseId)
    .orderBy('id')
    .execute();
}
async function countRows() {
  const responses = await t.db.selectFrom('responses').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const answers = await t.db.selectFrom('answers').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { responses: Number(responses.n), answers: Number(answers.n) };
}
const cookieHeader = (agentCookies: string[]) => agentCookies.map((c) => c.split(';')[0]).join('; ');

describe('citizen survey vatandas-anketi', () => {
  beforeEach(async () => {
    t = await createTestApp();
  });

  const areas = () => t.catalog.municipality.activityAreas.map((a) => a.id);
  const satisfaction = (): Fields =>
    Object.fromEntries(areas().map((id, i) => [`hizmet_memnuniyeti.${id}`, i === 1 ? 'na' : String((i % 5) + 1)]));
  const sections = (): Fields[] => [
    { cinsiyet: 'kadin', yas_grubu: 'yas_35_44', egitim: 'lisans', mahalle: 'cumhuriyet', ikamet_suresi: 'yil_11_20' },
    { ...satisfaction(), genel_memnuniyet: '7', hizmet_degisimi: 'iyilesti' },
    { 'oncelikli_alanlar.1': areas()[2]!, 'oncelikli_alanlar.2': areas()[0]!, 'oncelikli_alanlar.3': areas()[5]! },
    {
      iletisim_kanallari: ['beyaz_masa', 'other'],
      'iletisim_kanallari.other': 'WhatsApp hattı',
      talep_iletildi: 'evet',
      talep_sonucu: 'kismen',
      talep_memnuniyeti: '3',
    },
    { 'belediye_imaji.adil': '4', 'belediye_imaji.seffaf': 'na' },
    {},
    { iyilestirilmesi_gereken: 'Kaldırımlar onarılmalı.\nOtopark yetersiz.', proje_fikri: '<b>Bisiklet yolu</b>' },
  ];

  it('is completed from intro to thank-you in Turkish and stored row by row', async () => {
    const agent = request.agent(t.app);
    const intro = await agent.get('/anket/vatandas-anketi');
    expect(intro.status).toBe(200);
    expect(intro.text).toContain('<html lang="tr">');
    expect(intro.headers['cache-control']).toBe('no-store');
    expect(intro.text).toContain('href="/anket/vatandas-anketi/1"');
    expect(intro.text).toContain('href="/aydinlatma-metni"');

    const answers = sections();
    for (let i = 0; i < answers.length; i++) {
      const { page, response } = await answerSection(agent, `/anket/vatandas-anketi/${i + 1}`, answers[i]!);
      expect(page.text).toContain(`Bölüm ${i + 1} / 7`);
      expect(response.status).toBe(303);
      expect(response.headers.location).toBe(i < 6 ? `/anket/vatandas-anketi/${i + 2}` : '/anket/vatandas-anketi/tesekkurler');
    }
    const thanks = await agent.get('/anket/vatandas-anketi/tesekkurler');
    expect(thanks.status).toBe(200);
    expect(thanks.text).toContain('Teşekkür ederiz');

    const [response, ...others] = await storedResponses();
    expect(others).toEqual([]);
    expect(response).toMatchObject({
      survey_slug: 'vatandas-anketi',
      definition_hash: t.catalog.find('vatandas-anketi')!.hash,
      language: 'tr',
      channel: 'online',
      status: 'complete',
      draft_token_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      draft_fields: null,
      submitted_at: t.clock.now.toISOString(),
    });
    expect(response!.idempotency_key).toMatch(/^[A-Za-z0-9_-]{16,64}$/);

    const row = (question_id: string, fields: Partial<{ option_id: string; value: number; text: string; rank: number; not_applicable: number }>) => ({
      question_id,
      option_id: null,
      value: null,
      text: null,
      rank: null,
      not_applicable: 0,
      ...fields,
    });
    const expected = [
      row('cinsiyet', { option_id: 'kadin' }),
      row('yas_grubu', { option_id: 'yas_35_44' }),
      row('egitim', { option_id: 'lisans' }),
      row('mahalle', { option_id: 'cumhuriyet' }),
      row('ikamet_suresi', { option_id: 'yil_11_20' }),
      ...areas().map((id, i) =>
        i === 1 ? row('hizmet_memnuniyeti', { option_id: id, not_applicable: 1 }) : row('hizmet_memnuniyeti', { option_id: id, value: (i % 5) + 1 }),
      ),
      row('genel_memnuniyet', { value: 7 }),
      row('hizmet_degisimi', { option_id: 'iyilesti' }),
      row('oncelikli_alanlar', { option_id: areas()[2]!, rank: 1 }),
      row('oncelikli_alanlar', { option_id: areas()[0]!, rank: 2 }),
      row('oncelikli_alanlar', { option_id: areas()[5]!, rank: 3 }),
      row('iletisim_kanallari', { option_id: 'beyaz_masa' }),
      row('iletisim_kanallari', { option_id: 'other', text: 'WhatsApp hattı' }),
      row('talep_iletildi', { option_id: 'evet' }),
      row('talep_sonucu', { option_id: 'kismen' }),
      row('talep_memnuniyeti', { value: 3 }),
      row('belediye_imaji', { option_id: 'adil', value: 4 }),
      row('belediye_imaji', { option_id: 'seffaf', not_applicable: 1 }),
      row('iyilestirilmesi_gereken', { text: 'Kaldırımlar onarılmalı.\nOtopark yetersiz.' }),
      row('proje_fikri', { text: '<b>Bisiklet yolu</b>' }),
    ];
    expect(await storedAnswers(response!.id)).toEqual(expected);
  });

  it('is completed in English when the person switches language, and records the language', async () => {
    const agent = request.agent(t.app);
    const intro = await agent.get('/anket/vatandas-anketi?lang=en');
    expect(intro.text).toContain('<html lang="en">');
    expect(intro.text).toContain('Start the survey');
    const first = await agent.get('/anket/vatandas-anketi/1');
    expect(first.text).toContain('Section 1 of 7');
    expect(first.text).toContain('Your gender');
    expect(first.text).toContain('href="?lang=tr" lang="tr" hreflang="tr"');
    const answers = sections();
    await completeSurvey(agent, t.catalog.find('vatandas-anketi')!, (index) => answers[index]!);
    const thanks = await agent.get('/anket/vatandas-anketi/tesekkurler');
    expect(thanks.text).toContain('Thank you');
    const [response] = await storedResponses();
    expect(response).toMatchObject({ status: 'complete', language: 'en' });
  });

  it('follows Accept-Language when there is no choice yet', async () => {
    const page = await request(t.app).get('/anket/vatandas-anketi').set('Accept-Language', 'en-GB,en;q=0.9');
    expect(page.text).toContain('<html lang="en">');
    const turkish = await request(t.app).get('/anket/vatandas-anketi').set('Accept-Language', 'de-DE');
    expect(turkish.text).toContain('<html lang="tr">');
  });

  describe('when the person comes back later', () => {
    it('shows the saved answers and continues where they left off, without posting again', async () => {
      const agent = request.agent(t.app);
      const answers = sections();
      await answerSection(agent, '/anket/vatandas-anketi/1', answers[0]!);
      await answerSection(agent, '/anket/vatandas-anketi/2', answers[1]!);

      const intro = await agent.get('/anket/vatandas-anketi');
      expect(intro.text).toContain('Kaldığınız yerden devam edin');
      expect(intro.text).toContain('href="/anket/vatandas-anketi/3"');
      const first = await agent.get('/anket/vatandas-anketi/1');
      expect(first.text).toMatch(/name="cinsiyet" value="kadin" id="f-cinsiyet" checked/);
      expect(first.text).toMatch(/<option value="cumhuriyet" selected>/);
      const second = await agent.get('/anket/vatandas-anketi/2');
      expect(second.text).toMatch(/name="genel_memnuniyet" value="7" checked/);

      const [draft] = await storedResponses();
      expect(draft).toMatchObject({ status: 'draft', submitted_at: null });
      expect(JSON.parse(draft!.draft_fields!)).toMatchObject({ cinsiyet: 'kadin', genel_memnuniyet: '7' });
      expect(await countRows()).toEqual({ responses: 1, answers: 0 });
    });

    it('continues at the first section not yet saved when the ones before it need nothing more', async () => {
      const agent = request.agent(t.app);
      const answers = sections();
      for (let i = 0; i < 4; i++) await answerSection(agent, `/anket/vatandas-anketi/${i + 1}`, i === 3 ? { talep_iletildi: 'hayir' } : answers[i]!);

      // Sections 5–7 ask nothing required: the person stopped before them, not at the last one.
      const intro = await agent.get('/anket/vatandas-anketi');
      expect(intro.text).toContain('Kaldığınız yerden devam edin');
      expect(intro.text).toContain('href="/anket/vatandas-anketi/5"');
    });

    it('resumes from the draft cookie alone, in a new browser session', async () => {
      const agent = request.agent(t.app);
      const { response } = await answerSection(agent, '/anket/vatandas-anketi/1', sections()[0]!);
      const draftCookie = (response.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('pd_draft_vatandas-anketi='))!;
      expect(draftCookie).toMatch(/HttpOnly/);
      expect(draftCookie).toMatch(/Path=\/anket\/vatandas-anketi/);
      expect(draftCookie).toMatch(/SameSite=Lax/);

      const page = await request(t.app).get('/anket/vatandas-anketi/1').set('Cookie', cookieHeader([draftCookie]));
      expect(page.text).toMatch(/value="kadin" id="f-cinsiyet" checked/);
    });

    it('starts afresh after seven days without activity', async () => {
      const agent = request.agent(t.app);
      await answerSection(agent, '/anket/vatandas-anketi/1', sections()[0]!);
      t.clock.now = new Date(t.clock.now.getTime() + 8 * 24 * 60 * 60 * 1000);
      const intro = await agent.get('/anket/vatandas-anketi');
      expect(intro.text).toContain('Ankete başla');
      const page = await agent.get('/anket/vatandas-anketi/1');
      expect(page.text).not.toContain('checked');
    });
  });

  it('sends a person who skips ahead back to the first page with missing answers', async () => {
    const agent = request.agent(t.app);
    await answerSection(agent, '/anket/vatandas-anketi/1', sections()[0]!);
    const jump = await agent.get('/anket/vatandas-anketi/5');
    expect(jump.status).toBe(303);
    expect(jump.headers.location).toBe('/anket/vatandas-anketi/2');
  });

  describe('when the final page is submitted twice', () => {
    it('stores one response for a double tap carrying the same key and cookies', async () => {
      const agent = request.agent(t.app);
      const answers = sections();
      for (let i = 0; i < 6; i++) await answerSection(agent, `/anket/vatandas-anketi/${i + 1}`, answers[i]!);
      const last = await agent.get('/anket/vatandas-anketi/7');
      const form = encodeForm({ ...hiddenFields(last.text), _nav: 'next', ...answers[6]! });
      // Both taps leave the browser before the first answer arrives, so both carry the same cookies.
      const cookies = cookieHeader(agent.jar.getCookies({ domain: '127.0.0.1', path: '/anket/vatandas-anketi/7', secure: false, script: false }).map(String));
      const send = () => request(t.app).post('/anket/vatandas-anketi/7').set('Cookie', cookies).type('form').send(form);
      const [first, second] = await Promise.all([send(), send()]);
      expect([first.status, second.status]).toEqual([303, 303]);
      expect(first.headers.location).toBe('/anket/vatandas-anketi/tesekkurler');
      expect(second.headers.location).toBe('/anket/vatandas-anketi/tesekkurler');
      const retried = await send();
      expect(retried.headers.location).toBe('/anket/vatandas-anketi/tesekkurler');
      const stored = await storedResponses();
      expect(stored.map((r) => r.status)).toEqual(['complete']);
      expect((await storedAnswers(stored[0]!.id)).filter((a) => a.question_id === 'proje_fikri')).toHaveLength(1);
    });

    it('shows a polite "already answered" page to the same browser afterwards', async () => {
      const agent = request.agent(t.app);
      await completeSurvey(agent, t.catalog.find('vatandas-anketi')!, (i) => sections()[i]!);
      const again = await agent.get('/anket/vatandas-anketi');
      expect(again.status).toBe(200);
      expect(again.text).toContain('zaten yanıtladınız');
      const section = await agent.get('/anket/vatandas-anketi/1');
      expect(section.status).toBe(303);
      expect(section.headers.location).toBe('/anket/vatandas-anketi');
      expect((await storedResponses()).length).toBe(1);
    });
  });
});

describe('survey availability', () => {
  beforeEach(async () => {
    t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });
  });

  it('shows a not-yet-open survey with its dates and stores nothing', async () => {
    t.clock.now = new Date('2025-12-01T12:00:00+03:00');
    const intro = await request(t.app).get('/anket/tum-soru-tipleri');
    expect(intro.status).toBe(403);
    expect(intro.text).toContain('henüz yanıta açılmadı');
    expect(intro.text).toContain('01.01.2026 00:00');
    expect(intro.text).toContain('31.12.2026 23:59');
    expect((await request(t.app).get('/anket/tum-soru-tipleri/1')).status).toBe(403);
  });

  it('shows a closed survey with its dates, and refuses posts to it without storing', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/anket/tum-soru-tipleri/1');
    t.clock.now = new Date('2027-01-01T00:00:00+03:00');
    const post = await agent
      .post('/anket/tum-soru-tipleri/1')
      .type('form')
      .send(encodeForm({ ...hiddenFields(page.text), ...validSectionFields(t.catalog.find('tum-soru-tipleri')!, 0) }));
    expect(post.status).toBe(410);
    expect(post.text).toContain('yanıta kapanmıştır');
    const intro = await agent.get('/anket/tum-soru-tipleri?lang=en');
    expect(intro.status).toBe(410);
    expect(intro.text).toContain('This survey is closed');
    expect(await countRows()).toEqual({ responses: 0, answers: 0 });
  });

  it('answers an unknown survey or page with a 404 page in the person\'s language', async () => {
    const unknown = await request(t.app).get('/anket/yok-boyle-anket');
    expect(unknown.status).toBe(404);
    expect(unknown.text).toContain('Anket bulunamadı');
    const english = await request(t.app).get('/anket/yok-boyle-anket?lang=en');
    expect(english.text).toContain('Survey not found');
    expect((await request(t.app).get('/anket/tum-soru-tipleri/9')).status).toBe(404);
    expect((await request(t.app).get('/anket/tum-soru-tipleri/iki')).status).toBe(404);
    expect((await request(t.app).get('/anket/tum-soru-tipleri/0')).status).toBe(404);
  });
});

describe('every question kind (fixture survey)', () => {
  beforeEach(async () => {
    t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });
  });
  const survey = () => t.catalog.find('tum-soru-tipleri')!;

  it('renders every kind with labelled inputs, in both languages, with Turkish fallback marked', async () => {
    const agent = request.agent(t.app);
    const first = await agent.get('/anket/tum-soru-tipleri/1');
    expect(first.text).toContain('<legend>En sevdiğiniz renk <span class="req">(zorunlu)</span>');
    expect(first.text).toContain('<fieldset id="q-renk" class="q">');
    expect(first.text).toContain('<div id="q-mahalle" class="q">');
    expect(first.text).toContain('<select id="f-mahalle" name="mahalle" required>');
    expect(first.text).toContain('type="checkbox" name="ulasim" value="hicbiri"');
    expect(first.text).toContain('<label for="f-mahalle">');
    expect(first.text).toContain('name="renk.other"');
    expect(first.text).toContain('data-show-when="{&#34;question&#34;:&#34;evcil&#34;,&#34;equals&#34;:&#34;evet&#34;}"');
    expect(first.text).toContain('Yalnızca “Evcil hayvanınız var mı?” sorusuna “Evet” yanıtını verdiyseniz yanıtlayın.');
    await answerSection(agent, '/anket/tum-soru-tipleri/1', validSectionFields(survey(), 0));
    const second = await agent.get('/anket/tum-soru-tipleri/2?lang=en');
    expect(second.text).toContain('name="memnuniyet.temizlik" value="1" id="f-memnuniyet-temizlik"');
    expect(second.text).toContain('<span lang="tr">Parklar</span>');
    expect(second.text).toContain('<option value="parklar" lang="tr">Parklar</option>');
    expect(second.text).toContain('Don&#39;t know');
    expect(second.text).toContain('0 = Very poor');
    expect(second.text).toContain('<label for="f-oncelik-2">Choice 2</label>');
    await answerSection(agent, '/anket/tum-soru-tipleri/2', validSectionFields(survey(), 1));
    const third = await agent.get('/anket/tum-soru-tipleri/3');
    expect(third.text).toContain('<textarea id="f-gorus" name="gorus" rows="4" maxlength="50" aria-describedby="h-gorus m-gorus">');
    expect(third.text).toContain('inputmode="numeric"');
    expect(third.text).toContain('inputmode="decimal"');
    expect(third.text).toContain(
      'type="date" id="f-tarih" name="tarih" value="" aria-describedby="m-tarih" min="2020-01-01" max="2026-12-31"',
    );
  });

  it('answers a page with errors with 422, a linked error summary, messages and the entered values', async () => {
    const agent = request.agent(t.app);
    const { response } = await answerSection(agent, '/anket/tum-soru-tipleri/1', {
      renk: 'mavi',
      ulasim: ['metro', 'hicbiri'],
      evcil: 'evet',
      'renk.other': '<script>alert(1)</script>',
    });
    expect(response.status).toBe(422);
    expect(errorSummary(response.text)).toEqual(['#f-renk-other', '#f-ulasim', '#f-mahalle', '#f-evcil_adi']);
    expect(response.text).toContain('autofocus');
    expect(response.text).toContain('<title>Hata: Seçimler');
    expect(response.text).toContain('“Hiçbiri” seçeneği başka seçeneklerle birlikte işaretlenemez.');
    expect(response.text).toContain('aria-describedby="e-renk"');
    expect(response.text).toMatch(/value="metro" checked/);
    expect(response.text).toMatch(/name="evcil" value="evet" id="f-evcil" checked/);
    expect(response.text).toContain('value="&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(response.text).not.toContain('<script>alert(1)');
    expect(await countRows()).toEqual({ responses: 0, answers: 0 });

    const english = await agent
      .post('/anket/tum-soru-tipleri/1?lang=en')
      .type('form')
      .send(encodeForm({ ...hiddenFields(response.text), _nav: 'next' }));
    expect(english.status).toBe(422);
    expect(english.text).toContain('Answer this question.');
    expect(english.text).toContain('Please check 3 questions');
  });

  it('joins a question and its error without doubled punctuation, and names one end of a number range in words', async () => {
    const agent = request.agent(t.app);
    const { response } = await answerSection(agent, '/anket/tum-soru-tipleri/1', { ...validSectionFields(survey(), 0), evcil: '' });
    expect(response.status).toBe(422);
    expect(response.text).toContain('>Evcil hayvanınız var mı: Bu soruyu yanıtlayın.</a>');
    expect(response.text).not.toContain('?:');
    await answerSection(agent, '/anket/tum-soru-tipleri/1', validSectionFields(survey(), 0));
    await answerSection(agent, '/anket/tum-soru-tipleri/2', validSectionFields(survey(), 1));
    const third = await agent.get('/anket/tum-soru-tipleri/3');
    expect(third.text).toContain('<p class="hint" id="m-yas">İzin verilen aralık: 18 – 99</p>');
    expect(third.text).toContain('<p class="hint" id="m-tutar">İzin verilen değer: en az 0</p>');
    expect(third.text).not.toContain('– –');
    const english = await agent.get('/anket/tum-soru-tipleri/3?lang=en');
    expect(english.text).toContain('<p class="hint" id="m-tutar">Allowed value: at least 0</p>');
  });

  describe('when text is typed in the "Diğer" box without choosing "Diğer"', () => {
    it('stores it as the answer "Diğer" with its text, for single and multiple choice', async () => {
      const agent = request.agent(t.app);
      const first: Fields = { ...validSectionFields(survey(), 0), 'renk.other': 'Yeşil', ulasim: 'otobus', 'ulasim.other': 'Dolmuş' };
      delete first.renk;
      await completeSurvey(agent, survey(), (i) => (i === 0 ? first : i === 3 ? { renk_nedeni: 'Doğa' } : validSectionFields(survey(), i)));
      const [response] = await storedResponses();
      const others = (await storedAnswers(response!.id)).filter((a) => a.question_id === 'renk' || a.question_id === 'ulasim');
      expect(others.map((a) => [a.question_id, a.option_id, a.text])).toEqual([
        ['renk', 'other', 'Yeşil'],
        ['ulasim', 'otobus', null],
        ['ulasim', 'other', 'Dolmuş'],
      ]);
    });

    it('refuses it beside another single choice with a message, keeping the text and storing nothing', async () => {
      const agent = request.agent(t.app);
      const { response } = await answerSection(agent, '/anket/tum-soru-tipleri/1', { ...validSectionFields(survey(), 0), renk: 'mavi', 'renk.other': 'Yeşil' });
      expect(response.status).toBe(422);
      expect(errorSummary(response.text)).toEqual(['#f-renk-other']);
      expect(response.text).toContain('“Diğer” kutusuna yazdınız');
      expect(response.text).toMatch(/name="renk.other" maxlength="200" value="Yeşil"/);
      expect(await countRows()).toEqual({ responses: 0, answers: 0 });
    });
  });

  it('does not require a hidden question and ignores its posted value', async () => {
    const agent = request.agent(t.app);
    const fields = { ...validSectionFields(survey(), 0), renk: 'mavi', evcil: 'hayir', evcil_adi: 'Pamuk' };
    const urls = await completeSurvey(agent, survey(), (i) => (i === 0 ? fields : validSectionFields(survey(), i)));
    // renk = mavi hides every question of the last section, so the survey ends after section 3.
    expect(urls).toEqual(['/anket/tum-soru-tipleri/1', '/anket/tum-soru-tipleri/2', '/anket/tum-soru-tipleri/3']);
    const [response] = await storedResponses();
    const questions = (await storedAnswers(response!.id)).map((a) => a.question_id);
    expect(questions).not.toContain('evcil_adi');
    expect(questions).not.toContain('renk_nedeni');
    expect(questions).not.toContain('metro_yorum');
  });

  it('requires a question shown by an answer on an earlier page', async () => {
    const agent = request.agent(t.app);
    await answerSection(agent, '/anket/tum-soru-tipleri/1', { ...validSectionFields(survey(), 0), ulasim: 'metro', renk: 'kirmizi' });
    await answerSection(agent, '/anket/tum-soru-tipleri/2', validSectionFields(survey(), 1));
    const third = await agent.get('/anket/tum-soru-tipleri/3');
    expect(third.text).toContain('Bölüm 3 / 4');
    expect(third.text).toContain('id="f-metro_yorum"');
    const { response } = await answerSection(agent, '/anket/tum-soru-tipleri/3', { yas: '40' });
    expect(response.status).toBe(422);
    expect(errorSummary(response.text)).toEqual(['#f-metro_yorum']);
    const ok = await answerSection(agent, '/anket/tum-soru-tipleri/3', { yas: '40', metro_yorum: 'Sık gelsin' });
    expect(ok.response.headers.location).toBe('/anket/tum-soru-tipleri/4');
    const done = await answerSection(agent, '/anket/tum-soru-tipleri/4', { renk_nedeni: 'Canlı' });
    expect(done.response.headers.location).toBe('/anket/tum-soru-tipleri/tesekkurler');
    const [response2] = await storedResponses();
    expect((await storedAnswers(response2!.id)).filter((a) => ['metro_yorum', 'renk_nedeni'].includes(a.question_id))).toEqual([
      { question_id: 'metro_yorum', option_id: null, value: null, text: 'Sık gelsin', rank: null, not_applicable: 0 },
      { question_id: 'renk_nedeni', option_id: null, value: null, text: 'Canlı', rank: null, not_applicable: 0 },
    ]);
  });

  it('goes back keeping what is valid and dropping what is not', async () => {
    const agent = request.agent(t.app);
    await answerSection(agent, '/anket/tum-soru-tipleri/1', validSectionFields(survey(), 0));
    const back = await answerSection(agent, '/anket/tum-soru-tipleri/2', { puan: '8', 'oncelik.1': 'uzay' }, 'back');
    expect(back.response.status).toBe(303);
    expect(back.response.headers.location).toBe('/anket/tum-soru-tipleri/1');
    const second = await agent.get('/anket/tum-soru-tipleri/2');
    expect(second.text).toMatch(/name="puan" value="8" checked/);
    const [draft] = await storedResponses();
    expect(JSON.parse(draft!.draft_fields!)).toMatchObject({ puan: '8' });
    expect(JSON.parse(draft!.draft_fields!)).not.toHaveProperty(['oncelik.1']);
    const toIntro = await answerSection(agent, '/anket/tum-soru-tipleri/1', {}, 'back');
    expect(toIntro.response.headers.location).toBe('/anket/tum-soru-tipleri');
  });

  it('stores every kind of answer in its own columns', async () => {
    const agent = request.agent(t.app);
    await completeSurvey(agent, survey(), (i): Fields =>
      i === 2
        ? { yas: '42', tutar: '1250,75', tarih: '2021-09-15', gorus: 'Güzel' }
        : i === 0
          ? { renk: 'other', 'renk.other': 'Turuncu', ulasim: ['otobus', 'bisiklet'], mahalle: 'istasyon', evcil: 'evet', evcil_adi: 'Boncuk' }
          : i === 3
            ? { renk_nedeni: 'Sıcak', mavi_degil: 'Soğuk' }
            : { ...validSectionFields(survey(), i), 'memnuniyet.parklar': 'na', puan: '0' },
    );
    const [response] = await storedResponses();
    const answers = await storedAnswers(response!.id);
    const pick = (id: string) => answers.filter((a) => a.question_id === id).map(({ question_id: _q, ...rest }) => rest);
    const none = { option_id: null, value: null, text: null, rank: null, not_applicable: 0 };
    expect(pick('renk')).toEqual([{ ...none, option_id: 'other', text: 'Turuncu' }]);
    expect(pick('ulasim')).toEqual([
      { ...none, option_id: 'otobus' },
      { ...none, option_id: 'bisiklet' },
    ]);
    expect(pick('mahalle')).toEqual([{ ...none, option_id: 'istasyon' }]);
    expect(pick('evcil_adi')).toEqual([{ ...none, text: 'Boncuk' }]);
    expect(pick('memnuniyet')).toEqual([
      { ...none, option_id: 'temizlik', value: 1 },
      { ...none, option_id: 'parklar', not_applicable: 1 },
      { ...none, option_id: 'yollar', value: 1 },
    ]);
    expect(pick('puan')).toEqual([{ ...none, value: 0 }]);
    expect(pick('oncelik')).toEqual([
      { ...none, option_id: 'temizlik', rank: 1 },
      { ...none, option_id: 'parklar', rank: 2 },
    ]);
    expect(pick('yas')).toEqual([{ ...none, value: 42 }]);
    expect(pick('tutar')).toEqual([{ ...none, value: 1250.75 }]);
    expect(pick('tarih')).toEqual([{ ...none, text: '2021-09-15' }]);
    expect(pick('gorus')).toEqual([{ ...none, text: 'Güzel' }]);
    expect(pick('metro_yorum')).toEqual([]);
    expect(pick('renk_nedeni')).toEqual([{ ...none, text: 'Sıcak' }]);
  });
});

describe('hostile input', () => {
  beforeEach(async () => {
    t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });
  });

  async function post(fields: Fields, options: { csrf?: boolean; raw?: string; type?: string } = {}) {
    const agent = request.agent(t.app);
    const page = await agent.get('/anket/tum-soru-tipleri/1');
    const hidden = hiddenFields(page.text);
    const body = options.raw ?? encodeForm({ ...(options.csrf === false ? { _key: hidden._key } : hidden), _nav: 'next', ...fields });
    return agent.post('/anket/tum-soru-tipleri/1').type(options.type ?? 'form').send(body);
  }
  const valid = () => validSectionFields(t.catalog.find('tum-soru-tipleri')!, 0);

  it.each<[string, () => Fields, number, RegExp]>([
    ['an unknown field', () => ({ ...valid(), is_admin: '1' }), 400, /Geçersiz form/],
    ['a field of another page', () => ({ ...valid(), yas: '40' }), 400, /Geçersiz form/],
    ['a list where one value belongs', () => ({ ...valid(), renk: ['mavi', 'kirmizi'] }), 422, /Gönderilen değer geçersiz/],
    ['an option that does not exist', () => ({ ...valid(), mahalle: "merkez' OR 1=1--" }), 422, /listedeki seçeneklerden/],
    ['SQL in an option field', () => ({ ...valid(), renk: "'; DROP TABLE responses; --" }), 422, /listedeki seçeneklerden/],
    ['HTML in an option field', () => ({ ...valid(), evcil: '<img src=x onerror=alert(1)>' }), 422, /listedeki seçeneklerden/],
    ['a too long "other" text', () => ({ ...valid(), renk: 'other', 'renk.other': 'x'.repeat(5000) }), 422, /En fazla 200 karakter/],
    ['a missing key', () => ({ ...valid(), _key: '' }), 400, /Geçersiz istek/],
    ['a malformed key', () => ({ ...valid(), _key: '../../etc/passwd' }), 400, /Geçersiz istek/],
    ['a list as navigation', () => ({ ...valid(), _nav: ['next', 'back'] }), 400, /Geçersiz istek/],
    ['an unknown navigation', () => ({ ...valid(), _nav: 'skip' }), 400, /Geçersiz istek/],
  ])('refuses %s and stores nothing', async (_name, fields, status, message) => {
    const response = await post(fields());
    expect(response.status).toBe(status);
    expect(response.text).toMatch(message);
    expect(await countRows()).toEqual({ responses: 0, answers: 0 });
  });

  it('refuses a post without the CSRF token (403) and stores nothing', async () => {
    const response = await post(valid(), { csrf: false });
    expect(response.status).toBe(403);
    expect(response.text).toContain('Form süresi doldu');
    expect(await countRows()).toEqual({ responses: 0, answers: 0 });
  });

  it('refuses a post from another browser (token bound to the browser) and stores nothing', async () => {
    const page = await request.agent(t.app).get('/anket/tum-soru-tipleri/1');
    const response = await request(t.app)
      .post('/anket/tum-soru-tipleri/1')
      .type('form')
      .send(encodeForm({ ...hiddenFields(page.text), _nav: 'next', ...valid() }));
    expect(response.status).toBe(403);
    expect(await countRows()).toEqual({ responses: 0, answers: 0 });
  });

  it('refuses a 1 MB string with 413 and stores nothing', async () => {
    const response = await post({ ...valid(), renk: 'other', 'renk.other': 'ş'.repeat(1024 * 1024) });
    expect(response.status).toBe(413);
    expect(response.text).toContain('Gönderilen veri çok büyük');
    expect(await countRows()).toEqual({ responses: 0, answers: 0 });
  });

  it('refuses thousands of fields with 413 and stores nothing', async () => {
    const many = Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`f${i}`, 'x']));
    const response = await post({ ...valid(), ...many });
    expect(response.status).toBe(413);
    expect(await countRows()).toEqual({ responses: 0, answers: 0 });
  });

  it('refuses a JSON body (no form token) and a broken encoding without a 500', async () => {
    const json = await post({}, { raw: JSON.stringify({ renk: 'mavi' }), type: 'json' });
    expect(json.status).toBe(403);
    const broken = await post({}, { raw: 'renk=%E0%A4%A&_nav=next' });
    expect(broken.status).toBeGreaterThanOrEqual(400);
    expect(broken.status).toBeLessThan(500);
    expect(await countRows()).toEqual({ responses: 0, answers: 0 });
  });

  it('answers JSON clients with a JSON error', async () => {
    const response = await request(t.app).get('/anket/yok').set('Accept', 'application/json');
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: { status: 404, title: 'Anket bulunamadı', message: expect.any(String) } });
  });

  it('keeps an HTML or SQL text in a free-text answer as plain text, escaped on every page', async () => {
    const agent = request.agent(t.app);
    const survey = t.catalog.find('tum-soru-tipleri')!;
    await answerSection(agent, '/anket/tum-soru-tipleri/1', validSectionFields(survey, 0));
    await answerSection(agent, '/anket/tum-soru-tipleri/2', validSectionFields(survey, 1));
    const payload = `<script>alert("x")</script>'); DELETE FROM answers; --`;
    await answerSection(agent, '/anket/tum-soru-tipleri/3', { yas: '30', gorus: payload.slice(0, 50) }, 'back');
    const page = await agent.get('/anket/tum-soru-tipleri/3');
    expect(page.text).not.toContain('<script>alert');
    expect(page.text).toContain('&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;');
  });
});

describe('survey content the other surveys need', () => {
  beforeEach(async () => {
    t = await createTestApp();
  });

  it('renders every section of kurum-gorus-formu (institution form) behind an invitation, every kind included, never publicly', async () => {
    const survey = t.catalog.find('kurum-gorus-formu')!;
    expect((await request(t.app).get('/anket/kurum-gorus-formu')).status).toBe(404);
    expect((await request(t.app).get('/anket/kurum-gorus-formu/1')).status).toBe(404);
    const { link } = await invitedInstitution(t);
    const agent = request.agent(t.app);
    const urls = await completeSurvey(agent, survey, (index) => validSectionFields(survey, index), link);
    expect(urls).toHaveLength(survey.sections.length);
    const kinds = new Set(allQuestions(survey).map((q) => q.kind));
    expect(kinds.size).toBeGreaterThanOrEqual(7);
    expect((await storedResponses())[0]).toMatchObject({ survey_slug: 'kurum-gorus-formu', status: 'complete' });
  });

  it('keeps text typed in the institution form\'s "Diğer" box without ticking it, as "Diğer"', async () => {
    const survey = t.catalog.find('kurum-gorus-formu')!;
    const { link } = await invitedInstitution(t);
    const cooperation = { isbirligi_alanlari: 'egitim_seminer', 'isbirligi_alanlari.other': 'Ortak arşiv taraması' };
    await completeSurvey(request.agent(t.app), survey, (index) => (index === 4 ? cooperation : validSectionFields(survey, index)), link);
    const [response] = await storedResponses();
    const rows = (await storedAnswers(response!.id)).filter((a) => a.question_id === 'isbirligi_alanlari');
    expect(rows.map((a) => [a.option_id, a.text])).toEqual([
      ['egitim_seminer', null],
      ['other', 'Ortak arşiv taraması'],
    ]);
  });
});

describe('drafts and retries', () => {
  beforeEach(async () => {
    t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });
  });
  const survey = () => t.catalog.find('tum-soru-tipleri')!;
  const draftCookieOf = (response: request.Response) =>
    ((response.headers['set-cookie'] as unknown as string[] | undefined) ?? []).find((c) => c.startsWith('pd_draft_tum-soru-tipleri='));
  const savedFields = async () => JSON.parse((await storedResponses())[0]!.draft_fields!);

  it('never stores the value of a hidden question, however large or hostile', async () => {
    const agent = request.agent(t.app);
    const { response } = await answerSection(agent, '/anket/tum-soru-tipleri/1', {
      ...validSectionFields(survey(), 0),
      evcil: 'hayir',
      evcil_adi: ['<script>', 'x'.repeat(40_000)],
    });
    expect(response.status).toBe(303);
    expect(await savedFields()).not.toHaveProperty('evcil_adi');
    expect((await storedResponses())[0]!.draft_fields!.length).toBeLessThan(500);
  });

  it('never stores an invalid value when going back', async () => {
    const agent = request.agent(t.app);
    await answerSection(agent, '/anket/tum-soru-tipleri/1', validSectionFields(survey(), 0));
    await answerSection(agent, '/anket/tum-soru-tipleri/2', { puan: ['1', '2'], 'memnuniyet.temizlik': 'on bir' }, 'back');
    const saved = await savedFields();
    expect(saved).not.toHaveProperty('puan');
    expect(saved).not.toHaveProperty(['memnuniyet.temizlik']);
  });

  it('renews the draft cookie on every save, so a draft lives seven days after its last save', async () => {
    const agent = request.agent(t.app);
    const first = await answerSection(agent, '/anket/tum-soru-tipleri/1', validSectionFields(survey(), 0));
    t.clock.now = new Date(t.clock.now.getTime() + 6 * 24 * 60 * 60 * 1000);
    const second = await answerSection(agent, '/anket/tum-soru-tipleri/2', validSectionFields(survey(), 1));
    const [a, b] = [draftCookieOf(first.response), draftCookieOf(second.response)];
    expect(a).toMatch(/Max-Age=604800/);
    expect(b).toMatch(/Max-Age=604800/);
    expect(b!.split(';')[0]).toBe(a!.split(';')[0]);
  });

  it('makes one draft of a double tap on a first page', async () => {
    const agent = request.agent(t.app);
    const page = await agent.get('/anket/tum-soru-tipleri/1');
    const form = encodeForm({ ...hiddenFields(page.text), _nav: 'next', ...validSectionFields(survey(), 0) });
    const cookies = cookieHeader(agent.jar.getCookies({ domain: '127.0.0.1', path: '/', secure: false, script: false }).map(String));
    const send = () => request(t.app).post('/anket/tum-soru-tipleri/1').set('Cookie', cookies).type('form').send(form);
    const [one, two] = await Promise.all([send(), send()]);
    expect([one.status, two.status]).toEqual([303, 303]);
    expect(draftCookieOf(one)!.split(';')[0]).toBe(draftCookieOf(two)!.split(';')[0]);
    expect((await storedResponses()).map((r) => r.status)).toEqual(['draft']);
  });

  it('recognises a browser whose "thank you" got lost, instead of starting it over', async () => {
    const agent = request.agent(t.app);
    let lastDraftCookie = '';
    await completeSurvey(agent, survey(), (i) => {
      const cookie = agent.jar.getCookie('pd_draft_tum-soru-tipleri', { domain: '127.0.0.1', path: '/anket/tum-soru-tipleri', secure: false, script: false });
      if (cookie) lastDraftCookie = `${cookie.name}=${cookie.value}`;
      return validSectionFields(survey(), i);
    });
    // The same browser, but the response that cleared the draft cookie never arrived.
    const page = await request(t.app).get('/anket/tum-soru-tipleri/1').set('Cookie', lastDraftCookie);
    expect(page.status).toBe(303);
    expect(page.headers.location).toBe('/anket/tum-soru-tipleri/tesekkurler');
    expect(String(page.headers['set-cookie'])).toContain('pd_done_tum-soru-tipleri=1');
    expect((await storedResponses()).length).toBe(1);
  });

  it('empties drafts that can no longer be resumed, keeping the row for the partial count', async () => {
    const agent = request.agent(t.app);
    await answerSection(agent, '/anket/tum-soru-tipleri/1', validSectionFields(survey(), 0));
    expect(await clearExpiredDrafts(t.db, new Date(t.clock.now.getTime() + 6 * 24 * 60 * 60 * 1000))).toBe(0);
    expect(await clearExpiredDrafts(t.db, new Date(t.clock.now.getTime() + 8 * 24 * 60 * 60 * 1000))).toBe(1);
    expect(await storedResponses()).toEqual([expect.objectContaining({ status: 'draft', draft_fields: null, draft_token_hash: null })]);
  });

  it('answers odd spellings of a section number with 404', async () => {
    for (const section of ['01', '1.0', '0x1', '1e0', '+1', ' 1']) {
      expect((await request(t.app).get(`/anket/tum-soru-tipleri/${encodeURIComponent(section)}`)).status).toBe(404);
    }
  });

  it('offers the way back to the form when its security token has expired', async () => {
    const response = await request(t.app)
      .post('/anket/tum-soru-tipleri/2')
      .type('form')
      .send(encodeForm({ _csrf: 'stale', _key: 'k'.repeat(22), _nav: 'next' }));
    expect(response.status).toBe(403);
    expect(response.text).toContain('href="/anket/tum-soru-tipleri/2">Formu yeniden açın</a>');
  });
});
