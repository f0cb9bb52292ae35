// Column factoring for the model likelihoods: terms that depend only on a column's value are computed
// once per distinct value instead of once per row.

export interface DistinctIndex {
  /** The distinct values, in order of first appearance. */
  values: Float64Array;
  /** Per row, the position of its value in `values`. */
  index: Int32Array;
  /** Per distinct value, the sum of the rows' weights (1 each without weights). */
  totals: Float64Array;
}

/** The distinct values of a column, where each row's value sits among them, and the weight per value. */
export function distinctIndex(column: readonly number[], weights?: ArrayLike<number>): DistinctIndex {
  const positions = new Map<number, number>();
  const index = new Int32Array(column.length);
  column.forEach((value, row) => {
    let position = positions.get(value);
    if (position === undefined) {
      position = positions.size;
      positions.set(value, position);
    }
    index[row] = position;
  });
  const totals = new Float64Array(positions.size);
  index.forEach((position, row) => {
    totals[position] = (totals[position] ?? 0) + (weights ? (weights[row] ?? 0) : 1);
  });
  return { values: Float64Array.from(positions.keys()), index, totals };
}
