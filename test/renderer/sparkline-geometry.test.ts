import { describe, expect, it } from 'vitest';
import { sparkPath, sparkRuns, sparkTop } from '../../src/renderer/charts/sparkline-geometry.ts';

const box = { width: 11, height: 12, from: 0, to: 10, top: 10 };

describe('sparkline geometry', () => {
  it('maps time across and value up, inside the box', () => {
    const runs = sparkRuns(
      [
        { x: 0, y: 0 },
        { x: 5, y: 5 },
        { x: 10, y: 10 },
      ],
      box,
    );
    expect(runs).toEqual([[0, 11, 5, 6, 10, 1]]);
    expect(sparkPath(runs)).toBe('M0.0 11.0L5.0 6.0L10.0 1.0');
  });

  it('starts a new run after a gap, and leaves out what is outside the window', () => {
    const runs = sparkRuns(
      [
        { x: -5, y: 3 },
        { x: 1, y: 0 },
        { x: 2, y: 0 },
        { x: 3, y: null },
        { x: 8, y: 10 },
      ],
      box,
    );
    expect(runs).toEqual([[1, 11, 2, 11], [8, 1]]);
    expect(sparkPath(runs)).toBe('M1.0 11.0L2.0 11.0M8.0 1.0');
  });

  it('keeps the lowest and highest of the points sharing a pixel column, in time order', () => {
    const points = Array.from({ length: 100 }, (_, i) => ({ x: i / 100, y: i === 30 ? 10 : i === 60 ? 0 : 5 }));
    expect(sparkRuns(points, { ...box, to: 1000 })).toEqual([[0, 1, 0, 11]]);
    const fallingFirst = points.map((p, i) => ({ ...p, y: i === 30 ? 0 : i === 60 ? 10 : 5 }));
    expect(sparkRuns(fallingFirst, { ...box, to: 1000 })).toEqual([[0, 11, 0, 1]]);
  });

  it('scales to a little over the highest value, never under the floor', () => {
    expect(sparkTop([{ x: 0, y: 50 }], 5)).toBeCloseTo(55);
    expect(sparkTop([{ x: 0, y: 0.3 }, { x: 1, y: null }], 5)).toBe(5);
  });

  it('draws nothing into a box of no size', () => {
    expect(sparkRuns([{ x: 1, y: 1 }], { ...box, width: 0 })).toEqual([]);
  });
});
