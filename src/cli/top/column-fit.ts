// Which columns of a table fit a terminal width, and how wide each one is. Columns leave in a
// fixed order as the terminal narrows (the least useful first); the flexible ones (names,
// sparklines) share what is left over, up to their own maximum, so a wide terminal is used.

export interface ColumnSpec<Id extends string = string> {
  id: Id;
  /** Narrowest useful width; a fixed column has min === max. */
  min: number;
  max: number;
  /** Leaves the table when it does not fit: lower leaves first; null never leaves. */
  dropRank: number | null;
  /** Who gets spare width first: lower first (fixed columns ignore it). */
  growRank?: number;
}

export interface FittedColumn<Id extends string = string> {
  id: Id;
  width: number;
}

/** The columns that fit `width` with `gap` columns between neighbours, in their given order. */
export function fitColumns<Id extends string>(specs: readonly ColumnSpec<Id>[], width: number, gap: number): FittedColumn<Id>[] {
  const kept = [...specs];
  const needed = (cols: readonly ColumnSpec<Id>[]) => cols.reduce((sum, c) => sum + c.min, 0) + gap * Math.max(0, cols.length - 1);
  const dropOrder = specs.filter((c) => c.dropRank !== null).sort((a, b) => a.dropRank! - b.dropRank!);
  for (const victim of dropOrder) {
    if (needed(kept) <= width) break;
    kept.splice(kept.indexOf(victim), 1);
  }
  const widths = new Map(kept.map((c) => [c.id, c.min]));
  let spare = width - needed(kept);
  // Growth in rounds by rank: columns of one rank share evenly, one column at a time, so two
  // sparklines end up equally wide.
  const ranks = [...new Set(kept.filter((c) => c.max > c.min).map((c) => c.growRank ?? 0))].sort((a, b) => a - b);
  for (const rank of ranks) {
    const growing = kept.filter((c) => c.max > c.min && (c.growRank ?? 0) === rank);
    let grew = true;
    while (spare > 0 && grew) {
      grew = false;
      for (const c of growing) {
        if (spare > 0 && widths.get(c.id)! < c.max) {
          widths.set(c.id, widths.get(c.id)! + 1);
          spare--;
          grew = true;
        }
      }
    }
  }
  return kept.map((c) => ({ id: c.id, width: widths.get(c.id)! }));
}
