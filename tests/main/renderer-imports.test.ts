import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The renderer's bundle stays small (issue 11: at most 100 KB gzipped) only while nothing it
 * imports at run time pulls in zod (60+ KB): shared/ keeps its rules in zod-free modules and the
 * schemas beside them. This walks the renderer's value imports (type-only ones are erased) and
 * names the path to any module that imports zod.
 */
const VALUE_IMPORT = /^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;

function resolveModule(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [base, `${base}.ts`, `${base}.tsx`, `${base}/index.ts`].find(
    (candidate) => existsSync(candidate) && statSync(candidate).isFile(),
  );
}

function zodPaths(entry: string): string[][] {
  const found: string[][] = [];
  const seen = new Set<string>();
  const visit = (file: string, path: string[]) => {
    if (seen.has(file)) return;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, specifier] of source.matchAll(VALUE_IMPORT)) {
      if (specifier === 'zod' || specifier!.startsWith('zod/')) found.push([...path, file]);
      else if (specifier!.startsWith('.')) {
        const next = resolveModule(file, specifier!);
        if (next && /\.tsx?$/.test(next)) visit(next, [...path, file]);
      }
    }
  };
  visit(resolve(entry), []);
  return found;
}

describe("the renderer's run-time imports", () => {
  it('never reach zod', () => {
    expect(zodPaths('renderer/src/main.tsx')).toEqual([]);
  });

  it('are followed through shared/ (a module that imports zod is found)', () => {
    const paths = zodPaths('shared/contract.ts');
    expect(paths.length).toBeGreaterThan(0);
  });
});
