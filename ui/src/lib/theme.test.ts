import { afterEach, describe, expect, it, vi } from 'vitest';
import { get } from 'svelte/store';

/** A localStorage of a Map, as a browser has. */
function fakeStorage(initial: Record<string, string> = {}): Storage {
  const m = new Map(Object.entries(initial));
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, String(v)),
  };
}

async function fresh(stored: Record<string, string> = {}) {
  vi.resetModules();
  const storage = fakeStorage(stored);
  vi.stubGlobal('localStorage', storage);
  return { mod: await import('./theme'), storage };
}

afterEach(() => vi.unstubAllGlobals());

describe('theme', () => {
  it('follows the system unless a choice is stored', async () => {
    const { mod } = await fresh();
    expect(mod.getTheme()).toBe('system');
    expect(mod.resolveTheme('system', true)).toBe('dark');
    expect(mod.resolveTheme('system', false)).toBe('light');
    expect(mod.resolveTheme('light', true)).toBe('light');
    expect(mod.resolveTheme('dark', false)).toBe('dark');
  });

  it('keeps the choice in localStorage and shows it at once', async () => {
    const { mod, storage } = await fresh();
    mod.setTheme('dark');
    expect(storage.getItem(mod.STORAGE_KEY)).toBe('dark');
    expect(get(mod.themeChoice)).toBe('dark');
    expect(get(mod.theme)).toBe('dark');
    // A new page load reads it back.
    const again = await fresh({ [mod.STORAGE_KEY]: 'dark' });
    expect(again.mod.getTheme()).toBe('dark');
    expect(get(again.mod.theme)).toBe('dark');
  });

  it('takes a stored value that is not a choice as "system"', async () => {
    const { mod } = await fresh({ 'plantlog.theme': 'purple' });
    expect(mod.getTheme()).toBe('system');
    mod.setTheme('purple' as never);
    expect(get(mod.themeChoice)).toBe('system');
  });

  it('sets data-theme and the chart colours, and tells charts to redraw', async () => {
    const { mod } = await fresh();
    const root = { dataset: {} as Record<string, string>, style: { colorScheme: '' } };
    let redraws = 0;
    const off = mod.onThemeChange(() => redraws++);
    const stop = mod.applyTheme(root as unknown as HTMLElement);
    expect(root.dataset.theme).toBe('light');
    mod.setTheme('dark');
    expect(root.dataset.theme).toBe('dark');
    expect(root.style.colorScheme).toBe('dark');
    expect(mod.currentTheme()).toBe('dark');
    expect(mod.chartColours.axis).toBe(mod.CHART_COLOURS.dark.axis);
    expect(redraws).toBe(2);
    off();
    mod.setTheme('light');
    expect(redraws).toBe(2);
    expect(mod.chartColours.grid).toBe(mod.CHART_COLOURS.light.grid);
    stop();
  });
});

describe('density', () => {
  it('is normal until floor is chosen, and keeps the choice', async () => {
    const { mod, storage } = await fresh();
    expect(get(mod.density)).toBe('normal');
    mod.setDensity('floor');
    expect(storage.getItem(mod.DENSITY_KEY)).toBe('floor');
    expect(get(mod.density)).toBe('floor');
    const again = await fresh({ [mod.DENSITY_KEY]: 'floor' });
    expect(get(again.mod.density)).toBe('floor');
  });
});
