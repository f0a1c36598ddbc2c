import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { marshall } from '@aws-sdk/util-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { esbuildOptions, PATTERN_E_BUNDLE } from '../../aws/infra/lambda-bundles';
import type { DynamoDBStreamEvent, DynamoDBStreamRecord, StreamHandler } from '../../core/messages';
import { messageItem, type MessageItem } from '../../core/messages/items';
import { newMessageUuid } from '../../shared/message-uuid';
import type { Person } from '../../shared/model';
import { createPeople, fileTestBed, groupItemsOf, seedConversation } from '../support/messages';

/**
 * The Pattern E Lambda as AWS runs it: bundled by esbuild with the stack's own options
 * (aws/infra/lambda-bundles.ts, what NodejsFunction is given), loaded from the built file, and
 * handed a DynamoDB Streams event shaped as Lambda delivers it. It reads its table from
 * CRUDDUR_TABLE and, as any SDK client does, its endpoint from AWS_ENDPOINT_URL_DYNAMODB.
 */
const bed = fileTestBed('pattern-e-lambda');
let outdir: string;
let bundleBytes: number;
let handler: StreamHandler;
const savedEnv = { ...process.env };

beforeAll(async () => {
  outdir = await mkdtemp(join(tmpdir(), 'pattern-e-'));
  const outfile = join(outdir, 'index.mjs');
  const result = await build({
    ...esbuildOptions(PATTERN_E_BUNDLE, resolve('.')),
    outfile,
    metafile: true,
    logLevel: 'silent',
  });
  bundleBytes = Object.values(result.metafile.outputs)[0]!.bytes;
  Object.assign(process.env, {
    AWS_REGION: bed.config.region,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: bed.config.dynamodbEndpoint,
    CRUDDUR_TABLE: bed.config.tableName,
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  const loaded = (await import(pathToFileURL(outfile).href)) as { handler: StreamHandler };
  handler = loaded.handler;
});

afterAll(async () => {
  process.env = savedEnv;
  await rm(outdir, { recursive: true, force: true });
});

let sequence = 100_000;

type StreamImage = NonNullable<NonNullable<DynamoDBStreamRecord['dynamodb']>['NewImage']>;

/** An item in DynamoDB JSON, as the JSON Lambda receives carries it (binary would be base64). */
const asDelivered = (item: Record<string, unknown>): StreamImage =>
  JSON.parse(JSON.stringify(marshall(item, { removeUndefinedValues: true }))) as StreamImage;

/** One record as DynamoDB Streams hands it to Lambda (view NEW_IMAGE), for `item`. */
function lambdaRecord(
  item: Record<string, unknown>,
  eventName: 'INSERT' | 'MODIFY' = 'INSERT',
): DynamoDBStreamRecord {
  sequence += 1;
  const streamArn = `arn:aws:dynamodb:${bed.config.region}:123456789012:table/${bed.config.tableName}/stream/2026-12-01T00:00:00.000`;
  return {
    eventID: `c81e728d9d4c2f636f067f89cc14862c${sequence}`,
    eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: bed.config.region,
    eventSourceARN: streamArn,
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(Date.now() / 1000),
      Keys: asDelivered({ pk: item['pk'], sk: item['sk'] }),
      NewImage: asDelivered(item),
      SequenceNumber: `${sequence}`.padStart(21, '0'),
      SizeBytes: JSON.stringify(item).length,
      StreamViewType: 'NEW_IMAGE',
    },
  };
}

/** A message written to the table as the app writes it (the INSERT the stream would carry). */
async function sent(groupUuid: string, sender: Person, at: number, text: string): Promise<MessageItem> {
  const item = messageItem(groupUuid, sender, newMessageUuid(at), text, new Date(at).toISOString());
  await bed.db.send(new PutCommand({ TableName: bed.config.tableName, Item: item }));
  return item;
}

describe('the Pattern E Lambda bundle', () => {
  it('builds as an ESM bundle with the SDK inside', () => {
    expect(bundleBytes).toBeGreaterThan(100 * 1024);
    expect(bundleBytes).toBeLessThan(2 * 1024 * 1024);
    expect(typeof handler).toBe('function');
  });

  it("moves both members' group items to the newest message of a Lambda stream event", async () => {
    const people = (await createPeople(bed.pool, ['gil', 'hal'])) as [Person, Person];
    const [gil, hal] = people;
    const start = Date.now() - 60_000;
    const { groupUuid, messages } = await seedConversation(bed.db, bed.config.tableName, people, {
      count: 1,
      firstAt: start,
    });
    const first = messages[0]!;
    const second = await sent(groupUuid, hal, start + 1_000, 'second');
    const third = await sent(groupUuid, hal, start + 2_000, 'third');
    const event: DynamoDBStreamEvent = {
      Records: [
        lambdaRecord(second),
        // A MODIFY and a non-message item: the mapping's filter drops the first, Pattern E the second.
        lambdaRecord({ ...first, message: 'edited' }, 'MODIFY'),
        lambdaRecord(third),
      ],
    };

    const response = await handler(event);

    expect(response).toEqual({ batchItemFailures: [] });
    for (const member of people) {
      const items = await groupItemsOf(bed.db, bed.config.tableName, member);
      expect(items, member.handle).toHaveLength(1);
      expect(items[0]).toMatchObject({
        last_message_sk: third.sk,
        message: 'third',
        last_reply_at: third.created_at,
      });
    }
    // Gil has hal's two new messages to read; hal wrote them.
    const [gilItem] = await groupItemsOf(bed.db, bed.config.tableName, gil);
    const [halItem] = await groupItemsOf(bed.db, bed.config.tableName, hal);
    expect(gilItem!.unread_count).toBe(2);
    expect(halItem!.unread_count ?? 0).toBe(0);
  });
});
