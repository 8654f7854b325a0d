// The charts' colours, from the stylesheet's CSS variables (styles.css), so the charts follow
// the light and dark themes with the rest of the page. A canvas cannot use var(): the values
// are read once per theme and handed to chart.js; a theme switch re-reads them.
import { createContext, useContext, useEffect, useState } from 'react';
import type { MarkerKind } from '../metrics/restart-markers.ts';

export interface ChartTheme {
  dark: boolean;
  text: string;
  muted: string;
  grid: string;
  surface: string;
  /** Line colours, in the order a chart's lines take them. */
  series: readonly string[];
  markers: Record<MarkerKind, string>;
}

const FALLBACK = '#888888';
const DARK_QUERY = '(prefers-color-scheme: dark)';

export function readChartTheme(win: Window): ChartTheme {
  const style = win.getComputedStyle(win.document.documentElement);
  const v = (name: string) => style.getPropertyValue(name).trim() || FALLBACK;
  return {
    dark: win.matchMedia(DARK_QUERY).matches,
    text: v('--text'),
    muted: v('--muted'),
    grid: v('--chart-grid'),
    surface: v('--surface'),
    series: [v('--chart-1'), v('--chart-2'), v('--chart-3'), v('--chart-4')],
    markers: { restart: v('--bad'), exit: v('--bad'), start: v('--ok'), redefined: v('--warn') },
  };
}

/** The theme now, again whenever the system switches between light and dark. */
export function useSystemChartTheme(win: Window): ChartTheme {
  const [theme, setTheme] = useState(() => readChartTheme(win));
  useEffect(() => {
    const query = win.matchMedia(DARK_QUERY);
    const onChange = () => setTheme(readChartTheme(win));
    query.addEventListener('change', onChange);
    return () => query.removeEventListener('change', onChange);
  }, [win]);
  return theme;
}

export const ChartThemeContext = createContext<ChartTheme | null>(null);

export function useChartTheme(): ChartTheme {
  const theme = useContext(ChartThemeContext);
  if (!theme) throw new Error('useChartTheme() outside a ChartThemeContext provider');
  return theme;
}
