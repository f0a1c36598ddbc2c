import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

// The blocking script of index.html's <head>, run as the page runs it: a classic script.
const THEME_JS = readFileSync(resolve('renderer/public/theme.js'), 'utf8');
const INDEX_HTML = readFileSync(resolve('renderer/index.html'), 'utf8');

/** A prefers-color-scheme query the test can flip, as the operating system (or the setting) would. */
function stubColorScheme(dark: boolean, { modern = true } = {}) {
  const listeners = new Set<() => void>();
  const query = {
    matches: dark,
    media: '(prefers-color-scheme: dark)',
    ...(modern
      ? { addEventListener: (_type: string, listener: () => void) => listeners.add(listener) }
      : { addListener: (listener: () => void) => listeners.add(listener) }),
  };
  const matchMedia = vi.fn(() => query);
  vi.stubGlobal('matchMedia', matchMedia);
  return {
    matchMedia,
    change(nowDark: boolean) {
      query.matches = nowDark;
      for (const listener of listeners) listener();
    },
  };
}

const runThemeScript = () => new Function(THEME_JS)();
const theme = () => document.documentElement.dataset.theme;

afterEach(() => {
  vi.unstubAllGlobals();
  delete document.documentElement.dataset.theme;
});

describe('the theme before first paint', () => {
  it('is dark when the colour scheme is dark', () => {
    const scheme = stubColorScheme(true);
    runThemeScript();
    expect(scheme.matchMedia).toHaveBeenCalledWith('(prefers-color-scheme: dark)');
    expect(theme()).toBe('dark');
  });

  it('is light when the colour scheme is light', () => {
    stubColorScheme(false);
    runThemeScript();
    expect(theme()).toBe('light');
  });

  it('follows a change of the colour scheme, with the old listener API too', () => {
    for (const modern of [true, false]) {
      const scheme = stubColorScheme(false, { modern });
      runThemeScript();
      scheme.change(true);
      expect(theme()).toBe('dark');
      scheme.change(false);
      expect(theme()).toBe('light');
    }
  });

  it('runs from index.html as a classic script from the page origin, before any stylesheet', () => {
    const head = INDEX_HTML.slice(0, INDEX_HTML.indexOf('</head>'));
    const script = head.match(/<script src="([^"]+)"><\/script>/);
    expect(script?.[1]).toBe('/theme.js');
    expect(head).not.toMatch(/<link[^>]+stylesheet/);
    expect(INDEX_HTML.indexOf('/theme.js')).toBeLessThan(INDEX_HTML.indexOf('src/main.tsx'));
  });
});

const STYLES = readFileSync(resolve('renderer/src/styles.css'), 'utf8');

/** The custom properties of one rule block of styles.css, by its exact selector. */
function palette(selector: string): Map<string, string> {
  const start = STYLES.indexOf(`${selector} {`);
  const block = STYLES.slice(start, STYLES.indexOf('}', start));
  return new Map([...block.matchAll(/(--[\w-]+):\s*([^;]+);/g)].map((m) => [m[1]!, m[2]!.trim()]));
}

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

const contrast = (a: string, b: string) => {
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (high! + 0.05) / (low! + 0.05);
};

// Text on the backgrounds it is drawn on (styles.css and conversation.css), and the focus ring.
const TEXT_PAIRS: [string, string, number][] = [
  ['--text', '--pane', 4.5],
  ['--text', '--bg', 4.5],
  ['--text', '--accent-soft', 4.5],
  ['--text', '--theirs', 4.5],
  ['--muted', '--pane', 4.5],
  ['--muted', '--bg', 4.5],
  ['--muted', '--accent-soft', 4.5],
  ['--muted', '--theirs', 4.5],
  ['--accent', '--pane', 4.5],
  ['--accent', '--accent-soft', 4.5],
  ['--accent', '--theirs', 4.5],
  ['--on-accent', '--mine', 4.5],
  ['--on-mine', '--mine', 4.5],
  ['--on-mine-muted', '--mine', 4.5],
  ['--danger', '--pane', 4.5],
  ['--danger', '--danger-soft', 4.5],
  ['--success', '--pane', 4.5],
  ['--warning', '--warning-soft', 4.5],
  ['--on-badge', '--badge', 4.5],
  ['--focus', '--pane', 3],
  ['--focus', '--bg', 3],
  ['--focus', '--accent-soft', 3],
  ['--focus', '--warning-soft', 3],
  ['--warning', '--pane', 3],
  ['--field-border', '--pane', 3],
];

describe('the palettes', () => {
  const light = palette(':root');
  const dark = palette(":root[data-theme='dark']");

  it('gives the dark theme every colour the light one has, and dark form controls', () => {
    const colours = [...light.keys()].filter((name) => /^#|^rgb|%$/.test(light.get(name)!));
    expect(colours.length).toBeGreaterThan(15);
    expect(colours.filter((name) => !dark.has(name))).toEqual([]);
    expect(STYLES).toMatch(/:root\[data-theme='dark'\] \{[^}]*color-scheme: dark;/);
  });

  it.each([
    ['light', light],
    ['dark', dark],
  ])('meets WCAG AA contrast in the %s theme', (_name, colours) => {
    const failures = TEXT_PAIRS.filter(([fg, bg, min]) => contrast(colours.get(fg)!, colours.get(bg)!) < min);
    expect(failures).toEqual([]);
  });
});
