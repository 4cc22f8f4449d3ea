// The light or dark look: the user's choice (system, light, dark) kept in this browser's
// localStorage, the theme it gives (the system's setting through prefers-color-scheme
// when the choice is "system"), set as `data-theme` on <html> so app.css picks its
// colours, and the colours canvas charts read (they cannot use CSS variables).
// The one place that reads or writes the choice: a server-side preference can be wired
// to `setTheme` and `themeChoice` without touching the pages.

import { readable, writable, type Readable } from 'svelte/store';

export type ThemeChoice = 'system' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

/** The localStorage key of the choice. */
export const STORAGE_KEY = 'plantlog.theme';

function isChoice(v: unknown): v is ThemeChoice {
  return v === 'system' || v === 'light' || v === 'dark';
}

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    // A browser that refuses storage (privacy settings): the choice lasts the page.
    return null;
  }
}

/** The stored choice; "system" when none is stored or it is not one of the three. */
export function getTheme(): ThemeChoice {
  const v = storage()?.getItem(STORAGE_KEY);
  return isChoice(v) ? v : 'system';
}

/** The theme a choice gives, with the system's setting `systemDark`. */
export function resolveTheme(choice: ThemeChoice, systemDark: boolean): Theme {
  if (choice === 'system') return systemDark ? 'dark' : 'light';
  return choice;
}

const query = (): MediaQueryList | null =>
  typeof window !== 'undefined' && typeof window.matchMedia === 'function'
    ? window.matchMedia('(prefers-color-scheme: dark)')
    : null;

/** The user's choice (system, light, dark). */
export const themeChoice = writable<ThemeChoice>(getTheme());

/** Whether the system asks for dark, following changes while the page is open. */
const systemDark = readable(query()?.matches ?? false, (set) => {
  const q = query();
  if (!q) return;
  const on = (e: MediaQueryListEvent) => set(e.matches);
  q.addEventListener('change', on);
  return () => q.removeEventListener('change', on);
});

let currentChoice: ThemeChoice = getTheme();
let currentSystemDark = query()?.matches ?? false;

/** The theme shown: light or dark. */
export const theme: Readable<Theme> = readable<Theme>(resolveTheme(currentChoice, currentSystemDark), (set) => {
  const a = themeChoice.subscribe((c) => {
    currentChoice = c;
    set(resolveTheme(currentChoice, currentSystemDark));
  });
  const b = systemDark.subscribe((d) => {
    currentSystemDark = d;
    set(resolveTheme(currentChoice, currentSystemDark));
  });
  return () => {
    a();
    b();
  };
});

/** Stores the choice in this browser and shows its theme at once. */
export function setTheme(choice: ThemeChoice): void {
  if (!isChoice(choice)) return;
  try {
    storage()?.setItem(STORAGE_KEY, choice);
  } catch {
    // Storage full or refused: the choice still holds until the page is closed.
  }
  themeChoice.set(choice);
}

/** The overview's density: "floor" sets fewer, larger tiles with larger secondary
 * values, readable from two metres (a wall screen, a line's TV). */
export type Density = 'normal' | 'floor';

/** The localStorage key of the density. */
export const DENSITY_KEY = 'plantlog.density';

export const density = writable<Density>(storage()?.getItem(DENSITY_KEY) === 'floor' ? 'floor' : 'normal');

/** Stores the density in this browser and shows it at once. */
export function setDensity(d: Density): void {
  if (d !== 'normal' && d !== 'floor') return;
  try {
    storage()?.setItem(DENSITY_KEY, d);
  } catch {
    // As with the theme: the choice holds until the page is closed.
  }
  density.set(d);
}

/** The colours canvas charts draw with, for the theme shown. */
export interface ChartColours {
  /** Axis labels and ticks' text. */
  axis: string;
  grid: string;
  ticks: string;
  /** The one line of a one-tag chart, and its fill. */
  line: string;
  lineFill: string;
  /** The "no data" hatching of a state timeline: ground and stripes. */
  hatchA: string;
  hatchB: string;
  /** Control limits and centre lines (SPC). */
  limit: string;
  centre: string;
  /** A second measure (SPC's moving range). */
  second: string;
}

export const CHART_COLOURS: Record<Theme, ChartColours> = {
  light: {
    axis: '#334155',
    grid: '#e2e8f0',
    ticks: '#cbd5e1',
    line: '#1d4ed8',
    lineFill: 'rgba(29, 78, 216, 0.07)',
    hatchA: '#f8fafc',
    hatchB: '#cbd5e1',
    limit: '#b91c1c',
    centre: '#15803d',
    second: '#7c3aed',
  },
  dark: {
    axis: '#cbd5e1',
    grid: '#334155',
    ticks: '#475569',
    line: '#60a5fa',
    lineFill: 'rgba(96, 165, 250, 0.12)',
    hatchA: '#1e293b',
    hatchB: '#475569',
    limit: '#f87171',
    centre: '#4ade80',
    second: '#c084fc',
  },
};

let shown: Theme = 'light';

/** The theme shown now (for code that draws without a store). */
export function currentTheme(): Theme {
  return shown;
}

/** The chart colours of the theme shown now (read at each draw). */
export const chartColours: ChartColours = { ...CHART_COLOURS.light };

/** Called after the theme changed, so charts redraw in its colours. */
const redrawers = new Set<() => void>();

/** Redraws `fn` whenever the theme changes; returns the function that stops it. */
export function onThemeChange(fn: () => void): () => void {
  redrawers.add(fn);
  return () => redrawers.delete(fn);
}

/** Shows the theme on the page (data-theme on <html>, the colour-scheme of form controls
 * and scroll bars) and keeps it shown; called once at start. */
export function applyTheme(root: HTMLElement = document.documentElement): () => void {
  return theme.subscribe((t) => {
    shown = t;
    root.dataset.theme = t;
    root.style.colorScheme = t;
    Object.assign(chartColours, CHART_COLOURS[t]);
    for (const fn of redrawers) fn();
  });
}
