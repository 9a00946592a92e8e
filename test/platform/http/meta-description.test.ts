// Each public page describes itself for search results and shared links: its own text (survey
// intro, meeting description, notice), trimmed at a word boundary, escaped, or a sensible default.
import request from 'supertest';
import { firstText, META_DESCRIPTION_LENGTH, metaDescription } from '../../../server/platform/http/meta-description';
import { invitedInstitution } from '../../helpers/invitation';
import { scheduleMeeting } from '../../helpers/meetings';
import { createTestApp, type TestApp } from '../../helpers/test-app';

describe('metaDescription', () => {
  it('keeps a short text as it is, with its whitespace collapsed', () => {
    expect(metaDescription('  Mahalle\n\nbuluşması   Cuma  ')).toBe('Mahalle buluşması Cuma');
    expect(metaDescription(undefined)).toBe('');
    const exact = 'a'.repeat(META_DESCRIPTION_LENGTH);
    expect(metaDescription(exact)).toBe(exact);
  });

  it('cuts a long text at the last word boundary within 155 characters and ends it with an ellipsis', () => {
    const words = 'Belediyemizin hizmetlerinden memnuniyetinizi, önceliklerinizi ve beklentilerinizi öğrenmek istiyoruz. '.repeat(4);
    const cut = metaDescription(words);
    expect(cut.length).toBeLessThanOrEqual(155);
    expect(cut.endsWith('…')).toBe(true);
    const body = cut.slice(0, -1);
    // Whole words only: what is left is the start of the text and ends where a word ended.
    expect(words.startsWith(body)).toBe(true);
    expect(words[body.length]).toMatch(/[\s,.]/);
    // No dangling punctuation before the ellipsis.
    expect(body).not.toMatch(/[\s,;:.]$/);
  });

  it('cuts inside a word only when the text has no usable space', () => {
    const cut = metaDescription('x'.repeat(400), 20);
    expect(cut).toBe(`${'x'.repeat(19)}…`);
    expect(metaDescription('kısa ' + 'y'.repeat(100), 20)).toBe(`kısa ${'y'.repeat(14)}…`);
  });

  it('picks the first text that says something', () => {
    expect(firstText(undefined, '  ', null, 'İkinci', 'Üçüncü')).toBe('İkinci');
    expect(firstText(undefined, '')).toBeUndefined();
  });
});

describe('the public pages', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp();
  });
  afterEach(async () => {
    expect(t.logged).toEqual([]);
    await t.close();
  });

  const descriptionOf = (html: string): string | undefined => {
    const tags = html.match(/<meta name="description"[^>]*>/g) ?? [];
    expect(tags).toHaveLength(1);
    return /content="([^"]*)"/.exec(tags[0]!)?.[1];
  };

  it('each carry one description of their own, in the page language', async () => {
    const meeting = await scheduleMeeting(t, { description_tr: 'Fatih Mahallesi’nin parkları ve yolları konuşulacak.', description_en: 'Parks and roads of Fatih will be discussed.' });
    const { link } = await invitedInstitution(t);
    const pages: [string, RegExp][] = [
      ['/', /Stratejik Planımızı sizin görüşlerinizle hazırlıyoruz/],
      ['/?lang=en', /Strategic Plan/],
      ['/anket/vatandas-anketi', /^Değerli hemşehrimiz, .*…$/],
      ['/anket/vatandas-anketi/1', /^Bu bilgiler yalnızca yanıtların/],
      ['/bulusmalar', /yüz yüze dinlemek istiyoruz/],
      [`/bulusmalar/${meeting}`, /^Fatih Mahallesi’nin parkları ve yolları konuşulacak\.$/],
      [`/bulusmalar/${meeting}?lang=en`, /^Parks and roads of Fatih will be discussed\.$/],
      [link, /^Sayın Paydaşımız, .*…$/],
      [`${link}/1`, /^Sayın Paydaşımız/],
      ['/aydinlatma-metni', /paydaşlarımızın katılımıyla hazırlıyoruz/],
      ['/kurum-gorusu', /^Stratejik plan hazırlanırken üniversitelerin/],
    ];
    const seen = new Set<string>();
    const agent = request.agent(t.app);
    for (const [url, expected] of pages) {
      // A ?lang= visit keeps its language in a cookie: those go without the agent.
      const response = await (url.includes('lang=en') ? request(t.app) : agent).get(url);
      expect([url, response.status]).toEqual([url, 200]);
      const description = descriptionOf(response.text)!;
      expect([url, description]).toEqual([url, expect.stringMatching(expected)]);
      expect(description.length).toBeLessThanOrEqual(160); // 155 characters, some written as entities
      seen.add(description);
    }
    expect(seen.size).toBeGreaterThanOrEqual(10);
    // A page without a text of its own gets the site's default.
    const missing = await request(t.app).get('/yok');
    expect(missing.status).toBe(404);
    expect(descriptionOf(missing.text)).toMatch(/Stratejik Planı için vatandaş anketleri, mahalle buluşmaları ve kurumların görüşleri/);
  });

  it('escape hostile text and shorten a long meeting description', async () => {
    const hostile = await scheduleMeeting(t, { description_tr: '"><script>alert(1)</script><meta name="description" content="x"> & \'tek\'' });
    const html = (await request(t.app).get(`/bulusmalar/${hostile}`)).text;
    const description = descriptionOf(html);
    expect(description).toBe('&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;meta name=&#34;description&#34; content=&#34;x&#34;&gt; &amp; &#39;tek&#39;');
    expect(html).not.toContain('<script>alert(1)');

    const long = await scheduleMeeting(t, { description_tr: 'Mahallemizin ihtiyaçlarını birlikte konuşacağız. '.repeat(10) });
    const shortened = descriptionOf((await request(t.app).get(`/bulusmalar/${long}`)).text)!;
    expect(shortened.length).toBeLessThanOrEqual(155);
    expect(shortened).toMatch(/^Mahallemizin ihtiyaçlarını birlikte konuşacağız\. Mahallemizin .*\S…$/);
  });
});
