import { describe, expect, it } from 'vitest';
import { DEFAULT_WINDOW_SIZE, MIN_WINDOW_SIZE, restoreBounds } from '../../src/main/window-bounds.ts';

const screen = { x: 0, y: 0, width: 1920, height: 1055 };
const second = { x: 1920, y: 0, width: 1280, height: 800 };

describe('restoreBounds', () => {
  it('reopens where the window was, in whole pixels', () => {
    expect(restoreBounds({ x: 100.4, y: 80.6, width: 900.2, height: 600.7 }, [screen])).toEqual({ x: 100, y: 81, width: 900, height: 601 });
  });

  it('keeps a position on a second screen while that screen is there', () => {
    const saved = { x: 2000, y: 100, width: 800, height: 600 };
    expect(restoreBounds(saved, [screen, second])).toEqual(saved);
    expect(restoreBounds(saved, [screen])).toEqual({ width: 800, height: 600 });
  });

  it('drops a position whose title bar is off every screen', () => {
    expect(restoreBounds({ x: 1900, y: 100, width: 800, height: 600 }, [screen])).toEqual({ width: 800, height: 600 });
    expect(restoreBounds({ x: 100, y: -500, width: 800, height: 400 }, [screen])).toEqual({ width: 800, height: 400 });
  });

  it('fits the size between the minimum and the largest screen', () => {
    expect(restoreBounds({ x: 0, y: 0, width: 5000, height: 100 }, [screen])).toEqual({ x: 0, y: 0, width: 1920, height: MIN_WINDOW_SIZE.height });
  });

  it('uses the default size when nothing usable was saved', () => {
    expect(restoreBounds(null, [screen])).toEqual(DEFAULT_WINDOW_SIZE);
    expect(restoreBounds({ x: 'a', y: 0, width: 1, height: 1 }, [screen])).toEqual(DEFAULT_WINDOW_SIZE);
    expect(restoreBounds({ x: Number.NaN, y: 0, width: 800, height: 600 }, [])).toEqual(DEFAULT_WINDOW_SIZE);
  });
});
