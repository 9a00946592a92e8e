import { crossTabulate } from '../../server/analysis/cross-tab';
import type { CrossCount } from '../../server/analysis/results.repository';
import { crossTable, resultTable, SUPPRESSED, suppressed, type ResultTable } from '../../server/analysis/result-tables';
import { meanOf, medianOf, summarize } from '../../server/analysis/survey-results';
import { loadCatalog } from '../../server/surveys/survey-catalog';
import type { QuestionKind, QuestionOf } from '../../server/surveys/survey-definition';
import { createI18n } from '../../server/platform/i18n/i18n';
import { FIXTURE_SURVEYS } from '../helpers/test-app';

const survey = loadCatalog(FIXTURE_SURVEYS).find('tum-soru-tipleri')!;
function question<K extends QuestionKind>(id: string, kind: K): QuestionOf<K> {
  const found = survey.sections.flatMap((s) => s.questions).find((q) => q.id === id);
  if (found?.kind !== kind) throw new Error(`fixture has no ${kind} ${id}`);
  return found as QuestionOf<K>;
}
const words = { t: createI18n().translators.tr, text: (value: { tr: string }) => value.tr };

describe('meanOf and medianOf', () => {
  it('work on frequency tables', () => {
    expect(meanOf([{ value: 1, count: 3 }, { value: 5, count: 1 }])).toBe(2);
    expect(medianOf([{ value: 1, count: 3 }, { value: 5, count: 1 }])).toBe(1);
    expect(medianOf([{ value: 2, count: 2 }, { value: 4, count: 2 }])).toBe(3);
    expect(medianOf([{ value: 10, count: 1 }, { value: 0, count: 2 }])).toBe(0);
    expect(meanOf([])).toBeNull();
    expect(medianOf([{ value: 3, count: 0 }])).toBeNull();
  });
});

describe('suppression in breakdowns', () => {
  it('shows counts of 1–4 as "<5" and hides their shares; zero and five or more stay', () => {
    const result = summarize(question('renk', 'single_choice'), [
      { questionId: 'renk', optionId: 'kirmizi', value: null, rank: null, notApplicable: false, count: 4 },
      { questionId: 'renk', optionId: 'mavi', value: null, rank: null, notApplicable: false, count: 5 },
    ], 9);
    const table = resultTable(result, words, true);
    expect(table.rows).toEqual([
      ['Kırmızı', SUPPRESSED, null],
      ['Mavi', 5, 55.6],
      ['Diğer (belirtiniz)', 0, 0],
    ]);
    expect(table.stats[0]!.value).toBe(9);
  });

  it('hides a likert row whose base is under five, and every figure when n itself is under five', () => {
    const likert: ResultTable = {
      questionId: 'm',
      title: 'M',
      columns: [
        { label: 'row', type: 'label' },
        { label: 'n', type: 'count' },
        { label: '1', type: 'percent', series: true },
        { label: 'mean', type: 'decimal' },
      ],
      rows: [
        ['A', 3, 33.3, 2],
        ['B', 7, 14.3, 4],
      ],
      stats: [],
      chart: 'stacked',
    };
    expect(suppressed(likert).rows).toEqual([
      ['A', SUPPRESSED, null, null],
      ['B', 7, 14.3, 4],
    ]);
    const few = suppressed({ ...likert, chart: 'bar', rows: [], stats: [{ label: 'n', value: 3, type: 'count' }, { label: 'mean', value: 2.5, type: 'decimal' }] });
    expect(few.stats.map((s) => s.value)).toEqual([SUPPRESSED, null]);
  });
});

describe('crossTabulate', () => {
  it('gives counts, row percentages and means per group, "Bilgim yok" apart, and a total row', () => {
    const count = (group: string, value: number | null, notApplicable: boolean, n: number): CrossCount => ({ group, optionId: 'temizlik', value, notApplicable, count: n });
    const counts = [count('merkez', 5, false, 6), count('merkez', 4, false, 2), count('merkez', null, true, 2), count('cami', 1, false, 5), count('cami', 3, false, 5)];
    const tab = crossTabulate(question('mahalle', 'select'), question('memnuniyet', 'likert_matrix'), counts, new Map([['merkez', 10], ['cami', 10]]));
    const merkez = tab.rows.find((r) => r.group === 'merkez')!;
    expect(merkez).toMatchObject({ n: 8, notApplicable: 2, mean: 4.75 });
    expect(merkez.cells.map((c) => [c.key, c.count, c.percent])).toEqual([
      ['1', 0, 0],
      ['2', 0, 0],
      ['3', 0, 0],
      ['4', 2, 25],
      ['5', 6, 75],
    ]);
    expect(tab.rows.find((r) => r.group === 'istasyon')).toMatchObject({ n: 0, mean: null });
    expect(tab.rows.at(-1)).toMatchObject({ group: 'total', n: 18, notApplicable: 2 });
    expect(tab.rows.at(-1)!.mean).toBeCloseTo((5 * 6 + 4 * 2 + 1 * 5 + 3 * 5) / 18, 10);

    const table = crossTable(tab, { group: (id) => id, column: (key) => key }, words);
    const merkezRow = table.rows.find((r) => r[0] === 'merkez')!;
    // 4 → 2 answers: under five, shown as "<5" without its share; 5 → 6 answers shown with 75 %.
    expect(merkezRow).toEqual(['merkez', 8, 0, 0, 0, 0, 0, 0, SUPPRESSED, null, 6, 75, SUPPRESSED, 4.75]);
    expect(table.rows.find((r) => r[0] === 'istasyon')).toEqual(['istasyon', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null]);
  });
});
