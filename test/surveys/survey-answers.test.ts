import { loadCatalog } from '../../server/surveys/survey-catalog';
import { answerRows, answersToFields, fieldNames, parseQuestion, type FormFields } from '../../server/surveys/survey-answers';
import { QuestionFile, type Question, type QuestionKind, type QuestionOf } from '../../server/surveys/survey-definition';
import { FIXTURE_SURVEYS } from '../helpers/test-app';

const survey = loadCatalog(FIXTURE_SURVEYS).find('tum-soru-tipleri')!;
function question<K extends QuestionKind>(id: string, kind: K): QuestionOf<K> {
  const found = survey.sections.flatMap((s) => s.questions).find((q) => q.id === id);
  if (!found || found.kind !== kind) throw new Error(`fixture has no ${kind} ${id}`);
  return found as QuestionOf<K>;
}
/** A question with inline options, parsed through the schema so defaults apply. */
function inline(json: object): Question {
  return QuestionFile.parse({ text: { tr: 'Soru' }, ...json }) as Question;
}
const parse = (q: Question, fields: FormFields) => parseQuestion(q, fields);

describe('parseQuestion', () => {
  describe('single_choice', () => {
    const renk = question('renk', 'single_choice');

    it('accepts an option id', () => {
      expect(parse(renk, { renk: 'mavi' })).toEqual({ answer: { kind: 'single_choice', optionId: 'mavi' } });
    });
    it('treats a missing or blank value as unanswered', () => {
      expect(parse(renk, {})).toEqual({});
      expect(parse(renk, { renk: '  ' })).toEqual({});
    });
    it('refuses a value that is not an option', () => {
      expect(parse(renk, { renk: 'yesil' }).error).toEqual({ code: 'invalid_option', field: 'renk' });
    });
    it('refuses a list where one value belongs', () => {
      expect(parse(renk, { renk: ['mavi', 'kirmizi'] }).error).toEqual({ code: 'invalid_value', field: 'renk' });
    });
    it('takes "other" with its text, and requires the text', () => {
      expect(parse(renk, { renk: 'other', 'renk.other': ' Mor ' }).answer).toEqual({
        kind: 'single_choice',
        optionId: 'other',
        otherText: 'Mor',
      });
      expect(parse(renk, { renk: 'other', 'renk.other': '' }).error).toEqual({ code: 'other_text_required', field: 'renk.other' });
    });
    describe('when text is typed in the "other" box without choosing "other"', () => {
      it('takes it as the answer "other" when no option is chosen', () => {
        expect(parse(renk, { 'renk.other': ' Mor ' })).toEqual({ answer: { kind: 'single_choice', optionId: 'other', otherText: 'Mor' } });
      });
      it('refuses it beside another option, so neither the choice nor the text is lost silently', () => {
        expect(parse(renk, { renk: 'mavi', 'renk.other': 'Mor' })).toEqual({ error: { code: 'other_not_chosen', field: 'renk.other' } });
      });
      it('ignores a blank box', () => {
        expect(parse(renk, { renk: 'mavi', 'renk.other': '  ' })).toEqual({ answer: { kind: 'single_choice', optionId: 'mavi' } });
      });
    });
    it('limits the "other" text to 200 characters', () => {
      expect(parse(renk, { renk: 'other', 'renk.other': 'a'.repeat(201) }).error?.code).toBe('too_long');
    });
    it('refuses "other" when the question has no other option', () => {
      expect(parse(question('evcil', 'single_choice'), { evcil: 'other' }).error?.code).toBe('invalid_option');
    });
  });

  describe('multiple_choice', () => {
    const ulasim = question('ulasim', 'multiple_choice');

    it('accepts one or several options, in the order of the definition, without duplicates', () => {
      expect(parse(ulasim, { ulasim: ['bisiklet', 'otobus', 'otobus'] }).answer).toEqual({
        kind: 'multiple_choice',
        optionIds: ['otobus', 'bisiklet'],
      });
      expect(parse(ulasim, { ulasim: 'metro' }).answer).toEqual({ kind: 'multiple_choice', optionIds: ['metro'] });
    });
    it('refuses more than maxSelections', () => {
      expect(parse(ulasim, { ulasim: ['otobus', 'metro', 'bisiklet'] }).error).toEqual({
        code: 'too_many_choices',
        field: 'ulasim',
        params: { max: 2 },
      });
    });
    it('refuses fewer than minSelections', () => {
      const q = inline({
        kind: 'multiple_choice',
        id: 'q',
        minSelections: 2,
        options: [
          { id: 'a', label: { tr: 'A' } },
          { id: 'b', label: { tr: 'B' } },
        ],
      });
      expect(parse(q, { q: 'a' }).error).toEqual({ code: 'too_few_choices', field: 'q', params: { min: 2 } });
    });
    it('refuses an exclusive option together with others', () => {
      expect(parse(ulasim, { ulasim: ['hicbiri', 'metro'] }).error).toEqual({
        code: 'exclusive',
        field: 'ulasim',
        params: { option: 'hicbiri' },
      });
      expect(parse(ulasim, { ulasim: 'hicbiri' }).answer).toEqual({ kind: 'multiple_choice', optionIds: ['hicbiri'] });
    });
    it('refuses unknown options', () => {
      expect(parse(ulasim, { ulasim: ['metro', 'ucak'] }).error?.code).toBe('invalid_option');
    });
    it('takes text typed in the "other" box as ticking "other", with or without other options', () => {
      expect(parse(ulasim, { ulasim: ['otobus'], 'ulasim.other': 'Dolmuş' })).toEqual({
        answer: { kind: 'multiple_choice', optionIds: ['otobus', 'other'], otherText: 'Dolmuş' },
      });
      expect(parse(ulasim, { 'ulasim.other': 'Dolmuş' })).toEqual({ answer: { kind: 'multiple_choice', optionIds: ['other'], otherText: 'Dolmuş' } });
      // Ticked with an exclusive "none of these", it is refused like any other option.
      expect(parse(ulasim, { ulasim: ['hicbiri'], 'ulasim.other': 'Dolmuş' }).error?.code).toBe('exclusive');
    });
    it('needs the text when "other" is ticked', () => {
      expect(parse(ulasim, { ulasim: ['other'] }).error?.code).toBe('other_text_required');
      expect(parse(ulasim, { ulasim: ['other'], 'ulasim.other': 'Tramvay' }).answer).toEqual({
        kind: 'multiple_choice',
        optionIds: ['other'],
        otherText: 'Tramvay',
      });
    });
  });

  describe('likert_matrix', () => {
    const memnuniyet = question('memnuniyet', 'likert_matrix');

    it('reads every row, with "Bilgim yok" as na', () => {
      expect(
        parse(memnuniyet, { 'memnuniyet.temizlik': '5', 'memnuniyet.parklar': 'na', 'memnuniyet.yollar': '1' }).answer,
      ).toEqual({ kind: 'likert_matrix', rows: { temizlik: 5, parklar: 'na', yollar: 1 } });
    });
    it('needs every row of a required matrix, pointing at the first missing one', () => {
      expect(parse(memnuniyet, { 'memnuniyet.temizlik': '5' }).error).toEqual({
        code: 'rows_required',
        field: 'memnuniyet.parklar',
      });
    });
    it('allows some rows of an optional matrix', () => {
      const q = { ...memnuniyet, required: false };
      expect(parse(q, { 'memnuniyet.yollar': '2' }).answer).toEqual({ kind: 'likert_matrix', rows: { yollar: 2 } });
    });
    it('refuses values off the scale, and na when the matrix has no "Bilgim yok"', () => {
      expect(parse(memnuniyet, { 'memnuniyet.temizlik': '6' }).error?.code).toBe('invalid_option');
      const withoutNa = { ...memnuniyet, notApplicable: undefined, required: false };
      expect(parse(withoutNa, { 'memnuniyet.temizlik': 'na' }).error?.code).toBe('invalid_option');
    });
  });

  describe('rating', () => {
    const puan = question('puan', 'rating');

    it('accepts 0 to 10 on a 0-10 scale', () => {
      expect(parse(puan, { puan: '0' }).answer).toEqual({ kind: 'rating', value: 0 });
      expect(parse(puan, { puan: '10' }).answer).toEqual({ kind: 'rating', value: 10 });
    });
    it('refuses values outside the scale and non-numbers', () => {
      expect(parse(puan, { puan: '11' }).error?.code).toBe('invalid_option');
      expect(parse(puan, { puan: '5.5' }).error?.code).toBe('invalid_value');
      const oneToFive = inline({ kind: 'rating', id: 'r', scale: '1-5' });
      expect(parse(oneToFive, { r: '0' }).error?.code).toBe('invalid_option');
      expect(parse(oneToFive, { r: '5' }).answer).toEqual({ kind: 'rating', value: 5 });
    });
  });

  describe('ranking', () => {
    const oncelik = question('oncelik', 'ranking');

    it('reads the chosen items in rank order', () => {
      expect(parse(oncelik, { 'oncelik.1': 'yollar', 'oncelik.2': 'temizlik' }).answer).toEqual({
        kind: 'ranking',
        itemIds: ['yollar', 'temizlik'],
      });
    });
    it('refuses the same item at two ranks', () => {
      expect(parse(oncelik, { 'oncelik.1': 'yollar', 'oncelik.2': 'yollar' }).error).toEqual({
        code: 'duplicate_rank',
        field: 'oncelik.2',
        params: { rank: 2 },
      });
    });
    it('refuses a gap before a filled rank', () => {
      expect(parse(oncelik, { 'oncelik.2': 'yollar' }).error).toEqual({
        code: 'missing_rank',
        field: 'oncelik.1',
        params: { rank: 1 },
      });
    });
    it('needs rankCount items by default, or minRanked when set', () => {
      expect(parse(oncelik, { 'oncelik.1': 'yollar' }).error).toEqual({
        code: 'too_few_ranks',
        field: 'oncelik.2',
        params: { min: 2 },
      });
      expect(parse({ ...oncelik, minRanked: 1 }, { 'oncelik.1': 'yollar' }).answer).toEqual({
        kind: 'ranking',
        itemIds: ['yollar'],
      });
    });
    it('refuses items that are not in the list', () => {
      expect(parse(oncelik, { 'oncelik.1': 'uzay', 'oncelik.2': 'yollar' }).error?.code).toBe('invalid_option');
    });
  });

  describe('short_text and long_text', () => {
    const gorus = question('gorus', 'long_text');

    it('trims, normalises line ends and drops control characters', () => {
      expect(parse(gorus, { gorus: '  iki\r\nsatır\u0000 ' }).answer).toEqual({ kind: 'long_text', text: 'iki\nsatır' });
    });
    it('counts characters, not bytes, against maxLength', () => {
      expect(parse(gorus, { gorus: 'ş'.repeat(50) }).answer).toEqual({ kind: 'long_text', text: 'ş'.repeat(50) });
      expect(parse(gorus, { gorus: 'ş'.repeat(51) }).error).toEqual({ code: 'too_long', field: 'gorus', params: { max: 50 } });
    });
    it('keeps HTML and SQL as plain text (they are escaped on output, bound in SQL)', () => {
      const text = "<script>alert(1)</script>'; DROP TABLE answers;--";
      const q = inline({ kind: 'long_text', id: 'g' });
      expect(parse(q, { g: text }).answer).toEqual({ kind: 'long_text', text });
    });
    it('refuses line breaks in a short text', () => {
      const q = inline({ kind: 'short_text', id: 's' });
      expect(parse(q, { s: 'bir\niki' }).error?.code).toBe('invalid_value');
    });
  });

  describe('number', () => {
    const yas = question('yas', 'number');
    const tutar = question('tutar', 'number');

    it('accepts a decimal comma and a decimal point', () => {
      expect(parse(tutar, { tutar: '12,5' }).answer).toEqual({ kind: 'number', value: 12.5 });
      expect(parse(tutar, { tutar: '12.5' }).answer).toEqual({ kind: 'number', value: 12.5 });
    });
    it('reads thousands separators the way people write them, and asks when a separator is ambiguous', () => {
      const count = inline({ kind: 'number', id: 'n', integer: true });
      expect(parse(count, { n: '1.000' }).answer).toEqual({ kind: 'number', value: 1000 });
      expect(parse(count, { n: '1,000' }).answer).toEqual({ kind: 'number', value: 1000 });
      expect(parse(count, { n: '12 500' }).answer).toEqual({ kind: 'number', value: 12500 });
      expect(parse(count, { n: '1.000.000' }).answer).toEqual({ kind: 'number', value: 1000000 });
      expect(parse(tutar, { tutar: '1.250,75' }).answer).toEqual({ kind: 'number', value: 1250.75 });
      expect(parse(tutar, { tutar: '1,250.75' }).answer).toEqual({ kind: 'number', value: 1250.75 });
      expect(parse(tutar, { tutar: '0,125' }).answer).toEqual({ kind: 'number', value: 0.125 });
      expect(parse(tutar, { tutar: '2.500' }).error).toEqual({ code: 'ambiguous_number', field: 'tutar' });
      expect(parse(tutar, { tutar: '1.2.3' }).error?.code).toBe('not_a_number');
      expect(parse(tutar, { tutar: '12.' }).error?.code).toBe('not_a_number');
      expect(parse(tutar, { tutar: '1.25,5' }).error?.code).toBe('not_a_number');
    });
    it('refuses text, fractions for integers, and values out of range', () => {
      expect(parse(yas, { yas: 'otuz' }).error?.code).toBe('not_a_number');
      expect(parse(yas, { yas: '1e3' }).error?.code).toBe('not_a_number');
      expect(parse(yas, { yas: '30,5' }).error?.code).toBe('not_an_integer');
      expect(parse(yas, { yas: '17' }).error).toEqual({ code: 'too_small', field: 'yas', params: { min: 18 } });
      expect(parse(yas, { yas: '100' }).error).toEqual({ code: 'too_large', field: 'yas', params: { max: 99 } });
      expect(parse(tutar, { tutar: '-1' }).error?.code).toBe('too_small');
    });
  });

  describe('date', () => {
    const tarih = question('tarih', 'date');

    it('accepts a calendar date in range', () => {
      expect(parse(tarih, { tarih: '2024-02-29' }).answer).toEqual({ kind: 'date', date: '2024-02-29' });
    });
    it('accepts a date typed the Turkish way where the browser shows a text box, stored as ISO', () => {
      expect(parse(tarih, { tarih: '21.11.2026' }).answer).toEqual({ kind: 'date', date: '2026-11-21' });
      expect(parse(tarih, { tarih: '1.2.2024' }).answer).toEqual({ kind: 'date', date: '2024-02-01' });
    });
    it('refuses impossible dates, other formats and dates out of range', () => {
      expect(parse(tarih, { tarih: '2023-02-29' }).error?.code).toBe('invalid_date');
      expect(parse(tarih, { tarih: '31.02.2026' }).error?.code).toBe('invalid_date');
      expect(parse(tarih, { tarih: '2026/11/21' }).error?.code).toBe('invalid_date');
      expect(parse(tarih, { tarih: '2019-12-31' }).error).toEqual({ code: 'date_too_early', field: 'tarih', params: { min: '2020-01-01' } });
      expect(parse(tarih, { tarih: '2027-01-01' }).error?.code).toBe('date_too_late');
    });
  });

  describe('select', () => {
    const mahalle = question('mahalle', 'select');

    it('does not mistake inherited object properties for answers', () => {
      const q = inline({ kind: 'short_text', id: 'constructor' });
      expect(parse(q, {})).toEqual({});
      expect(parse(q, { constructor: 'metin' } as unknown as FormFields).answer).toEqual({ kind: 'short_text', text: 'metin' });
    });
    it('accepts an option of the shared list and refuses anything else', () => {
      expect(parse(mahalle, { mahalle: 'istasyon' }).answer).toEqual({ kind: 'select', optionId: 'istasyon' });
      expect(parse(mahalle, { mahalle: 'yok' }).error?.code).toBe('invalid_option');
    });
  });
});

describe('fieldNames', () => {
  it('names every field a question may post', () => {
    expect(fieldNames(question('renk', 'single_choice'))).toEqual(['renk', 'renk.other']);
    expect(fieldNames(question('memnuniyet', 'likert_matrix'))).toEqual([
      'memnuniyet.temizlik',
      'memnuniyet.parklar',
      'memnuniyet.yollar',
    ]);
    expect(fieldNames(question('oncelik', 'ranking'))).toEqual(['oncelik.1', 'oncelik.2']);
    expect(fieldNames(question('yas', 'number'))).toEqual(['yas']);
  });
});

describe('answerRows', () => {
  it('stores one row per chosen option, likert row and ranked item', () => {
    const base = { value: null, text: null, rank: null, not_applicable: 0, option_id: null };
    expect(answerRows('ulasim', { kind: 'multiple_choice', optionIds: ['metro', 'other'], otherText: 'Tramvay' })).toEqual([
      { ...base, question_id: 'ulasim', option_id: 'metro' },
      { ...base, question_id: 'ulasim', option_id: 'other', text: 'Tramvay' },
    ]);
    expect(answerRows('m', { kind: 'likert_matrix', rows: { temizlik: 4, parklar: 'na' } })).toEqual([
      { ...base, question_id: 'm', option_id: 'temizlik', value: 4 },
      { ...base, question_id: 'm', option_id: 'parklar', not_applicable: 1 },
    ]);
    expect(answerRows('o', { kind: 'ranking', itemIds: ['yollar', 'temizlik'] })).toEqual([
      { ...base, question_id: 'o', option_id: 'yollar', rank: 1 },
      { ...base, question_id: 'o', option_id: 'temizlik', rank: 2 },
    ]);
    expect(answerRows('t', { kind: 'date', date: '2024-01-02' })).toEqual([{ ...base, question_id: 't', text: '2024-01-02' }]);
    expect(answerRows('n', { kind: 'number', value: 3.5 })).toEqual([{ ...base, question_id: 'n', value: 3.5 }]);
  });
});

describe('answersToFields', () => {
  it('turns stored rows back into the fields that post them, for every kind', () => {
    const fields = {
      renk: 'other',
      'renk.other': 'Turuncu',
      ulasim: ['otobus', 'metro'],
      mahalle: 'cami',
      'memnuniyet.temizlik': '5',
      'memnuniyet.parklar': 'na',
      'memnuniyet.yollar': '1',
      puan: '0',
      'oncelik.1': 'yollar',
      'oncelik.2': 'temizlik',
      yas: '42',
      tutar: '12.5',
      tarih: '2024-02-29',
      gorus: 'Çok güzel',
    };
    const questions = survey.sections.flatMap((s) => s.questions);
    const rows = questions.flatMap((q) => {
      const parsed = parseQuestion(q, fields);
      return parsed.answer ? answerRows(q.id, parsed.answer) : [];
    });
    expect(answersToFields(questions, rows)).toEqual(fields);
  });
});
