// The numbers a paper questionnaire carries, shared with the entry grid: questions in definition
// order across sections, matrix rows as 6a, 6b…, options by position, "Diğer" after the last,
// likert points by position with "Bilgim yok" after them, ratings by value; conditions in words.
import { createI18n } from '../../../server/platform/i18n/i18n';
import { localize } from '../../../server/platform/i18n/localize';
import { conditionInWords, numberedChoices, paperQuestions, rowLetter } from '../../../server/surveys/paper/paper-numbering';
import { loadCatalog } from '../../../server/surveys/survey-catalog';
import type { Condition } from '../../../server/surveys/survey-definition';
import { BUNDLED_SURVEYS, FIXTURE_SURVEYS } from '../../helpers/test-app';

const fixture = loadCatalog(FIXTURE_SURVEYS).find('tum-soru-tipleri')!;
const { translators } = createI18n();
const words = (lang: 'tr' | 'en') => ({ t: translators[lang], text: (value: Parameters<typeof localize>[0]) => localize(value, lang).text });
const numbered = paperQuestions(fixture);
const item = (id: string) => numbered.find((q) => q.question.id === id)!;
const codes = (id: string) => item(id).choices.map((c) => `${c.number}:${c.id}`);

describe('rowLetter', () => {
  it('goes a…z, then aa, ab…', () => {
    expect([0, 1, 25, 26, 27, 51, 52].map(rowLetter)).toEqual(['a', 'b', 'z', 'aa', 'ab', 'az', 'ba']);
  });
});

describe('paperQuestions', () => {
  it('numbers questions in definition order across sections', () => {
    expect(numbered.map((q) => q.number)).toEqual(Array.from({ length: 23 }, (_, i) => String(i + 1)));
    expect(numbered.map((q) => q.question.id).slice(0, 8)).toEqual(['renk', 'ulasim', 'mahalle', 'evcil', 'evcil_adi', 'memnuniyet', 'puan', 'oncelik']);
    expect(item('metro_yorum')).toMatchObject({ number: '12', sectionIndex: 2 });
  });

  it('numbers options by position, "Diğer" after the last', () => {
    expect(codes('renk')).toEqual(['1:kirmizi', '2:mavi', '3:other']);
    expect(codes('ulasim')).toEqual(['1:otobus', '2:metro', '3:bisiklet', '4:hicbiri', '5:other']);
    expect(codes('mahalle')).toEqual(['1:merkez', '2:cami', '3:istasyon']);
    expect(codes('hizmet_sirasi')).toEqual(['1:park', '2:kutuphane', '3:spor', '4:other']);
    expect(item('renk').choices[2]).toEqual({ number: 3, id: 'other', label: null, kind: 'other' });
  });

  it('gives a matrix a line per row (6a, 6b…) answered by the scale point\'s position, "Bilgim yok" after them', () => {
    expect(item('memnuniyet').rows.map((r) => `${r.number}:${r.row.id}`)).toEqual(['6a:temizlik', '6b:parklar', '6c:yollar']);
    expect(codes('memnuniyet')).toEqual(['1:1', '2:2', '3:3', '4:4', '5:5', '6:na']);
    expect(codes('hizmet_kalitesi')).toEqual(['1:1', '2:2', '3:3', '4:4', '5:na']);
    expect(item('renk').rows).toEqual([]);
  });

  it('answers a rating with its value, and texts, numbers and dates with no numbers', () => {
    expect(codes('puan')).toEqual(['0:0', '1:1', '2:2', '3:3', '4:4', '5:5', '6:6', '7:7', '8:8', '9:9', '10:10']);
    expect(codes('iletisim_puani')).toEqual(['1:1', '2:2', '3:3', '4:4', '5:5']);
    for (const id of ['gorus', 'yas', 'tarih', 'metro_yorum']) expect(numberedChoices(item(id).question)).toEqual([]);
  });

  it('numbers the citizen survey\'s "Cinsiyetiniz" 1 with Kadın 1, Erkek 2', () => {
    const citizen = paperQuestions(loadCatalog(BUNDLED_SURVEYS).find('vatandas-anketi')!);
    expect(citizen[0]!.number).toBe('1');
    expect(citizen[0]!.choices.map((c) => `${c.number} ${localize(c.label!, 'tr').text}`)).toEqual(['1 Kadın', '2 Erkek', '3 Belirtmek istemiyorum']);
  });
});

describe('conditionInWords', () => {
  const say = (id: string, lang: 'tr' | 'en' = 'tr') => conditionInWords(item(id).question.showWhen!, numbered, words(lang));

  it('names the question by number and the option by its words and number', () => {
    expect(say('evcil_adi')).toBe('Yalnızca 4. soruda “Evet” (1) yanıtını verdiyseniz yanıtlayın.');
    expect(say('evcil_adi', 'en')).toBe('Answer only if you answered “Yes” (1) to question 4.');
    expect(say('metro_yorum')).toBe('Yalnızca 2. soruda “Metro” (2) seçeneğini işaretlediyseniz yanıtlayın.');
    expect(say('mavi_degil')).toBe('Yalnızca 1. soruda “Mavi” (2) dışında bir yanıt verdiyseniz yanıtlayın.');
    expect(say('renk_nedeni')).toBe('Yalnızca 1. soruda “Kırmızı” (1) ya da “Diğer (belirtiniz)” (3) yanıtlarından birini verdiyseniz yanıtlayın.');
  });

  it('says a banded number\'s band by its words', () => {
    expect(say('genc_notu')).toBe('Yalnızca 17. soruda “18–29” yanıtını verdiyseniz yanıtlayın.');
  });

  it('reads a combination as one sentence, nested parts in parentheses', () => {
    expect(say('kirmizi_yolcu')).toBe(
      'Yalnızca 1. soruda “Kırmızı” (1) yanıtını verdiyseniz ve (2. soruda “Metro” (2) seçeneğini işaretlediyseniz ya da 4. soruda “Evet” (1) yanıtını verdiyseniz) yanıtlayın.',
    );
    expect(say('kirmizi_yolcu', 'en')).toBe(
      'Answer only if you answered “Red” (1) to question 1 and (you ticked “Metro” (2) in question 2 or you answered “Yes” (1) to question 4).',
    );
    const single: Condition = { all: [{ question: 'evcil', equals: 'hayir' }] };
    expect(conditionInWords(single, numbered, words('tr'))).toBe('Yalnızca 4. soruda “Hayır” (2) yanıtını verdiyseniz yanıtlayın.');
  });
});
