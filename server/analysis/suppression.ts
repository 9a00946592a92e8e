// Which counts a breakdown must hide so nobody can be singled out (KVKK). A count of 1–4 is
// hidden; then, wherever a hidden count could be worked back from a total minus the cells shown,
// another count is hidden too (secondary suppression), until no hidden count stands alone.

/** Breakdown cells resting on fewer respondents than this are shown as "<5". */
export const SUPPRESSION_THRESHOLD = 5;

export function isSmall(count: number, threshold = SUPPRESSION_THRESHOLD): boolean {
  return count > 0 && count < threshold;
}

export interface Hidden {
  cells: boolean[][];
  /** Per column: its total must be hidden too (every other cell in it is zero). */
  columnTotals: boolean[];
  /** Per row: its total must be hidden too. */
  rowTotals: boolean[];
}

/**
 * counts: rows × columns. rowTotals: each row's cells add up to a total that is shown (a single
 * choice: its options add up to n). columnTotals: each column's cells add up to a shown total (a
 * cross-tab's total row). threshold: the report's own, when a planner changed it.
 */
export function hiddenCells(counts: number[][], options: { rowTotals: boolean; columnTotals: boolean; threshold?: number }): Hidden {
  const rows = counts.length;
  const columns = counts[0]?.length ?? 0;
  const cells = counts.map((row) => row.map((count) => isSmall(count, options.threshold)));
  const rowTotals = new Array<boolean>(rows).fill(false);
  const columnTotals = new Array<boolean>(columns).fill(false);

  /** When exactly one cell of a line is hidden, hide the smallest other non-zero one (or the total). */
  const protect = (line: { count: number; hide: () => void; hidden: () => boolean }[], hideTotal: () => void): boolean => {
    const hidden = line.filter((cell) => cell.hidden());
    if (hidden.length !== 1) return false;
    const candidates = line.filter((cell) => !cell.hidden() && cell.count > 0).sort((a, b) => a.count - b.count);
    if (candidates[0]) candidates[0].hide();
    else hideTotal();
    return true;
  };

  for (let changed = true; changed; ) {
    changed = false;
    if (options.rowTotals) {
      for (let r = 0; r < rows; r++) {
        if (rowTotals[r]) continue;
        const line = counts[r]!.map((count, c) => ({ count, hidden: () => cells[r]![c]!, hide: () => (cells[r]![c] = true) }));
        changed = protect(line, () => (rowTotals[r] = true)) || changed;
      }
    }
    if (options.columnTotals) {
      for (let c = 0; c < columns; c++) {
        if (columnTotals[c]) continue;
        const line = counts.map((row, r) => ({ count: row[c]!, hidden: () => cells[r]![c]!, hide: () => (cells[r]![c] = true) }));
        changed = protect(line, () => (columnTotals[c] = true)) || changed;
      }
    }
  }
  return { cells, columnTotals, rowTotals };
}
