// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import local from './eslint/boundaries.js';

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'node_modules/**',
      '.local-cloud/**',
      'test-results/**',
      'cdk.out/**',
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
  // The process boundary: each folder imports only what eslint/boundaries.js's table allows it.
  {
    plugins: { local },
    rules: { 'local/process-boundary': 'error' },
  },
);
