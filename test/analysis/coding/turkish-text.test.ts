// The Turkish analysis under search and grouping: stems folded so a phone keyboard's "cop" meets
// "ÇÖPLER", and stop words left out as written (before stemming), without taking real words with them.
import { isStopWord, termOf, terms, words } from '../../../server/analysis/coding/turkish-text';

describe('terms', () => {
  it('folds case and Turkish letters the Turkish way and cuts suffixes', () => {
    expect(['ÇÖP', 'cop', 'çöpler', 'çöplerin'].map(termOf)).toEqual(['cop', 'cop', 'cop', 'cop']);
    expect(['İzmir', 'izmir', 'IZMIR'].map(termOf)).toEqual(['izmir', 'izmir', 'izmir']);
  });

  it('leaves out stop words as written, so one that stems to a word ("için" → "iç") goes too', () => {
    expect(terms('Çocuklar için park yapılsın')).toEqual(['cocuk', termOf('park'), termOf('yapılsın')]);
    expect(terms('cok guzel olur')).not.toContain('cok');
  });

  it('keeps "su" (water), which folds like "şu" (that)', () => {
    expect(isStopWord('şu')).toBe(true);
    expect(isStopWord('su')).toBe(false);
    expect(terms('Şu sokakta su kesiliyor')).toEqual([termOf('sokakta'), 'su', termOf('kesiliyor')]);
  });

  it('gives each word with its place in the text, for highlighting', () => {
    expect(words('Çöp, PARK!')).toEqual([
      { word: 'çöp', start: 0, end: 3 },
      { word: 'park', start: 5, end: 9 },
    ]);
  });
});
