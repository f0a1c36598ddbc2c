import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { BUILT_PRELOAD } from './support/paths';

/**
 * A sandboxed renderer can load only a single CommonJS preload whose require reaches nothing
 * but `electron`. Nothing here can run Electron, so the built file is checked instead.
 */
describe('the built preload', () => {
  it('is one CommonJS file that requires only electron', async () => {
    const code = await readFile(BUILT_PRELOAD, 'utf8');
    const requires = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).not.toMatch(/\bimport\(/);
    expect(code).toContain('exposeInMainWorld');
  });
});
