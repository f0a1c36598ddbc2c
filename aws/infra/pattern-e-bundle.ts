/**
 * How the Pattern E Lambda is bundled, in one place: the stack hands these to NodejsFunction
 * (which runs the local esbuild, no Docker) and the integration test builds the same bundle with
 * esbuild directly, so what the test runs is what AWS runs. Plain data, no CDK types.
 */
export const PATTERN_E_BUNDLE = {
  /** The handler the local stream worker runs too, relative to the repository root. */
  entry: 'aws/pattern-e/index.ts',
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
   * An ESM bundle has no `require`; a CommonJS dependency that requires a Node builtin needs one,
   * so the bundle makes it (the usual esbuild banner for ESM on Lambda).
   */
  banner:
    "import { createRequire as __cruddurRequire } from 'node:module'; const require = __cruddurRequire(import.meta.url);",
} as const;
