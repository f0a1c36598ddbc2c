import { describe, expect, it } from 'vitest';
import { contributorOf } from '../../bench/renderer-bundle';
import { costOf } from '../../bench/requests-per-action';
import { kib } from '../../bench/report';

describe("the benchmarks' figures", () => {
  it('names the contributor of a bundled module: its package (scoped too), our folder, or the runtime', () => {
    expect(contributorOf('/work/main/node_modules/react-dom/cjs/react-dom-client.production.js')).toBe(
      'react-dom',
    );
    expect(contributorOf('/work/main/node_modules/@tanstack/virtual-core/dist/esm/index.js')).toBe(
      '@tanstack/virtual-core',
    );
    expect(contributorOf('/work/main/node_modules/.pnpm/x/node_modules/zustand/esm/index.mjs')).toBe(
      'zustand',
    );
    expect(contributorOf('/work/main/renderer/src/components/MessageList.tsx')).toBe('renderer/ (ours)');
    expect(contributorOf('/work/main/shared/messages.ts')).toBe('shared/ (ours)');
    expect(contributorOf('\0rolldown/runtime.js')).toBe('bundler runtime');
  });

  it('splits an action into reads and writes by DynamoDB command', () => {
    const cost = costOf(
      new Map([
        ['QueryCommand', 1],
        ['UpdateItemCommand', 1],
        ['GetItemCommand', 2],
        ['TransactWriteItemsCommand', 1],
      ]),
    );
    expect(cost).toEqual({
      described: '1 Query + 1 UpdateItem + 2 GetItem + 1 TransactWriteItems',
      reads: 3,
      writes: 2,
    });
    expect(costOf(new Map())).toEqual({ described: 'none', reads: 0, writes: 0 });
  });

  it('prints bundle sizes in KiB with one decimal', () => {
    expect(kib(87_552)).toBe('85.5 KiB');
  });
});
