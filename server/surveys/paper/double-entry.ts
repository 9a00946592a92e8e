// Double entry: two clerks type the same batch of paper forms, and every cell where they differ is
// listed to settle against the paper. Pure: no HTTP, no database.
import type { Cells } from './grid-cells';

export interface CellDifference {
  formNumber: string;
  column: string;
  /** '' for a blank. */
  first: string;
  second: string;
}

export interface Comparison {
  /** Differing cells, by form number then column order. */
  differences: CellDifference[];
  /** Forms typed in one pass only. */
  onlyFirst: string[];
  onlySecond: string[];
  /** Forms in both passes that agree on every cell. */
  agreeing: number;
}

/** Natural order of form numbers: 2 before 10. */
export function compareFormNumbers(a: string, b: string): number {
  return a.localeCompare(b, 'tr', { numeric: true });
}

/**
 * columnOrder: the grid's column keys in order; cells under other keys (a column since removed
 * from the survey) are compared too, after them.
 */
export function compareEntries(columnOrder: readonly string[], first: ReadonlyMap<string, Cells>, second: ReadonlyMap<string, Cells>): Comparison {
  const position = new Map(columnOrder.map((key, i) => [key, i]));
  const differences: CellDifference[] = [];
  let agreeing = 0;
  const both = [...first.keys()].filter((n) => second.has(n)).sort(compareFormNumbers);
  for (const formNumber of both) {
    const a = first.get(formNumber)!;
    const b = second.get(formNumber)!;
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(
      (x, y) => (position.get(x) ?? Infinity) - (position.get(y) ?? Infinity) || x.localeCompare(y),
    );
    const differing = keys.filter((key) => (a[key] ?? '') !== (b[key] ?? ''));
    if (differing.length === 0) agreeing++;
    for (const column of differing) differences.push({ formNumber, column, first: a[column] ?? '', second: b[column] ?? '' });
  }
  return {
    differences,
    onlyFirst: [...first.keys()].filter((n) => !second.has(n)).sort(compareFormNumbers),
    onlySecond: [...second.keys()].filter((n) => !first.has(n)).sort(compareFormNumbers),
    agreeing,
  };
}
