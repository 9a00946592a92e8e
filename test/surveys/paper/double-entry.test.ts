// Double entry: the comparison of two clerks' passes lists exactly the differing cells.
import { compareEntries } from '../../../server/surveys/paper/double-entry';
import type { Cells } from '../../../server/surveys/paper/grid-cells';

const columns = ['1', '2', '3a', '3b', '10'];

describe('compareEntries', () => {
  it('lists exactly the differing cells, blanks included, in form and column order', () => {
    const first = new Map<string, Cells>([
      ['10', { '1': '1', '3a': '4', '10': '45' }],
      ['2', { '1': '2', '2': '1 3' }],
      ['3', { '1': '1' }],
    ]);
    const second = new Map<string, Cells>([
      ['2', { '1': '2', '2': '1 3', '3b': '5' }],
      ['10', { '1': '1', '3a': '3', '10': '54' }],
      ['3', { '1': '1' }],
    ]);
    const result = compareEntries(columns, first, second);
    expect(result.differences).toEqual([
      { formNumber: '2', column: '3b', first: '', second: '5' },
      { formNumber: '10', column: '3a', first: '4', second: '3' },
      { formNumber: '10', column: '10', first: '45', second: '54' },
    ]);
    expect(result.agreeing).toBe(1);
    expect(result.onlyFirst).toEqual([]);
    expect(result.onlySecond).toEqual([]);
  });

  it('lists forms typed in one pass only, and nothing when both agree', () => {
    const result = compareEntries(columns, new Map<string, Cells>([['1', { '1': '1' }], ['4', {}]]), new Map<string, Cells>([['1', { '1': '1' }], ['9', { '1': '2' }]]));
    expect(result.differences).toEqual([]);
    expect(result.onlyFirst).toEqual(['4']);
    expect(result.onlySecond).toEqual(['9']);
    expect(result.agreeing).toBe(1);
  });

  it('compares cells of columns the survey no longer has, after the known ones', () => {
    const result = compareEntries(columns, new Map<string, Cells>([['1', { old: 'x', '1': '1' }]]), new Map<string, Cells>([['1', { '1': '2' }]]));
    expect(result.differences.map((d) => d.column)).toEqual(['1', 'old']);
  });
});
