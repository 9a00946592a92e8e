// Issue 18 §3.1–3.3 in the definition format: row groups inside a matrix, every scale point
// labelled, and "Bilgim yok" first or last; what the schema takes and what the rules refuse.
import { DefinitionError, loadCatalog, parseSurveyText, type DefinitionProblem } from '../../server/surveys/survey-catalog';
import type { Survey } from '../../server/surveys/survey-definition';
import { FIXTURE_SURVEYS } from '../helpers/test-app';

const municipality = loadCatalog(FIXTURE_SURVEYS).municipality;

const scale = [1, 2, 3, 4].map((value) => ({ value, label: { tr: ['Zayıf', 'Orta', 'İyi', 'Çok iyi'][value - 1]! } }));
const rows = ['kurum_a', 'kurum_b', 'yonetim_a', 'yonetim_b'].map((id) => ({ id, label: { tr: id } }));

function surveyWith(question: Record<string, unknown>): string {
  return JSON.stringify({
    slug: 'deneme',
    title: { tr: 'Deneme' },
    intro: { tr: 'Giriş' },
    audience: 'institution',
    opensAt: '2026-01-01T00:00:00+03:00',
    closesAt: '2026-12-31T00:00:00+03:00',
    sections: [{ id: 'bir', title: { tr: 'Bir' }, questions: [question] }],
  });
}

const matrix = (extra: Record<string, unknown>) => ({ kind: 'likert_matrix', id: 'matris', text: { tr: 'Değerlendiriniz' }, rows, scale, ...extra });
const rating = (extra: Record<string, unknown>) => ({ kind: 'rating', id: 'puan', text: { tr: 'Puanınız' }, scale: '1-5', ...extra });

function parse(question: Record<string, unknown>): Survey {
  return parseSurveyText(surveyWith(question), 'deneme.json', municipality);
}

function problems(question: Record<string, unknown>): DefinitionProblem[] {
  try {
    parse(question);
    return [];
  } catch (error) {
    if (error instanceof DefinitionError) return error.problems;
    throw error;
  }
}

const groups = [
  { title: { tr: 'KURUMSAL' }, rows: ['kurum_a', 'kurum_b'] },
  { title: { tr: 'YÖNETSEL' }, rows: ['yonetim_a', 'yonetim_b'] },
];

describe('a likert matrix with row groups', () => {
  it('is taken when the groups list every row once, in the order of rows, and keeps its rows as they are', () => {
    const question = parse(matrix({ rowGroups: groups })).sections[0]!.questions[0]!;
    expect(question.kind === 'likert_matrix' && question.rowGroups).toEqual(groups);
    expect(question.kind === 'likert_matrix' && question.rows.map((row) => row.id)).toEqual(rows.map((row) => row.id));
  });

  it('is refused when a group names an id that is not a row', () => {
    expect(problems(matrix({ rowGroups: [groups[0], { title: { tr: 'YÖNETSEL' }, rows: ['yonetim_a', 'yonetim_c', 'yonetim_b'] }] }))).toEqual([
      { file: 'deneme.json', path: '$.sections[0].questions[0].rowGroups[1].rows[1]', message: '"yonetim_c" is not the id of a row of this question' },
    ]);
  });

  it('is refused when a row is in two groups', () => {
    expect(problems(matrix({ rowGroups: [groups[0], { title: { tr: 'YÖNETSEL' }, rows: ['kurum_b', 'yonetim_a', 'yonetim_b'] }] }))).toEqual([
      { file: 'deneme.json', path: '$.sections[0].questions[0].rowGroups[1].rows[0]', message: 'row "kurum_b" is already in group 1; a row can be in one group only' },
    ]);
  });

  it('is refused, naming the rows, when some rows are in no group', () => {
    expect(problems(matrix({ rowGroups: [groups[0]] }))).toEqual([
      {
        file: 'deneme.json',
        path: '$.sections[0].questions[0].rowGroups',
        message: 'when rowGroups is given every row must be in a group; not in any group: "yonetim_a", "yonetim_b"',
      },
    ]);
  });

  it('is refused when the groups do not follow the order of rows', () => {
    const [problem] = problems(matrix({ rowGroups: [groups[1], groups[0]] }));
    expect(problem).toEqual({
      file: 'deneme.json',
      path: '$.sections[0].questions[0].rowGroups',
      message: 'groups must list the rows in the order of rows (kurum_a, kurum_b, yonetim_a, yonetim_b); reorder the rows or the groups',
    });
    expect(problems(matrix({ rowGroups: [{ title: { tr: 'HEPSİ' }, rows: ['kurum_b', 'kurum_a', 'yonetim_a', 'yonetim_b'] }] }))).toHaveLength(1);
  });

  it('is refused when its rows come from a shared list', () => {
    expect(problems(matrix({ rows: { list: 'activityAreas' }, rowGroups: [{ title: { tr: 'HEPSİ' }, rows: ['x'] }] }))).toContainEqual({
      file: 'deneme.json',
      path: '$.sections[0].questions[0].rowGroups',
      message: 'row groups need the rows written in the question, not a shared list',
    });
  });

  it('is refused by the schema when a group has no rows or no title', () => {
    expect(problems(matrix({ rowGroups: [{ title: { tr: 'BOŞ' }, rows: [] }] }))[0]!.path).toBe('$.sections[0].questions[0].rowGroups[0].rows');
    expect(problems(matrix({ rowGroups: [{ rows: ['kurum_a'] }] }))[0]!.path).toBe('$.sections[0].questions[0].rowGroups[0].title');
  });
});

describe('the labels and "Bilgim yok" position of a likert matrix', () => {
  it('take "ends" or "every", and "first" or "last"; absent, they mean ends and last and add nothing to the definition', () => {
    const question = parse(matrix({ labels: 'every', notApplicable: { tr: 'Bilgim yok' }, notApplicablePosition: 'first' })).sections[0]!.questions[0]!;
    expect(question).toMatchObject({ labels: 'every', notApplicablePosition: 'first' });
    const plain = parse(matrix({ notApplicable: { tr: 'Bilgim yok' } })).sections[0]!.questions[0]!;
    expect(plain).not.toHaveProperty('labels');
    expect(plain).not.toHaveProperty('notApplicablePosition');
  });

  it('refuse other values', () => {
    expect(problems(matrix({ labels: 'some' }))[0]!.path).toBe('$.sections[0].questions[0].labels');
    expect(problems(matrix({ notApplicable: { tr: 'Bilgim yok' }, notApplicablePosition: 'middle' }))[0]!.path).toBe('$.sections[0].questions[0].notApplicablePosition');
  });

  it('refuse a position for a "Bilgim yok" column the matrix does not have', () => {
    expect(problems(matrix({ notApplicablePosition: 'first' }))).toEqual([
      { file: 'deneme.json', path: '$.sections[0].questions[0].notApplicablePosition', message: 'needs notApplicable (the label of the "Bilgim yok" column)' },
    ]);
  });
});

describe('the point labels of a rating', () => {
  const labels = (count: number) => Array.from({ length: count }, (_, i) => ({ tr: `Etiket ${i + 1}` }));

  it('are taken when there is one per point of the scale', () => {
    expect(parse(rating({ pointLabels: labels(5) })).sections[0]!.questions[0]).toMatchObject({ pointLabels: labels(5) });
    expect(problems(rating({ scale: '0-10', pointLabels: labels(11) }))).toEqual([]);
    expect(problems(rating({ scale: '1-10', pointLabels: labels(10) }))).toEqual([]);
  });

  it('are refused, with the count the scale needs, when there are more or fewer', () => {
    expect(problems(rating({ pointLabels: labels(4) }))).toEqual([
      { file: 'deneme.json', path: '$.sections[0].questions[0].pointLabels', message: 'must have one label per point of the 1-5 scale: 5, not 4' },
    ]);
    expect(problems(rating({ scale: '0-10', pointLabels: labels(10) }))[0]!.message).toBe('must have one label per point of the 0-10 scale: 11, not 10');
  });
});
