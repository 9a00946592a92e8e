// Where an answer may be cut into parts, and which confirmed cuts are accepted (server/analysis/coding/segments.ts).
import { checkSplit, MAX_SEGMENTS, suggestSegments } from '../../../server/analysis/coding/segments';

describe('suggestSegments', () => {
  it('cuts at line breaks and drops list markers', () => {
    expect(suggestSegments('- Çöpler toplanmıyor\n2) Parklar bakımsız\n• Yollar bozuk')).toEqual(['Çöpler toplanmıyor', 'Parklar bakımsız', 'Yollar bozuk']);
  });

  it('cuts a line at sentence ends followed by a capital, Turkish capitals included', () => {
    expect(suggestSegments('Çöpler geç toplanıyor. İskele tarafında park yok! Otobüsler seyrek mi? Ücretler yüksek.')).toEqual([
      'Çöpler geç toplanıyor.',
      'İskele tarafında park yok!',
      'Otobüsler seyrek mi?',
      'Ücretler yüksek.',
    ]);
  });

  it('does not cut after an abbreviation, a decimal or a full stop followed by a small letter', () => {
    expect(suggestSegments('Dr. Ayşe Hanım 2.5 saat bekledi. vb. şeyler oluyor')).toEqual([]);
    expect(suggestSegments('Sağlık ocağı uzak, örn. Cami Mah. tarafı. Otopark yok.')).toEqual(['Sağlık ocağı uzak, örn. Cami Mah. tarafı.', 'Otopark yok.']);
  });

  it('suggests nothing for an answer with one point', () => {
    expect(suggestSegments('Çöpler zamanında toplanmıyor')).toEqual([]);
    expect(suggestSegments('  \n ')).toEqual([]);
  });

  it(`stops at ${MAX_SEGMENTS} parts`, () => {
    const text = Array.from({ length: 30 }, (_, i) => `Madde ${i + 1}`).join('\n');
    expect(suggestSegments(text)).toHaveLength(MAX_SEGMENTS);
  });
});

describe('checkSplit', () => {
  const answer = 'Çöpler geç toplanıyor.\nParklar bakımsız, banklar kırık.\nYollar bozuk';

  it('accepts the suggestion and parts joined or cut by the planner, spaces squeezed', () => {
    expect(checkSplit(answer, suggestSegments(answer))).toEqual({ ok: true, parts: ['Çöpler geç toplanıyor.', 'Parklar bakımsız, banklar kırık.', 'Yollar bozuk'] });
    expect(checkSplit(answer, ['Çöpler geç toplanıyor. Parklar bakımsız,', '  banklar   kırık.', ''])).toEqual({ ok: true, parts: ['Çöpler geç toplanıyor. Parklar bakımsız,', 'banklar kırık.'] });
  });

  it('refuses fewer than two parts and too many', () => {
    expect(checkSplit(answer, [answer])).toEqual({ ok: false, reason: 'too_few' });
    expect(checkSplit(answer, ['', ' '])).toEqual({ ok: false, reason: 'too_few' });
    expect(checkSplit('a '.repeat(30), Array.from({ length: MAX_SEGMENTS + 1 }, () => 'a'))).toEqual({ ok: false, reason: 'too_many' });
  });

  it('refuses words the person did not write, parts out of order and the same words twice', () => {
    expect(checkSplit(answer, ['Çöpler geç toplanıyor.', 'Belediye başkanı istifa etsin'])).toEqual({ ok: false, reason: 'not_in_answer' });
    expect(checkSplit(answer, ['Yollar bozuk', 'Çöpler geç toplanıyor.'])).toEqual({ ok: false, reason: 'not_in_answer' });
    expect(checkSplit(answer, ['Yollar bozuk', 'Yollar bozuk'])).toEqual({ ok: false, reason: 'not_in_answer' });
  });
});
