import { describe, expect, it } from 'vitest';
import { type ColumnSpec, fitColumns } from '../../../src/cli/top/column-fit.ts';

const specs: ColumnSpec[] = [
  { id: 'name', min: 6, max: 20, dropRank: null, growRank: 0 },
  { id: 'a', min: 4, max: 4, dropRank: 1 },
  { id: 'spark1', min: 5, max: 10, dropRank: 2, growRank: 1 },
  { id: 'spark2', min: 5, max: 10, dropRank: 0, growRank: 1 },
];

describe('fitColumns', () => {
  it('keeps every column at its minimum when that is all there is', () => {
    expect(fitColumns(specs, 23, 1)).toEqual([
      { id: 'name', width: 6 },
      { id: 'a', width: 4 },
      { id: 'spark1', width: 5 },
      { id: 'spark2', width: 5 },
    ]);
  });

  it('drops by rank, lowest first, until the rest fits; the order of the kept ones stays', () => {
    expect(fitColumns(specs, 22, 1).map((c) => c.id)).toEqual(['name', 'a', 'spark1']);
    expect(fitColumns(specs, 16, 1).map((c) => c.id)).toEqual(['name', 'spark1']);
    expect(fitColumns(specs, 5, 1).map((c) => c.id)).toEqual(['name']);
  });

  it('gives spare width by grow rank, sharing evenly within a rank, up to each maximum', () => {
    expect(fitColumns(specs, 30, 1).map((c) => c.width)).toEqual([13, 4, 5, 5]);
    expect(fitColumns(specs, 40, 1).map((c) => c.width)).toEqual([20, 4, 7, 6]);
    expect(fitColumns(specs, 45, 1).map((c) => c.width)).toEqual([20, 4, 9, 9]);
    // Everything at its maximum: the line is simply shorter than the terminal.
    expect(fitColumns(specs, 200, 1).map((c) => c.width)).toEqual([20, 4, 10, 10]);
  });
});
