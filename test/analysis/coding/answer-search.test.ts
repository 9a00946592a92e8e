// The Turkish-aware search of open answers: parsing the query, matching by stem, hits for highlighting.
import { highlight, keysOf, matchAnswer, parseQuery, PROTECTED_WORDS, ruleSuggestions, wordMatches, type Query } from '../../../server/analysis/coding/answer-search';

function query(text: string): Query {
  const parsed = parseQuery(text);
  if (!parsed.ok) throw new Error(`query ${text} refused: ${parsed.error}`);
  return parsed.query;
}
const finds = (q: string, text: string) => matchAnswer(query(q), text) !== null;
/** The matched parts of the text, as the page marks them. */
const marked = (q: string, text: string) => (matchAnswer(query(q), text) ?? []).map((hit) => text.slice(hit.start, hit.end));

describe('parseQuery', () => {
  it('reads words, quoted phrases, exclusions and starred prefixes', () => {
    const q = query('çöp "toplu taşıma" -park ışık*');
    expect(q.include.map((phrase) => phrase.map((w) => w.keys.surface))).toEqual([['cop'], ['toplu', 'tasima'], ['isik']]);
    expect(q.include[2]![0]!.prefix).toBe(true);
    expect(q.exclude.map((phrase) => phrase.map((w) => w.keys.surface))).toEqual([['park']]);
  });

  it('refuses what it cannot search, saying why', () => {
    expect(parseQuery('   ')).toEqual({ ok: false, error: 'empty' });
    expect(parseQuery('"" ,.;')).toEqual({ ok: false, error: 'empty' });
    expect(parseQuery('-park')).toEqual({ ok: false, error: 'only_exclusions' });
    expect(parseQuery('"çöp kutusu')).toEqual({ ok: false, error: 'unclosed_quote' });
    expect(parseQuery('ış*')).toEqual({ ok: false, error: 'short_prefix' });
    expect(parseQuery('çöp '.repeat(100))).toEqual({ ok: false, error: 'too_long' });
  });
});

describe('matchAnswer: Turkish folding and stems', () => {
  it.each(['ÇÖP', 'cop', 'çöp', 'çöpler', 'çöplerin'])('“%s” finds “çöp”', (q) => {
    expect(finds(q, 'Mahallede çöp sorunu var')).toBe(true);
  });

  it('finds inflected forms of the query word', () => {
    expect(marked('çöp', 'Çöpler toplanmıyor, çöplerin kokusu, ÇÖPÜ kimse almıyor')).toEqual(['Çöpler', 'çöplerin', 'ÇÖPÜ']);
    expect(finds('yol', 'Yolların hepsi bozuk')).toBe(true);
    expect(finds('park', 'Parkta oturacak yer yok')).toBe(true);
  });

  it('folds dotted and dotless I the Turkish way: İzmir, izmir and IZMIR are one word, ISIK is ışık', () => {
    expect(finds('İzmir', 'izmir yolu')).toBe(true);
    expect(finds('izmir', 'İZMİR caddesi')).toBe(true);
    expect(finds('IZMIR', 'İzmir’de')).toBe(true);
    expect(finds('ISIK', 'Sokakta ışık yok')).toBe(true);
    expect(finds('ışık', 'IŞIKLAR yanmıyor')).toBe(true);
    expect(finds('isik', 'Işığı yok')).toBe(true);
  });

  it('keeps “ışık” apart from the longer word “ışıklandırma” unless a star asks for it', () => {
    expect(finds('ISIK', 'Parkın ışıklandırması yetersiz')).toBe(false);
    expect(finds('ışıklandırma', 'Sokakta ışık yok')).toBe(false);
    expect(marked('ışık*', 'Parkın ışıklandırması yetersiz, ışık yok')).toEqual(['ışıklandırması', 'ışık']);
  });

  it('bridges a bare noun that Snowball cuts too far and its inflected forms', () => {
    // Snowball: "belediye" → "beledi" but "belediyeden" → "belediye"; "kütüphane" → "kutupha".
    expect(finds('belediye', 'Belediyeden kimse gelmedi')).toBe(true);
    expect(finds('belediyeden', 'Belediye ilgilenmiyor')).toBe(true);
    expect(finds('kütüphane', 'Kütüphaneler kapalı')).toBe(true);
    expect(finds('kaldırım', 'Kaldırımlar çok dar')).toBe(true);
    expect(finds('kaldırımlar', 'Kaldırım yok')).toBe(true);
  });

  it('finds the words that begin with a whole query word of five letters or more, where Snowball cuts past the root', () => {
    // Snowball: "asfaltı" → "asfal", "kaldırımların" → "kaldir", "telefonla" → "telefo".
    expect(marked('asfalt', 'Ara sokakların asfaltı berbat, asfaltın yaması yok')).toEqual(['asfaltı', 'asfaltın']);
    expect(finds('kaldırım', 'Kaldırımların yüksekliği çok fazla')).toBe(true);
    expect(finds('telefon', 'Telefonla aradım')).toBe(true);
    // Shorter words do not: "park" would find "parti", "ışık" "ışıklandırma".
    expect(finds('park', 'Her partiden söz')).toBe(false);
  });
});

describe('matchAnswer: a stemmer merging unrelated words is caught', () => {
  it.each([
    ['kaldırım', 'Bu vergi kaldırılsın'],
    ['kaldırım', 'Bizde kal dedi'],
    ['kaldır', 'Kaldırım bozuk'],
    ['park', 'Her parti söz verdi'],
    ['yol', 'Yolcular bekliyor'],
    ['kültür', 'Kule yapılsın'],
    ['kadın', 'Kadı kararı'],
    ['temiz', 'Tek çözüm bu'],
  ])('“%s” does not find “%s”', (q, text) => {
    expect(finds(q, text)).toBe(false);
  });

  it('relies on the protected words: without them Snowball merges kaldırım (sidewalk) with kaldır (remove)', () => {
    expect(PROTECTED_WORDS.has('kaldirim')).toBe(true);
    expect(keysOf('kaldırım')).toEqual({ surface: 'kaldirim', stem: null });
    // What Snowball alone would say: the same key for the two words.
    const unprotected = { keys: { surface: 'kaldirim', stem: 'kaldir' }, prefix: false };
    expect(wordMatches(unprotected, keysOf('kaldır'))).toBe(true);
    expect(wordMatches({ keys: keysOf('kaldırım'), prefix: false }, keysOf('kaldır'))).toBe(false);
  });

  it('links two words by a stem cut below three letters only to the word typed', () => {
    // Snowball: "temiz" → "te", "temin" → "te", "deniz" → "de", "sular" → "su".
    expect(finds('temiz', 'Malzeme temin edilsin')).toBe(false);
    expect(finds('deniz', 'Bizde de yok')).toBe(false);
    expect(finds('temiz', 'Sokaklar temizlensin, temizler')).toBe(true);
    expect(finds('su', 'Sular kesik')).toBe(true);
  });
});

describe('matchAnswer: phrases, exclusions, every word required', () => {
  it('needs every word, anywhere', () => {
    expect(finds('çöp park', 'Parkta çöp var')).toBe(true);
    expect(finds('çöp otobüs', 'Parkta çöp var')).toBe(false);
  });

  it('matches a quoted phrase only as words in a row, inflected', () => {
    expect(marked('"toplu taşıma"', 'Toplu taşıma yetersiz, toplu olarak taşıma')).toEqual(['Toplu taşıma']);
    expect(finds('"çöp kutusu"', 'kutusu çöp')).toBe(false);
  });

  it('leaves out answers with an excluded word or phrase', () => {
    expect(finds('çöp -park', 'Çöp toplanmıyor')).toBe(true);
    expect(finds('çöp -park', 'Parklarda çöp var')).toBe(false);
    expect(finds('çöp -"toplu taşıma"', 'Çöp ve toplu taşıma')).toBe(false);
    expect(finds('çöp -"toplu taşıma"', 'Çöp toplu değil, taşıma başka')).toBe(true);
  });
});

describe('highlight', () => {
  it('cuts the text into plain and matched pieces, joining overlapping hits', () => {
    const text = 'Çöp kutusu dolu, çöp';
    const hits = matchAnswer(query('"çöp kutusu" çöp'), text)!;
    expect(highlight(text, hits)).toEqual([
      { text: 'Çöp kutusu', hit: true },
      { text: ' dolu, ', hit: false },
      { text: 'çöp', hit: true },
    ]);
  });
});

describe('ruleSuggestions', () => {
  it('gives the themes whose rule matches, with the rule’s words marked, and skips themes without a rule or with a broken one', () => {
    const themes = [
      { id: 1, rule: 'çöp -park' },
      { id: 2, rule: null },
      { id: 3, rule: 'konteyner' },
      { id: 4, rule: '"bozuk' },
    ];
    const found = ruleSuggestions('Çöpler toplanmıyor, konteyner yok', themes);
    expect(found.map((s) => s.theme.id)).toEqual([1, 3]);
    expect(found[0]!.pieces.filter((p) => p.hit).map((p) => p.text)).toEqual(['Çöpler']);
  });
});
