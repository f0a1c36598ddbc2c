import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative, resolve } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import type { Configuration } from 'app-builder-lib';
import { DebugLogger } from 'builder-util/out/DebugLogger';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The installers' configuration (electron-builder.yml), checked offline: Electron's download,
 * which packaging needs, is unreachable on this project's machines, so these tests check what
 * can be checked without it — the config as electron-builder itself loads and validates it,
 * and the package.json lists that decide what is copied into the app's archive.
 */

const ROOT = resolve('.');
const pkg = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as {
  author?: { name?: string; email?: string } | string;
  license?: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};

let config: Configuration;

beforeAll(async () => {
  // The same loader electron-builder runs (electron-builder.yml, merged with package.json's).
  config = await getConfig(ROOT, null, null);
});

/** Target names as electron-builder knows them for each OS (its docs' target lists). */
const KNOWN_TARGETS = {
  linux: [
    'AppImage',
    'flatpak',
    'snap',
    'deb',
    'rpm',
    'freebsd',
    'pacman',
    'p5p',
    'apk',
    '7z',
    'zip',
    'tar.xz',
    'tar.lz',
    'tar.gz',
    'tar.bz2',
    'dir',
  ],
  mac: ['dmg', 'pkg', 'mas', 'mas-dev', '7z', 'zip', 'tar.xz', 'tar.lz', 'tar.gz', 'tar.bz2', 'dir'],
  win: [
    'nsis',
    'nsis-web',
    'portable',
    'appx',
    'msi',
    'msiwrapped',
    'squirrel',
    '7z',
    'zip',
    'tar.xz',
    'tar.lz',
    'tar.gz',
    'tar.bz2',
    'dir',
  ],
} as const;

function targetNames(platform: keyof typeof KNOWN_TARGETS): string[] {
  const target = config[platform]?.target;
  const list = target === undefined || target === null ? [] : Array.isArray(target) ? target : [target];
  return list.map((entry) => (typeof entry === 'string' ? entry : entry.target));
}

/** Width and height from a PNG's IHDR chunk (bytes 16..24, after the signature and chunk header). */
function pngSize(file: string): { width: number; height: number; signature: string; chunk: string } {
  const bytes = readFileSync(file);
  return {
    signature: bytes.subarray(1, 4).toString('latin1'),
    chunk: bytes.subarray(12, 16).toString('latin1'),
    width: bytes.readUInt32BE(16),
    height: bytes.readUInt32BE(20),
  };
}

describe('electron-builder.yml', () => {
  it('loads through electron-builder and passes its own schema validation', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    // The validation is real: an unknown key fails it.
    const wrong = { ...config, linux: { ...config.linux, categroy: 'Network' } } as Configuration;
    await expect(validateConfiguration(wrong, new DebugLogger(false))).rejects.toThrow(
      /Invalid configuration object/,
    );
  });

  it('builds AppImage and deb on Linux, dmg on macOS, NSIS on Windows: known target names', () => {
    expect(targetNames('linux')).toEqual(['AppImage', 'deb']);
    expect(targetNames('mac')).toEqual(['dmg']);
    expect(targetNames('win')).toEqual(['nsis']);
    for (const platform of ['linux', 'mac', 'win'] as const) {
      for (const name of targetNames(platform)) expect(KNOWN_TARGETS[platform]).toContain(name);
    }
  });

  it('ships an allow-list: the built app and package.json, nothing else', () => {
    // getConfig normalizes a list of patterns to one { filter } entry; a from/to would copy more.
    const entries = (Array.isArray(config.files) ? config.files : [config.files]).map((entry) =>
      typeof entry === 'string' ? { filter: [entry] } : entry,
    );
    expect(entries.every((entry) => entry != null && !('from' in entry) && !('to' in entry))).toBe(true);
    expect(entries.flatMap((entry) => entry?.filter ?? [])).toEqual(['out/**', 'package.json']);
    expect(config.directories?.output).toBe('dist');
  });

  it('sets the fuses: no run-as-node, NODE_OPTIONS or inspect; encrypted cookies; asar only, integrity-checked', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('names the app and its icon: a 1024×1024 png rendered from the checked-in svg', () => {
    expect(config.appId).toBe('org.cruddur.desktop');
    expect(config.productName).toBe('Cruddur');
    expect(config.icon).toBe('build/icon.png');
    expect(existsSync(resolve('build/icon.svg'))).toBe(true);
    expect(pngSize(resolve('build/icon.png'))).toEqual({
      signature: 'PNG',
      chunk: 'IHDR',
      width: 1024,
      height: 1024,
    });
  });

  it('gives Linux its category and deb a maintainer, and leaves deb.depends to the defaults (libsecret)', () => {
    expect(config.linux?.category).toBe('Network;InstantMessaging');
    expect(config.linux?.maintainer).toMatch(/^.+ <[^@\s]+@[^@\s]+\.[a-z]+>$/);
    expect(config.deb?.depends).toBeUndefined();
  });
});

describe('package.json for packaging', () => {
  it('names an author with an email and a license, and the LICENSE file exists', () => {
    expect(typeof pkg.author === 'object' && pkg.author.name && pkg.author.email).toBeTruthy();
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(resolve('LICENSE'), 'utf8')).toMatch(
      /^MIT License\n\nCopyright \(c\) 2026 Cruddur Desktop contributors/,
    );
  });

  /** Every .ts file under a folder, tests excluded. */
  function sources(folder: string): string[] {
    return readdirSync(resolve(folder), { recursive: true, encoding: 'utf8' })
      .map((file) => join(folder, file))
      .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file) && statSync(file).isFile());
  }

  /** The packages a file loads at run time (type-only imports vanish in the bundle). */
  function runtimePackages(file: string): string[] {
    const text = readFileSync(file, 'utf8');
    const specifiers = [
      ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s+(?!type\s)[^;]*?from\s+['"]([^'"]+)['"]/g),
      ...text.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g),
      ...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g),
    ].map((match) => match[1] ?? '');
    return specifiers
      .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'))
      .map((specifier) =>
        specifier
          .split('/')
          .slice(0, specifier.startsWith('@') ? 2 : 1)
          .join('/'),
      )
      .filter((name) => !builtinModules.includes(name));
  }

  const shipped = ['electron/main', 'core', 'shared'].flatMap(sources);

  it('finds the main process sources it checks', () => {
    expect(shipped.length).toBeGreaterThan(20);
    expect(shipped.flatMap(runtimePackages)).toContain('pg');
  });

  it('keeps what only the renderer bundles out of dependencies, and out of main and core', () => {
    for (const name of ['react', 'react-dom', 'zustand', '@tanstack/react-virtual'])
      expect(Object.keys(pkg.dependencies)).not.toContain(name);
    const offenders = shipped.filter((file) =>
      runtimePackages(file).some((name) => /^(react|react-dom|zustand|@tanstack\/.*)$/.test(name)),
    );
    expect(offenders).toEqual([]);
  });

  it('lists in dependencies every package the main process (electron/main, core, shared) loads, and nothing else', () => {
    const needed = new Set(shipped.flatMap(runtimePackages).filter((name) => name !== 'electron'));
    const missing = [...needed].filter((name) => !(name in pkg.dependencies));
    expect(
      missing.map(
        (name) =>
          `${name} (${shipped
            .filter((f) => runtimePackages(f).includes(name))
            .map((f) => relative(ROOT, f))
            .join(', ')})`,
      ),
    ).toEqual([]);
    expect(Object.keys(pkg.dependencies).filter((name) => !needed.has(name))).toEqual([]);
  });
});
