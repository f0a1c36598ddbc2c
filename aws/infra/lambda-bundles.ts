/**
 * How the stack's Lambdas are bundled, in one place: the stack hands these to NodejsFunction
 * (which runs the local esbuild, no Docker) and the tests build the same bundles with esbuild
 * directly (esbuildOptions), so what a test runs is what AWS runs. Plain data, no CDK types.
 */
const COMMON = {
  /** The Lambda runtime is Node.js 22. */
  target: 'node22',
  format: 'esm',
  minify: true,
  /**
   * Nothing is left out: NodejsFunction leaves @aws-sdk/* to the runtime's copy by default, whose
   * version nobody here pinned or tested; the bundle carries the project's pinned SDK instead.
   */
  externalModules: [] as string[],
  /**
   * The packages' ES module builds first: the SDK's dist-es is tree-shaken where its dist-cjs
   * (esbuild's default for platform node) is not. The API bundle: 1.30 MB → 0.98 MB, its import
   * 301 → 229 ms here.
   */
  mainFields: ['module', 'main'] as string[],
  /**
   * An ESM bundle has no `require`; a CommonJS dependency that requires a Node builtin needs one,
   * so the bundle makes it (the usual esbuild banner for ESM on Lambda).
   */
  banner:
    "import { createRequire as __cruddurRequire } from 'node:module'; const require = __cruddurRequire(import.meta.url);",
} as const;

export interface LambdaBundle {
  /** The module exporting `handler`, relative to the repository root. */
  readonly entry: string;
  readonly target: string;
  readonly format: 'esm';
  readonly minify: boolean;
  readonly externalModules: readonly string[];
  readonly mainFields: readonly string[];
  readonly banner: string;
}

/** Pattern E: the handler the local stream worker runs too. */
export const PATTERN_E_BUNDLE = {
  entry: 'aws/pattern-e/index.ts',
  ...COMMON,
} as const satisfies LambdaBundle;

/** The message API: the handler the local API gateway invokes too. */
export const API_BUNDLE = { entry: 'aws/api/index.ts', ...COMMON } as const satisfies LambdaBundle;

/** The esbuild options NodejsFunction derives from a bundle, for building it the same way in a test. */
export function esbuildOptions(bundle: LambdaBundle, root = '.') {
  return {
    entryPoints: [`${root}/${bundle.entry}`],
    bundle: true,
    platform: 'node' as const,
    target: bundle.target,
    format: bundle.format,
    minify: bundle.minify,
    external: [...bundle.externalModules],
    mainFields: [...bundle.mainFields],
    banner: { js: bundle.banner },
  };
}
