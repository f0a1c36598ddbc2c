import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import { resolveConfig } from 'electron-vite';
import { build, type InlineConfig, type Plugin } from 'vite';
import { count, kib, type BenchResult } from './report';

/** Issue 11's goal: what one window downloads and parses at start-up. */
export const BUNDLE_TARGET_GZIP_BYTES = 100 * 1024;
/** How many contributors the breakdown lists; the rest are summed on one line. */
const TOP_CONTRIBUTORS = 8;

/** One file the build wrote, with the bytes it holds and those gzip makes of them. */
export interface BuiltFile {
  name: string;
  kind: 'js' | 'css' | 'other';
  raw: number;
  gzip: number;
}

/** The gzip level servers and the benchmarks of other bundlers use: the default, 6. */
export const gzipBytes = (text: string | Uint8Array): number => gzipSync(text, { level: 6 }).length;

/**
 * Who a module of the bundle belongs to: an npm package (by its name, scope included), one of
 * our folders (renderer/, shared/), or the bundler's own runtime.
 */
export function contributorOf(moduleId: string): string {
  const id = moduleId.split(sep).join('/');
  // The innermost node_modules names the package (a nested or .pnpm copy included).
  const inPackage = [...id.matchAll(/\/node_modules\/((?:@[^/]+\/)?[^/]+)\//g)].at(-1);
  if (inPackage) return inPackage[1]!;
  const ours = /\/(renderer|shared)\//.exec(id);
  if (ours) return `${ours[1]}/ (ours)`;
  return 'bundler runtime';
}

/**
 * Benchmark: the renderer bundle as `npm run build` makes it (electron-vite's resolved renderer
 * config, minified), built into a temporary folder, with raw and gzipped sizes. A second build of
 * the same config splits each contributor into a chunk of its own, so the bundler minifies each
 * alone and its gzipped size can be measured: what remains when the goal is missed.
 */
export async function rendererBundle(): Promise<BenchResult> {
  const outDir = await mkdtemp(join(tmpdir(), 'cruddur-bench-renderer-'));
  try {
    const whole = await buildRenderer(join(outDir, 'whole'), false);
    const split = await buildRenderer(join(outDir, 'split'), true);
    const js = whole.filter((file) => file.kind === 'js');
    const css = whole.filter((file) => file.kind === 'css');
    const sum = (files: BuiltFile[], key: 'raw' | 'gzip') => files.reduce((total, f) => total + f[key], 0);
    const jsGzip = sum(js, 'gzip');
    const parts = split
      .filter((file) => file.kind === 'js')
      .sort((a, b) => b.gzip - a.gzip || a.name.localeCompare(b.name));
    const partsGzip = sum(parts, 'gzip');
    const top = parts.slice(0, TOP_CONTRIBUTORS);
    const rest = parts.slice(TOP_CONTRIBUTORS);
    const breakdown = [...top, ...(rest.length > 0 ? [restRow(rest)] : [])].map(
      (part) =>
        `${part.name}: ${kib(part.gzip)} gzipped (${((100 * part.gzip) / partsGzip).toFixed(0)}%), ${kib(part.raw)} minified`,
    );
    const row = (label: string, files: BuiltFile[]) => [
      label,
      count(files.length),
      kib(sum(files, 'raw')),
      kib(sum(files, 'gzip')),
    ];
    const meets = jsGzip > 0 && jsGzip <= BUNDLE_TARGET_GZIP_BYTES;
    return {
      title: 'Renderer bundle, production build (electron-vite renderer config, minified)',
      headers: ['asset', 'files', 'minified', 'gzipped'],
      rows: [row('JavaScript', js), row('CSS', css), row('JavaScript + CSS', [...js, ...css])],
      ratios: [{ label: 'JavaScript gzipped ÷ the 100 KiB goal', value: jsGzip / BUNDLE_TARGET_GZIP_BYTES }],
      target: `the renderer's JavaScript at most ${kib(BUNDLE_TARGET_GZIP_BYTES)} gzipped (level 6)`,
      meets,
      notes: [
        `biggest contributors (each built as its own minified chunk, then gzipped; the parts sum to ${kib(partsGzip)}, a little more than the one bundle, since each part is compressed alone):`,
        ...breakdown.map((line) => `  ${line}`),
        `zod in the renderer bundle: ${parts.some((part) => part.name.includes('zod')) ? 'YES' : 'no'}`,
      ],
    };
  } finally {
    await rm(outDir, { recursive: true, force: true });
  }
}

/** Several small contributors, summed into one line of the breakdown. */
function restRow(rest: BuiltFile[]): BuiltFile {
  return {
    name: `${rest.length} more (${rest.map((part) => part.name).join(', ')})`,
    kind: 'js',
    raw: rest.reduce((total, part) => total + part.raw, 0),
    gzip: rest.reduce((total, part) => total + part.gzip, 0),
  };
}

/**
 * Builds the renderer with electron-vite's own resolution of electron.vite.config.ts (its
 * presets and plugins included) into `outDir`; `splitByContributor` puts each contributor of
 * contributorOf into its own chunk. Answers every file written, as the bundler emitted it.
 */
export async function buildRenderer(outDir: string, splitByContributor: boolean): Promise<BuiltFile[]> {
  const resolved = await resolveConfig({ logLevel: 'warn' }, 'build', 'production');
  const renderer = resolved.config?.renderer as InlineConfig | undefined;
  if (!renderer?.build) throw new Error('electron.vite.config.ts has no renderer build');
  const files: BuiltFile[] = [];
  const measure: Plugin = {
    name: 'cruddur-bench-measure',
    generateBundle(_options, bundle) {
      for (const output of Object.values(bundle)) {
        const content = output.type === 'chunk' ? output.code : output.source;
        // A chunk is named by the contributors of its modules, whatever name the bundler gave it.
        const name =
          splitByContributor && output.type === 'chunk'
            ? [...new Set(output.moduleIds.map(contributorOf))].sort().join(' + ')
            : output.fileName;
        const kind = output.fileName.endsWith('.js')
          ? 'js'
          : output.fileName.endsWith('.css')
            ? 'css'
            : 'other';
        files.push({ name, kind, raw: Buffer.byteLength(content), gzip: gzipBytes(content) });
      }
    },
  };
  const rolldownOptions = renderer.build.rolldownOptions ?? {};
  await build({
    ...renderer,
    logLevel: 'warn',
    plugins: [...(renderer.plugins ?? []), measure],
    build: {
      ...renderer.build,
      outDir,
      emptyOutDir: true,
      reportCompressedSize: false,
      rolldownOptions: {
        ...rolldownOptions,
        // Its "plugins took N s" advice is about the machine's load, not the bundle: not printed.
        checks: { ...rolldownOptions.checks, bundlerTimings: false },
        output: {
          ...(Array.isArray(rolldownOptions.output) ? {} : rolldownOptions.output),
          ...(splitByContributor
            ? {
                codeSplitting: {
                  // Each group only its own modules, not the packages they import.
                  includeDependenciesRecursively: false,
                  groups: [{ name: (moduleId: string) => contributorOf(moduleId), debugName: 'contributor' }],
                },
              }
            : {}),
        },
      },
    },
  });
  if (!files.some((file) => file.kind === 'js')) throw new Error('the renderer build wrote no JavaScript');
  return files;
}
