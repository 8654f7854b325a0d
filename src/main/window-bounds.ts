// Where the dashboard window reopens (pure; no Electron): the saved bounds when they are still
// on a screen, whole pixels, never larger than the screen.
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Size {
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_SIZE: Size = { width: 1040, height: 680 };
export const MIN_WINDOW_SIZE: Size = { width: 560, height: 360 };
/** How much of the title bar must be on a screen for the saved position to count. */
const MIN_VISIBLE = 64;

function isRect(value: unknown): value is Rect {
  if (typeof value !== 'object' || value === null) return false;
  const r = value as Record<string, unknown>;
  return ['x', 'y', 'width', 'height'].every((k) => typeof r[k] === 'number' && Number.isFinite(r[k]));
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

/** Bounds to open with: the saved ones if a screen still shows enough of them, else only a
 * size (the window manager centres the window). `workAreas` are the screens' work areas. */
export function restoreBounds(saved: unknown, workAreas: Rect[]): Rect | Size {
  const largest = workAreas.reduce<Size>((max, a) => ({ width: Math.max(max.width, a.width), height: Math.max(max.height, a.height) }), { width: 0, height: 0 });
  const fitToScreens = (size: Size): Size => ({
    width: Math.round(Math.max(MIN_WINDOW_SIZE.width, largest.width > 0 ? Math.min(size.width, largest.width) : size.width)),
    height: Math.round(Math.max(MIN_WINDOW_SIZE.height, largest.height > 0 ? Math.min(size.height, largest.height) : size.height)),
  });
  if (!isRect(saved)) return fitToScreens(DEFAULT_WINDOW_SIZE);
  const size = fitToScreens(saved);
  const rect = { x: Math.round(saved.x), y: Math.round(saved.y), ...size };
  const titleBar = { x: rect.x, y: rect.y, width: rect.width, height: 32 };
  const visible = workAreas.some((area) => {
    const o = overlap(titleBar, area);
    return o.width >= MIN_VISIBLE && o.height > 0;
  });
  return visible ? rect : size;
}
