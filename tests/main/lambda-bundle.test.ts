import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { API_BUNDLE, esbuildOptions } from '../../aws/infra/lambda-bundles';

const run = promisify(execFile);

/**
 * The Pattern E Lambda bundles core/ and nothing the app needs: no IPC contract, no Electron
 * code, no full zod (its classic API with every locale is ~455 KB minified). The item schemas
 * it reads stream images with are zod/mini, which tree-shakes to a few KB.
 */
describe('the Pattern E Lambda bundle', () => {
  it('holds core/ and the SDK, not the contract, electron/ or zod classic', async () => {
    const result = await build({
      entryPoints: ['aws/pattern-e/index.ts'],
      bundle: true,
      minify: true,
      platform: 'node',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const [output] = Object.values(result.metafile.outputs);
    // What the minified code holds: modules tree-shaken to nothing are listed with 0 bytes.
    const inputs = Object.entries(output!.inputs)
      .filter(([, { bytesInOutput }]) => bytesInOutput > 0)
      .map(([path]) => path);
    const size = result.outputFiles[0]!.contents.byteLength;

    expect(inputs).toContain('core/messages/stream/stream-handler.ts');
    expect(inputs.filter((path) => path.startsWith('electron/') || path.startsWith('renderer/'))).toEqual([]);
    expect(inputs).not.toContain('shared/contract.ts');
    expect(inputs).not.toContain('core/config.ts');
    expect(
      inputs.filter((path) => path.includes('node_modules/zod/') && !/zod\/v4\/(core|mini)\//.test(path)),
    ).toEqual([]);
    expect(size).toBeLessThan(700 * 1024);
  });
});

/**
 * Loads a bundle in a fresh Node, as Lambda's runtime loads a handler on a cold start, with every
 * way to reach the network refused and recorded: sockets, name lookups, fetch. (In this process
 * Vitest's module runner would transform the 1.3 MB bundle before importing it.)
 */
const LOADER = `
import dns from 'node:dns';
import net from 'node:net';
const calls = [];
const refuse = (what) => { calls.push(what); throw new Error('network while loading: ' + what); };
net.Socket.prototype.connect = () => refuse('net.Socket.connect');
dns.lookup = () => refuse('dns.lookup');
dns.promises.lookup = () => refuse('dns.promises.lookup');
globalThis.fetch = () => refuse('fetch');
const loaded = await import(process.argv[1]);
await new Promise((settle) => setImmediate(settle));
process.stdout.write(JSON.stringify({ handler: typeof loaded.handler, calls }));
`;

/**
 * The message API Lambda as NodejsFunction builds it (the stack's own options: ESM, the banner,
 * the pinned SDK inside) loads in Node, exports its handler, and touches no network until its
 * first invocation (the bench times this import as the cold start).
 */
describe('the message API Lambda bundle', () => {
  let outdir: string | undefined;
  afterAll(async () => {
    if (outdir) await rm(outdir, { recursive: true, force: true });
  });

  it('builds with the stack options, exports a handler function, and makes no network call on import', async () => {
    outdir = await mkdtemp(join(tmpdir(), 'api-bundle-'));
    const outfile = join(outdir, 'index.mjs');
    const result = await build({
      ...esbuildOptions(API_BUNDLE, resolve('.')),
      outfile,
      metafile: true,
      logLevel: 'silent',
    });
    const [output] = Object.values(result.metafile.outputs);
    const inputs = Object.keys(output!.inputs);
    expect(inputs).toContain('core/api/handler.ts');
    expect(inputs.filter((path) => /^(electron|renderer)\//.test(path))).toEqual([]);
    // The pinned SDK travels in the bundle (nothing is external).
    expect(inputs.some((path) => path.includes('node_modules/@aws-sdk/client-secrets-manager/'))).toBe(true);
    expect(output!.bytes).toBeLessThan(3 * 1024 * 1024);

    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', LOADER, pathToFileURL(outfile).href],
      {
        // Nothing of this machine's AWS settings: the import must need none.
        env: { PATH: process.env['PATH'] },
      },
    );
    expect(JSON.parse(stdout)).toEqual({ handler: 'function', calls: [] });
  });
});
