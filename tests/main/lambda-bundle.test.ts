import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

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
