// The entry grid's cells: option numbers as printed on the paper form become answers, blanks stay
// blanks, and every wrong cell is named with its reason.
import { answersToCells, columnChoices, gridColumns, parseGridRow, readFormNumber, rowLetter, sameCells } from '../../../server/surveys/paper/grid-cells';
import { loadCatalog } from '../../../server/surveys/survey-catalog';
import { FIXTURE_SURVEYS } from '../../helpers/test-app';

const survey = loadCatalog(FIXTURE_SURVEYS).find('tum-soru-tipleri')!;

const parsed = (cells: Record<string, string>) => {
  const result = parseGridRow(survey, cells);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.errors)}`);
  return result;
};
const errorsOf = (cells: Record<string, string>) => {
  const result = parseGridRow(survey, cells);
  if (result.ok) throw new Error('accepted');
  return result.errors;
};

describe('gridColumns', () => {
  it('numbers questions across sections and gives each matrix row its own lettered column', () => {
    const keys = gridColumns(survey).map((c) => c.key);
    expect(keys.slice(0, 10)).toEqual(['1', '2', '3', '4', '5', '6a', '6b', '6c', '7', '8']);
    expect(keys).toContain('9d');
    expect(keys).toContain('10b');
    expect(keys.at(-1)).toBe('23');
    expect(gridColumns(survey).find((c) => c.key === '6b')!.row!.id).toBe('parklar');
  });

  it('letters rows past z as aa, ab', () => {
    expect([0, 1, 25, 26, 27].map(rowLetter)).toEqual(['a', 'b', 'z', 'aa', 'ab']);
  });

  it('lists the numbers of a column: options by position, "Diğer" and "Bilgim yok" after the last', () => {
    const renk = gridColumns(survey).find((c) => c.key === '1')!;
    expect(columnChoices(renk).map((c) => [c.number, typeof c.option === 'string' ? c.option : c.option.id])).toEqual([
      [1, 'kirmizi'],
      [2, 'mavi'],
      [3, 'other'],
    ]);
    const memnuniyet = gridColumns(survey).find((c) => c.key === '6a')!;
    expect(columnChoices(memnuniyet).map((c) => c.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(columnChoices(memnuniyet).at(-1)!.option).toBe('not_applicable');
  });
});

describe('parseGridRow', () => {
  it('turns option numbers into the answers the survey pages would store', () => {
    const row = parsed({ '1': '2', '2': '1, 2', '3': '3', '4': '1', '5': 'Pamuk', '6a': '4', '6b': '6', '7': '10', '8': '3 1', '14': '45', '16': '21.11.2026', '19': '3 serbest meslek' });
    expect(row.answers.get('renk')).toEqual({ kind: 'single_choice', optionId: 'mavi' });
    expect(row.answers.get('ulasim')).toEqual({ kind: 'multiple_choice', optionIds: ['otobus', 'metro'] });
    expect(row.answers.get('evcil_adi')).toEqual({ kind: 'short_text', text: 'Pamuk' });
    expect(row.answers.get('memnuniyet')).toEqual({ kind: 'likert_matrix', rows: { temizlik: 4, parklar: 'na' } });
    expect(row.answers.get('puan')).toEqual({ kind: 'rating', value: 10 });
    expect(row.answers.get('oncelik')).toEqual({ kind: 'ranking', itemIds: ['yollar', 'temizlik'] });
    expect(row.answers.get('tarih')).toEqual({ kind: 'date', date: '2026-11-21' });
    expect(row.answers.get('calisma_yeri')).toEqual({ kind: 'select', optionId: 'other', otherText: 'serbest meslek' });
    expect(row.rows.filter((r) => r.question_id === 'memnuniyet')).toHaveLength(2);
  });

  it('keeps blanks as no answer, even for required questions and half-filled matrices', () => {
    const row = parsed({ '1': '', '6a': '3', '14': '  ' });
    expect(row.answers.has('renk')).toBe(false);
    expect(row.answers.has('yas')).toBe(false);
    expect(row.answers.get('memnuniyet')).toEqual({ kind: 'likert_matrix', rows: { temizlik: 3 } });
    expect(parsed({}).rows).toEqual([]);
  });

  it('refuses each wrong cell with its reason and keeps the right ones quiet', () => {
    const errors = errorsOf({ '1': '4', '2': 'otobüs', '6a': '7', '7': '11', '8': '1 1', '14': 'kırk', '4': '2', '9a': '3' });
    expect(errors['1']).toEqual({ code: 'no_such_option', params: { number: 4, max: 3 } });
    expect(errors['2']).toEqual({ code: 'not_a_number' });
    expect(errors['6a']).toEqual({ code: 'no_such_option', params: { number: 7, max: 6 } });
    expect(errors['7']!.code).toBe('invalid_option');
    expect(errors['8']!.code).toBe('duplicate_rank');
    expect(errors['14']!.code).toBe('not_a_number');
    expect(errors['4']).toBeUndefined();
    expect(errors['9a']).toBeUndefined();
  });

  it('refuses a value in a question the form hides, and accepts it blank', () => {
    // evcil_adi is asked only when evcil = evet (1); 2 = hayır.
    expect(errorsOf({ '4': '2', '5': 'Pamuk' })).toEqual({ '5': { code: 'hidden' } });
    expect(parsed({ '4': '2', '5': '' }).answers.has('evcil_adi')).toBe(false);
    // A banded number's band drives a condition too: genc_notu only for 18–29.
    expect(errorsOf({ '17': '40', '18': 'not' })).toEqual({ '18': { code: 'hidden' } });
    expect(parsed({ '17': '25', '18': 'not' }).answers.get('genc_notu')).toEqual({ kind: 'short_text', text: 'not' });
  });

  it('refuses text after a number that is not "Diğer", and a second number in a single choice', () => {
    expect(errorsOf({ '1': '2 lacivert' })['1']).toEqual({ code: 'text_not_allowed', params: { number: 3 } });
    expect(errorsOf({ '1': '1 2' })['1']).toEqual({ code: 'not_a_number' });
  });

  it('keeps the survey’s own rules on what paper cannot make right: exclusive options, too many ticks', () => {
    expect(errorsOf({ '2': '1 4' })['2']!.code).toBe('exclusive');
    expect(errorsOf({ '2': '1 2 3' })['2']!.code).toBe('too_many_choices');
    expect(errorsOf({ '8': '1 2 3' })['8']!.code).toBe('too_many_choices');
  });
});

describe('answersToCells', () => {
  it('spells cells canonically, so the same answers typed differently compare equal', () => {
    const a = parsed({ '2': '2,1', '14': ' 045 ', '16': '2026-11-21', '1': '3  Mor ' }).cells;
    const b = parsed({ '2': '1 2', '14': '45', '16': '21.11.2026', '1': '3 Mor' }).cells;
    expect(a).toEqual({ '1': '3 Mor', '2': '1 2', '14': '45', '16': '2026-11-21' });
    expect(sameCells(a, b)).toBe(true);
    expect(sameCells(a, { ...b, '14': '46' })).toBe(false);
  });

  it('reads back what it wrote', () => {
    const first = parsed({ '1': '1', '2': '2', '6a': '5', '6c': '6', '7': '0', '8': '2', '21': 'sevdiğim renk', '23': 'x' });
    expect(parsed(first.cells).cells).toEqual(first.cells);
    expect(answersToCells(survey, first.answers)).toEqual(first.cells);
  });
});

describe('readFormNumber', () => {
  it('takes digits and letters, leading zeros aside, and refuses anything else', () => {
    expect(readFormNumber(' 007 ')).toEqual({ ok: true, number: '7' });
    expect(readFormNumber('a-12')).toEqual({ ok: true, number: 'A-12' });
    expect(readFormNumber('')).toEqual({ ok: false, error: { code: 'form_number_required' } });
    expect(readFormNumber('12/3')).toEqual({ ok: false, error: { code: 'form_number' } });
  });
});

describe('a "Diğer" number with no text', () => {
  it('is "Diğer" without words, as the paper holds it, and reads back as the bare number', () => {
    const column = gridColumns(survey).find((c) => c.question.kind === 'single_choice' && c.question.other && !c.question.showWhen)!;
    const other = columnChoices(column).find((c) => c.option === 'other')!;
    const parsed = parseGridRow(survey, { [column.key]: String(other.number) });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.answers.get(column.question.id)).toEqual({ kind: 'single_choice', optionId: 'other' });
    expect(parsed.cells[column.key]).toBe(String(other.number));
  });
});
