import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoClient } from '../core/clients';
import { ensureTable } from '../core/table';
import { startLocalCloud } from '../scripts/local/cloud';

/**
 * The benchmarks' own local cloud: DynamoDB Local alone, on a free port. Only DynamoDB: patterns
 * A and B and the seed never reach Cognito or PostgreSQL, and an in-process PGlite would only
 * blur the bench process's memory figure.
 *
 * In memory: on disk DynamoDB Local waits for an fsync on every write, which held it to ~50
 * items/s at any concurrency on this project's VMs, and on a tmpfs file it slowed sharply as the
 * table grew (measured, not investigated): figures about the emulator's storage, not the design.
 */
export interface BenchCloud {
  endpoint: string;
  /** The DynamoDB Local java process, for its memory figure. */
  javaPid: number | undefined;
  db: DynamoDBDocumentClient;
  tableName: string;
  /** A new client of this DynamoDB, e.g. to count one benchmark's requests on their own. */
  newClient(): DynamoDBDocumentClient;
  stop(): Promise<void>;
}

export async function startBenchCloud(tableName = 'cruddur-bench'): Promise<BenchCloud> {
  const cloud = await startLocalCloud({
    env: { CRUDDUR_TABLE: tableName },
    ports: 'free',
    dataDir: 'temporary',
    storage: 'memory',
    parts: 'dynamodb',
  });
  const { config } = cloud;
  const clients: DynamoDBDocumentClient[] = [];
  const newClient = () => {
    const client = createDynamoClient(config);
    clients.push(client);
    return client;
  };
  // Once only, however many callers (a signal and the normal end) ask.
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      for (const client of clients) client.destroy();
      await cloud.stop();
    })());
  const db = newClient();
  await ensureTable(db, tableName).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  return { endpoint: config.dynamodbEndpoint!, javaPid: cloud.dynamodbPid, db, tableName, newClient, stop };
}

/** Counts the HTTP requests a client makes (each retry too), by command. */
export class RequestCounter {
  readonly byCommand = new Map<string, number>();

  constructor(db: DynamoDBDocumentClient) {
    db.middlewareStack.add(
      (next, context) => (args) => {
        const command = context.commandName ?? '?';
        this.byCommand.set(command, (this.byCommand.get(command) ?? 0) + 1);
        return next(args);
      },
      // The deserialize step runs inside the retry loop: once per attempt.
      { step: 'deserialize', name: 'benchCountRequests', override: true },
    );
  }

  total(): number {
    return [...this.byCommand.values()].reduce((sum, n) => sum + n, 0);
  }

  /** "1,000 Query + 1 Get", for a table cell. */
  describe(): string {
    return [...this.byCommand]
      .map(([command, n]) => `${n.toLocaleString('en-US')} ${command.replace(/Command$/, '')}`)
      .join(' + ');
  }

  reset(): void {
    this.byCommand.clear();
  }
}
