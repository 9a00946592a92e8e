// Questions shown blank are rendered once and remembered (platform/http/fragments): every page
// must be byte for byte what rendering it afresh gives, whatever the visitor has answered.
import request from 'supertest';
import { createFragments, createPageCache, type Fragments, type PageCache } from '../../server/platform/http/fragments';
import { encodeForm, hiddenFields, answerSection } from '../helpers/forms';
import { validSectionFields } from '../helpers/survey-walker';
import { createTestApp, FIXTURE_SURVEYS, type TestApp } from '../helpers/test-app';

describe('createFragments', () => {
  it('renders a key once, renders every time without a key, and drops the oldest half when full', () => {
    const fragments = createFragments(4);
    const renders: string[] = [];
    const html = (key: string) => () => {
      renders.push(key);
      return `<p>${key}</p>`;
    };
    expect(fragments.get('a', html('a'))).toBe('<p>a</p>');
    expect(fragments.get('a', html('a'))).toBe('<p>a</p>');
    expect(fragments.get(undefined, html('none'))).toBe('<p>none</p>');
    expect(fragments.get(undefined, html('none'))).toBe('<p>none</p>');
    expect(renders).toEqual(['a', 'none', 'none']);
    for (const key of ['b', 'c', 'd']) fragments.get(key, html(key));
    // Full at four: e pushes out a and b, the oldest half.
    fragments.get('e', html('e'));
    renders.length = 0;
    for (const key of ['c', 'd', 'e', 'a']) fragments.get(key, html(key));
    expect(renders).toEqual(['a']);
  });
});

describe('section pages with remembered questions', () => {
  let t: TestApp;
  let keyed: number;
  let remembered: Fragments;
  /** Pages served whole from memory (PageCache). */
  let wholePages: number;
  beforeEach(async () => {
    t = await createTestApp({ surveysDir: FIXTURE_SURVEYS, now: new Date('2026-06-01T12:00:00+03:00') });
    const fragments = createFragments();
    keyed = 0;
    remembered = {
      get(key, render) {
        if (key !== undefined) keyed++;
        return fragments.get(key, render);
      },
    };
    t.app.set('fragments', remembered);
    const pages = createPageCache();
    wholePages = 0;
    t.app.set('pages', {
      find(key) {
        const found = pages.find(key);
        if (found) wholePages++;
        return found;
      },
      keep: pages.keep,
    } satisfies PageCache);
  });
  afterEach(async () => {
    expect(t.logged).toEqual([]);
    await t.close();
  });

  /** The form's tokens differ on every page; all else must not. */
  const withoutTokens = (html: string) => html.replace(/name="(_csrf|_key)" value="[^"]*"/g, 'name="$1" value=""');

  /** The page twice from the remembered fragments (filling, then reusing them) and once rendered afresh. */
  async function expectSameAsFresh(label: string, load: () => Promise<{ status: number; text: string }>): Promise<string> {
    await load();
    const cached = await load();
    // Afresh: neither the questions nor the whole page (the app's own PageCache) remembered.
    const pages: unknown = t.app.get('pages');
    expect(pages).toBeDefined();
    t.app.set('fragments', undefined);
    t.app.set('pages', undefined);
    const fresh = await load();
    t.app.set('fragments', remembered);
    t.app.set('pages', pages);
    expect({ label, status: cached.status }).toEqual({ label, status: fresh.status });
    expect({ label, html: withoutTokens(cached.text) }).toEqual({ label, html: withoutTokens(fresh.text) });
    return cached.text;
  }

  it('are the same as rendered afresh: blank, answered, with errors, with same-page conditions, in both languages', async () => {
    const survey = t.catalog.find('tum-soru-tipleri')!;
    const base = '/anket/tum-soru-tipleri';
    for (const lang of ['tr', 'en']) {
      const agent = request.agent(t.app);
      await agent.get(`${base}?lang=${lang}`);
      for (let index = 0; index < survey.sections.length; index++) {
        const url = `${base}/${index + 1}`;
        const page = await expectSameAsFresh(`${lang} section ${index + 1} blank`, () => agent.get(url));
        // Sent empty: every required question shows its error (nothing is stored).
        await expectSameAsFresh(`${lang} section ${index + 1} with errors`, () =>
          agent.post(url).type('form').send(encodeForm({ ...hiddenFields(page), _nav: 'next' })),
        );
        // Refused values (too young, not a number) are shown back with their error.
        for (const yas of index === 2 ? ['5', 'abc'] : []) {
          await expectSameAsFresh(`${lang} section 3, age ${yas}`, () =>
            agent.post(url).type('form').send(encodeForm({ ...hiddenFields(page), _nav: 'next', yas })),
          );
        }
        await answerSection(agent, url, validSectionFields(survey, index));
      }
      const answered = keyed;
      // Back on answered sections: their questions show the answers, so none is taken from memory.
      for (let index = 0; index < survey.sections.length - 1; index++) {
        await expectSameAsFresh(`${lang} section ${index + 1} answered`, () => agent.get(`${base}/${index + 1}`));
      }
      expect(keyed).toBe(answered);
    }
    // Not vacuous: blank questions were taken from memory, and blank pages served whole from it.
    expect(keyed).toBeGreaterThan(20);
    expect(wholePages).toBeGreaterThanOrEqual(2 * survey.sections.length - 1);
  });
});
