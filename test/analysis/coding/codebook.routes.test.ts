// The codebook screens: themes created, edited and deleted by planners, with their quotes.
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { codingRepository } from '../../../server/analysis/coding';
import { addUser, csrfFrom, logIn } from '../../helpers/admin';
import { htmlProblems } from '../../helpers/html';
import { createTestApp, type TestApp } from '../../helpers/test-app';
import { addResponse, addTheme, auditActions, CITIZEN, IMPROVE, INSTITUTION } from '../../helpers/coding';

let t: TestApp;
let planner: TestAgent;
beforeEach(async () => {
  t = await createTestApp();
  planner = await logIn(t, await addUser(t, 'planner'));
});
afterEach(async () => {
  expect(t.logged).toEqual([]);
  await t.close();
});

const CODEBOOK = `/admin/surveys/${CITIZEN}/codebook`;
const storedThemes = () => t.db.selectFrom('codebook_themes').selectAll().orderBy('id').execute();

async function post(agent: TestAgent, pageUrl: string, action: string, fields: Record<string, string>) {
  const page = await agent.get(pageUrl);
  return agent.post(action).type('form').send({ _csrf: csrfFrom(page.text), ...fields });
}

describe('GET the codebook', () => {
  it('lists the themes with their counts and quotes, as valid HTML', async () => {
    const cop = await addTheme(t, CITIZEN, 'Çöp toplama', { areaId: 'temizlik_atik', swotKind: 'weakness', keywords: ['çöp', 'konteyner'] });
    await addTheme(t, CITIZEN, 'Parklar');
    const { answerIds } = await addResponse(t, CITIZEN, { [IMPROVE]: 'Çöpler <b>toplanmıyor</b>' });
    await codingRepository.saveCoding(t.db, answerIds[IMPROVE]!, [cop], null, t.clock.now);
    await codingRepository.saveQuote(t.db, { themeId: cop, answerId: answerIds[IMPROVE]!, text: 'Çöpler <b>toplanmıyor</b>' }, null, t.clock.now);

    const page = await planner.get(CODEBOOK);

    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    expect(page.text).toContain('Çöp toplama');
    expect(page.text).toContain('Zayıf yön');
    expect(page.text).toContain('çöp, konteyner');
    expect(page.text).toContain('Çöpler &lt;b&gt;toplanmıyor&lt;/b&gt;');
    expect(page.text).toContain('Kodlanan yanıt: 1 / 1');
    expect(page.text).toMatch(/data-value="1">1<\/td>/);
  });

  it('answers 404 for an unknown survey', async () => {
    expect((await planner.get('/admin/surveys/yok-boyle/codebook')).status).toBe(404);
  });
});

describe('POST a new theme', () => {
  it('stores it with its area, SWOT kind and keywords, audits it and goes back to the codebook', async () => {
    const response = await post(planner, CODEBOOK, CODEBOOK, { name: '  Çöp   toplama ', area: 'temizlik_atik', swot_kind: 'weakness', keywords: 'çöp, konteyner,, ÇÖP ,çöplük' });

    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(CODEBOOK);
    expect(await storedThemes()).toEqual([
      expect.objectContaining({ survey_slug: CITIZEN, name: 'Çöp toplama', area_id: 'temizlik_atik', swot_kind: 'weakness', keywords: 'çöp, konteyner, çöplük' }),
    ]);
    expect(await auditActions(t)).toEqual(['theme.created']);
    expect((await planner.get(CODEBOOK)).text).toContain('“Çöp toplama” teması eklendi.');
  });

  it('accepts a theme with only a name', async () => {
    expect((await post(planner, CODEBOOK, CODEBOOK, { name: 'Ulaşım' })).status).toBe(303);
    expect(await storedThemes()).toEqual([expect.objectContaining({ name: 'Ulaşım', area_id: null, swot_kind: null, keywords: '' })]);
  });

  describe('with bad input', () => {
    it.each([
      ['no name', { name: '   ' }, 'Bu alanı doldurun.'],
      ['a name over 120 characters', { name: 'a'.repeat(121) }, 'Bu alan çok uzun.'],
      ['an unknown activity area', { name: 'Tema', area: 'uzay' }, 'Bu alanı kontrol edin.'],
      ['an unknown SWOT kind', { name: 'Tema', swot_kind: 'risk' }, 'Bu alanı kontrol edin.'],
    ])('re-renders the form with %s, 422, and writes nothing', async (_case, fields, message) => {
      const response = await post(planner, CODEBOOK, CODEBOOK, fields);

      expect(response.status).toBe(422);
      expect(response.text).toContain('class="error-summary"');
      expect(response.text).toContain(message);
      expect(await htmlProblems(response.text)).toEqual([]);
      expect(await storedThemes()).toEqual([]);
      expect(await auditActions(t)).toEqual([]);
    });

    it('refuses a name the survey has already, whatever the case or Turkish letters', async () => {
      await addTheme(t, CITIZEN, 'İmar ve Çevre');

      const response = await post(planner, CODEBOOK, CODEBOOK, { name: 'imar ve cevre', keywords: 'imar' });

      expect(response.status).toBe(422);
      expect(response.text).toContain('Bu ankette bu adda bir tema zaten var.');
      expect(response.text).toContain('value="imar ve cevre"');
      expect(await storedThemes()).toHaveLength(1);
    });

    it('allows the same name in another survey', async () => {
      await addTheme(t, INSTITUTION, 'İmar');
      expect((await post(planner, CODEBOOK, CODEBOOK, { name: 'İmar' })).status).toBe(303);
    });
  });
});

describe('a theme page', () => {
  let id: number;
  let themeUrl: string;
  beforeEach(async () => {
    id = await addTheme(t, CITIZEN, 'Parklar', { keywords: ['park'] });
    themeUrl = `${CODEBOOK}/${id}`;
  });

  it('shows the form filled in, as valid HTML', async () => {
    const page = await planner.get(themeUrl);
    expect(page.status).toBe(200);
    expect(await htmlProblems(page.text)).toEqual([]);
    expect(page.text).toContain('value="Parklar"');
    expect(page.text).toContain('value="park"');
  });

  it('answers 404 for an unknown theme or a theme of another survey', async () => {
    const other = await addTheme(t, INSTITUTION, 'Başka');
    expect((await planner.get(`${CODEBOOK}/999999`)).status).toBe(404);
    expect((await planner.get(`${CODEBOOK}/abc`)).status).toBe(404);
    expect((await planner.get(`${CODEBOOK}/${other}`)).status).toBe(404);
    expect((await post(planner, themeUrl, `${CODEBOOK}/${other}`, { name: 'Değişti' })).status).toBe(404);
    expect((await post(planner, themeUrl, `${CODEBOOK}/${other}/delete`, {})).status).toBe(404);
    expect((await storedThemes()).map((theme) => theme.name)).toEqual(['Parklar', 'Başka']);
  });

  it('saves changes', async () => {
    const response = await post(planner, themeUrl, themeUrl, { name: 'Parklar ve bahçeler', area: 'park_bahce', swot_kind: 'opportunity', keywords: 'park, bahçe' });

    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(themeUrl);
    expect(await codingRepository.findTheme(t.db, CITIZEN, id)).toEqual({
      id, surveySlug: CITIZEN, name: 'Parklar ve bahçeler', areaId: 'park_bahce', swotKind: 'opportunity', keywords: ['park', 'bahçe'], rule: null,
    });
    expect(await auditActions(t)).toEqual(['theme.changed']);
  });

  it('keeps its own name when only the case changes, but refuses another theme’s name', async () => {
    await addTheme(t, CITIZEN, 'Yollar');
    expect((await post(planner, themeUrl, themeUrl, { name: 'PARKLAR' })).status).toBe(303);

    const response = await post(planner, themeUrl, themeUrl, { name: 'yollar' });

    expect(response.status).toBe(422);
    expect(response.text).toContain('Bu ankette bu adda bir tema zaten var.');
    expect((await storedThemes()).map((theme) => theme.name)).toEqual(['PARKLAR', 'Yollar']);
  });

  it('re-renders with 422 and changes nothing on bad input', async () => {
    const response = await post(planner, themeUrl, themeUrl, { name: '', area: 'uzay' });

    expect(response.status).toBe(422);
    expect(await htmlProblems(response.text)).toEqual([]);
    expect((await storedThemes())[0]).toEqual(expect.objectContaining({ name: 'Parklar', area_id: null }));
    expect(await auditActions(t)).toEqual([]);
  });

  it('deletes the theme with its codes and quote; the answers stay coded', async () => {
    const { answerIds } = await addResponse(t, CITIZEN, { [IMPROVE]: 'Park yok' });
    await codingRepository.saveCoding(t.db, answerIds[IMPROVE]!, [id], null, t.clock.now);
    await codingRepository.saveQuote(t.db, { themeId: id, answerId: answerIds[IMPROVE]!, text: 'Park yok' }, null, t.clock.now);

    const response = await post(planner, themeUrl, `${themeUrl}/delete`, {});

    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(CODEBOOK);
    expect(await storedThemes()).toEqual([]);
    expect(await t.db.selectFrom('theme_quotes').selectAll().execute()).toEqual([]);
    expect(await codingRepository.codesOf(t.db, [answerIds[IMPROVE]!])).toEqual(new Map([[answerIds[IMPROVE]!, []]]));
    expect(await auditActions(t)).toEqual(['theme.deleted']);
  });

  describe('quotes', () => {
    let answerId: number;
    beforeEach(async () => {
      answerId = (await addResponse(t, CITIZEN, { [IMPROVE]: 'Park yok. Beni 0532 123 45 67 numarasından ya da ali@example.org adresinden arayın.' })).answerIds[IMPROVE]!;
      await codingRepository.saveCoding(t.db, answerId, [id], null, t.clock.now);
    });

    it('lists the coded answers, each to use as the quote', async () => {
      const page = await planner.get(themeUrl);
      expect(page.text).toContain('Alıntı olarak kullan');
      expect(page.text).toContain(`/admin/surveys/${CITIZEN}/coding?answer=${answerId}`);
      expect(await htmlProblems(page.text)).toEqual([]);
    });

    it('stores the chosen answer with personal data masked, then the planner’s edit', async () => {
      const chosen = await post(planner, themeUrl, `${themeUrl}/quote`, { answer: String(answerId) });

      expect(chosen.status).toBe(303);
      expect(await codingRepository.findQuote(t.db, id)).toEqual({
        themeId: id,
        answerId,
        text: 'Park yok. Beni [telefon] numarasından ya da [e-posta] adresinden arayın.',
      });

      const edited = await post(planner, themeUrl, `${themeUrl}/quote/text`, { quote: '  Park yok, 05321234567. ' });

      expect(edited.status).toBe(303);
      expect(await codingRepository.quotes(t.db, CITIZEN)).toEqual(new Map([[id, 'Park yok, [telefon].']]));
      expect(await auditActions(t)).toEqual(['theme.quote_chosen', 'theme.quote_chosen']);
      expect(await htmlProblems((await planner.get(themeUrl)).text)).toEqual([]);
    });

    it('refuses an answer not coded with the theme, and writes nothing', async () => {
      const other = (await addResponse(t, CITIZEN, { [IMPROVE]: 'Başka konu' })).answerIds[IMPROVE]!;
      expect((await post(planner, themeUrl, `${themeUrl}/quote`, { answer: String(other) })).status).toBe(404);
      expect((await post(planner, themeUrl, `${themeUrl}/quote`, { answer: 'x' })).status).toBe(400);
      expect(await t.db.selectFrom('theme_quotes').selectAll().execute()).toEqual([]);
    });

    it('refuses an empty or too long quote with 422, keeping the stored one', async () => {
      await post(planner, themeUrl, `${themeUrl}/quote`, { answer: String(answerId) });
      const before = await codingRepository.findQuote(t.db, id);

      for (const quote of ['  ', 'x'.repeat(501)]) {
        const response = await post(planner, themeUrl, `${themeUrl}/quote/text`, { quote });
        expect(response.status).toBe(422);
        expect(await htmlProblems(response.text)).toEqual([]);
      }
      expect(await codingRepository.findQuote(t.db, id)).toEqual(before);
    });

    it('cannot edit a quote that was never chosen', async () => {
      expect((await post(planner, themeUrl, `${themeUrl}/quote/text`, { quote: 'Serbest metin' })).status).toBe(404);
      expect(await t.db.selectFrom('theme_quotes').selectAll().execute()).toEqual([]);
    });

    it('shortens a long answer to 500 characters at a word', async () => {
      const long = (await addResponse(t, CITIZEN, { [IMPROVE]: 'parklar '.repeat(100) })).answerIds[IMPROVE]!;
      await codingRepository.saveCoding(t.db, long, [id], null, t.clock.now);
      await post(planner, themeUrl, `${themeUrl}/quote`, { answer: String(long) });
      const quote = (await codingRepository.findQuote(t.db, id))!.text;
      expect(quote.length).toBeLessThanOrEqual(500);
      expect(quote).toMatch(/parklar…$/);
    });
  });
});

describe('access', () => {
  it('viewers get 403 on every codebook page and form, and nothing is written', async () => {
    const id = await addTheme(t, CITIZEN, 'Parklar');
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    const token = csrfFrom((await viewer.get('/admin/surveys')).text);

    expect((await viewer.get(CODEBOOK)).status).toBe(403);
    expect((await viewer.get(`${CODEBOOK}/${id}`)).status).toBe(403);
    expect((await viewer.post(CODEBOOK).type('form').send({ _csrf: token, name: 'Yeni' })).status).toBe(403);
    expect((await viewer.post(`${CODEBOOK}/${id}`).type('form').send({ _csrf: token, name: 'Yeni' })).status).toBe(403);
    expect((await viewer.post(`${CODEBOOK}/${id}/delete`).type('form').send({ _csrf: token })).status).toBe(403);
    expect((await storedThemes()).map((theme) => theme.name)).toEqual(['Parklar']);
  });

  it('sends visitors without a session to the login page', async () => {
    const response = await request(t.app).get(CODEBOOK);
    expect(response.status).toBe(303);
    expect(response.headers.location).toContain('/admin/login');
  });

  it('links the results page to the codebook for planners only', async () => {
    const link = `href="${CODEBOOK}"`;
    expect((await planner.get(`/admin/surveys/${CITIZEN}/results`)).text).toContain(link);
    const viewer = await logIn(t, await addUser(t, 'viewer'));
    const results = await viewer.get(`/admin/surveys/${CITIZEN}/results`);
    expect(results.status).toBe(200);
    expect(results.text).not.toContain(link);
  });
});
