// The GZFT candidates, counts and merges as plain data (server/analysis/report/swot-candidates.ts).
import {
  countSources,
  groupCandidates,
  institutionSwot,
  statementsOf,
  swotEntries,
  type Candidate,
  type InstitutionSwotAnswer,
  type SwotTheme,
} from '../../../server/analysis/report/swot-candidates';

const deprem: SwotTheme = { id: 1, name: 'Deprem ve afet riski', swotKind: 'threat', keywords: ['deprem', 'afet'] };
const hibe: SwotTheme = { id: 2, name: 'Hibe programları', swotKind: 'opportunity', keywords: [] };
const answer = (over: Partial<InstitutionSwotAnswer>): InstitutionSwotAnswer => ({ answerId: 10, stakeholderId: 1, group: 'universite', roleKind: 'threat', text: '', themes: null, ...over });
const same = (line: string) => line;

describe('statementsOf', () => {
  it('splits lines, ";" and bullets, and drops list marks', () => {
    expect(statementsOf('- Deprem riski\n2) Göç; • Kuraklık\n\n x')).toEqual(['Deprem riski', 'Göç', 'Kuraklık']);
  });
});

describe('institutionSwot', () => {
  it('keeps every line of an uncoded answer as a candidate in the question\'s quadrant', () => {
    const { candidates, mentions } = institutionSwot([answer({ text: 'Deprem riski\nYeşil alanların yapılaşmaya açılması' })], same);
    expect(candidates.map((c) => [c.kind, c.text])).toEqual([
      ['threat', 'Deprem riski'],
      ['threat', 'Yeşil alanların yapılaşmaya açılması'],
    ]);
    expect(mentions).toEqual([]);
  });

  describe('when a multi-line answer is coded', () => {
    it('counts the lines naming a theme under it and keeps the other lines as candidates', () => {
      const { candidates, mentions } = institutionSwot([answer({ text: 'Deprem riski taşıyan yapı stoku\nRant odaklı dönüşüm baskısı\nAFET planı yok', themes: [deprem] })], same);
      expect(candidates.map((c) => c.text)).toEqual(['Rant odaklı dönüşüm baskısı']);
      expect(mentions).toEqual([{ kind: 'threat', name: 'Deprem ve afet riski', source: { kind: 'institution', stakeholderId: 1, group: 'universite' } }]);
    });
  });

  it('a one-line coded answer belongs to its themes as a whole, even when it names none of them', () => {
    const { candidates, mentions } = institutionSwot([answer({ roleKind: 'opportunity', text: 'AB fonları', themes: [hibe] })], same);
    expect(candidates).toEqual([]);
    expect(mentions.map((m) => [m.kind, m.name])).toEqual([['opportunity', 'Hibe programları']]);
  });

  it('reviewed without a theme (coded, empty): every line stays a candidate', () => {
    expect(institutionSwot([answer({ text: 'A riski\nB riski', themes: [] })], same).candidates).toHaveLength(2);
  });

  it('keys a candidate by answer, line and text: the same line keeps its key, a changed text gets a new one', () => {
    const first = institutionSwot([answer({ text: 'Göç\nKuraklık' })], same).candidates;
    const again = institutionSwot([answer({ text: 'Göç\nKuraklık' })], same).candidates;
    const changed = institutionSwot([answer({ text: 'Göç\nKuraklık ve yangın' })], same).candidates;
    expect(again.map((c) => c.key)).toEqual(first.map((c) => c.key));
    expect(changed[0]!.key).toBe(first[0]!.key);
    expect(changed[1]!.key).not.toBe(first[1]!.key);
    expect(first[0]!.key).toMatch(/^inst:10:0:[0-9a-f]{10}$/);
  });

  it('cleans each line for publication', () => {
    expect(institutionSwot([answer({ text: 'Ara: 0532 000 11 22' })], (line) => line.replace(/\d[\d ]+/, '[telefon]')).candidates[0]!.text).toBe('Ara: [telefon]');
  });
});

const inst = (stakeholderId: number, group = 'universite') => ({ kind: 'institution' as const, stakeholderId, group });
const candidate = (key: string, text: string, source: Candidate['source'], kind: Candidate['kind'] = 'threat'): Candidate => ({ key, kind, text, source });

describe('countSources', () => {
  it('counts an institution once per item, each meeting request once, and citizens with their respondents', () => {
    expect(countSources([inst(1), inst(1, 'universite'), inst(2, 'meslek_odasi'), { kind: 'meeting', requestId: 7 }, { kind: 'meeting', requestId: 8 }, { kind: 'citizen', respondents: 12, detail: 'n = 12' }])).toEqual({
      institutions: 2,
      meetings: 2,
      citizens: 12,
      groups: ['universite', 'meslek_odasi'],
      details: ['n = 12'],
    });
  });
});

describe('groupCandidates', () => {
  it('puts the same statement in the same quadrant together, whatever its case and final stop', () => {
    const groups = groupCandidates([
      candidate('a', 'Yeşil alanların yapılaşmaya açılması', inst(1)),
      candidate('b', 'YEŞİL ALANLARIN yapılaşmaya açılması.', inst(2)),
      candidate('c', 'Yeşil alanların yapılaşmaya açılması', inst(3), 'weakness'),
    ]);
    expect(groups.map((g) => [g.kind, g.candidates.map((c) => c.key)])).toEqual([
      ['threat', ['a', 'b']],
      ['weakness', ['c']],
    ]);
  });
});

describe('swotEntries', () => {
  const candidates = [candidate('a', 'Yeşil alan', inst(1)), candidate('b', 'Yeşil alan.', inst(2, 'meslek_odasi')), candidate('c', 'Göç', { kind: 'meeting', requestId: 5 }), candidate('d', 'Rant', inst(1))];
  const mentions = [
    { kind: 'threat' as const, name: 'Deprem', source: inst(1) },
    { kind: 'threat' as const, name: 'deprem', source: inst(2) },
  ];

  it('leaves unreviewed candidates out and says which are pending', () => {
    const state = swotEntries(candidates, mentions, [], []);
    expect(state.entries.map((e) => [e.key, e.sources.length])).toEqual([['threat:theme:deprem', 2]]);
    expect(state.pending.map((c) => c.key)).toEqual(['a', 'b', 'c', 'd']);
    expect(state.reviewed).toEqual([]);
  });

  it('an item keeps the union of the sources of the candidates merged into it; a dropped one adds nothing', () => {
    const state = swotEntries(
      candidates,
      mentions,
      [
        { candidateKey: 'a', decision: 'merged', itemId: 1 },
        { candidateKey: 'b', decision: 'merged', itemId: 1 },
        { candidateKey: 'c', decision: 'merged', itemId: 1 },
        { candidateKey: 'd', decision: 'dropped', itemId: null },
      ],
      [{ id: 1, kind: 'threat', text: 'Yapılaşma baskısı' }],
    );
    const item = state.entries.find((e) => e.key === 'threat:item:1')!;
    expect(item.text).toBe('Yapılaşma baskısı');
    expect(countSources(item.sources)).toMatchObject({ institutions: 2, meetings: 1 });
    expect(state.pending).toEqual([]);
    expect(state.reviewed.map((c) => c.key)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a review of a candidate that is gone (its text changed) is ignored and the new text is pending; an item nobody names is left out', () => {
    const state = swotEntries([candidate('a2', 'Yeşil alanlar yapılaşıyor', inst(1))], [], [{ candidateKey: 'a', decision: 'accepted', itemId: 1 }], [{ id: 1, kind: 'threat', text: 'Yeşil alan' }]);
    expect(state.entries).toEqual([]);
    expect(state.pending.map((c) => c.key)).toEqual(['a2']);
  });
});
