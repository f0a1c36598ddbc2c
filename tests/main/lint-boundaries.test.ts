import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The process boundary is a lint rule; these fixtures prove a wrong import fails. The code is
 * linted as if it stood at `filePath`, which is what selects the folder's rules.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('the process boundary', () => {
  it.each([
    ['renderer/src/x.ts', "import { loadConfig } from '../../core/config';"],
    ['renderer/src/x.ts', "import { ipcRenderer } from 'electron';"],
    ['renderer/src/x.ts', "import { readFile } from 'node:fs/promises';"],
    ['renderer/src/x.ts', "import { readFile } from 'fs';"],
    ['renderer/src/x.ts', "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';"],
    ['shared/x.ts', "import { createApi } from '../electron/preload/api';"],
    ['shared/x.ts', "import { App } from '../renderer/src/App';"],
    ['shared/x.ts', "import { join } from 'node:path';"],
    ['electron/main/x.ts', "import { App } from '../../renderer/src/App';"],
    ['electron/main/services/x.ts', "import { app } from 'electron';"],
    ['scripts/x.ts', "import { app } from 'electron';"],
  ])('refuses %s: %s', async (filePath, code) => {
    expect(await boundaryErrors(filePath, `${code}\nexport {};\n`)).toHaveLength(1);
  });

  it.each([
    ['renderer/src/x.ts', "import { contract } from '../../shared/contract';"],
    ['renderer/src/x.ts', "import { create } from 'zustand';"],
    ['shared/x.ts', "import { z } from 'zod';"],
    ['electron/main/x.ts', "import { contract } from '../../shared/contract';"],
    ['electron/main/shell/x.ts', "import { BrowserWindow } from 'electron';"],
    ['electron/preload/index.ts', "import { contextBridge } from 'electron';"],
    ['scripts/x.ts', "import { loadConfig } from '../electron/main/config';"],
  ])('allows %s: %s', async (filePath, code) => {
    expect(await boundaryErrors(filePath, `${code}\nexport {};\n`)).toEqual([]);
  });
});
