import { QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { MAX_PAGE_SIZE } from '../shared/messages';
import { MESSAGE_SK_PREFIX, messagePk } from '../shared/model';
import { RequestCounter, type BenchCloud } from './cloud';
import type { BenchConversation } from './data';
import { count, ms, readUnits, seconds, type BenchResult } from './report';
import { scanConversation } from './scan';
import { benchMessageService } from './service';
import { interleaved, latencyOf, percentile, timed } from './timing';

const TARGET_RATIO = 1.5;

interface PageFigures {
  ms: number;
  readUnits: number;
}

/**
 * Benchmark 3: the whole 100,000-message conversation read with Pattern A, pages of 100 (as the
 * app does on scroll), each page starting at the previous page's cursor, vs one Scan of the table
 * filtered to the conversation. A cursor is a key DynamoDB seeks to, so a page deep in the past
 * should cost what the first one does; the same Query sent raw, without the service, at both
 * depths tells the service's share of any difference from the emulator's.
 */
export async function patternAPaging(
  cloud: BenchCloud,
  conversation: BenchConversation,
): Promise<BenchResult> {
  const db = cloud.newClient();
  const requests = new RequestCounter(db);
  // A service of its own: its first page pays the membership check, as a fresh app's would.
  const service = benchMessageService(db, cloud.tableName);

  const pages: PageFigures[] = [];
  const sortKeys: string[] = [];
  const paging = await timed(async () => {
    let cursor: string | undefined;
    do {
      const page = await timed(() =>
        service.listMessages(conversation.reader, conversation.groupUuid, { limit: MAX_PAGE_SIZE, cursor }),
      );
      pages.push({ ms: page.ms, readUnits: page.value.consumed_capacity });
      sortKeys.push(...page.value.items.map((item) => item.sk));
      cursor = page.value.cursor ?? undefined;
    } while (cursor);
  });
  checkEveryMessageOnceNewestFirst(sortKeys, conversation.messages);
  const pagingRequests = requests.describe();

  requests.reset();
  const scan = await timed(() => scanConversation(db, cloud.tableName, messagePk(conversation.groupUuid)));
  if (scan.value.items.length !== conversation.messages) throw new Error('the Scan missed messages');
  const scanRequests = requests.describe();

  // The first and the last tenth of the pages: near the newest messages and deep in the past.
  const tenth = Math.max(1, Math.floor(pages.length / 10));
  const [first, last] = [pages.slice(0, tenth), pages.slice(-tenth)];
  const median = (slice: PageFigures[], figure: (page: PageFigures) => number) =>
    percentile(slice.map(figure), 50);
  const ratio = median(last, (page) => page.ms) / median(first, (page) => page.ms);
  const unitsRatio = median(last, (page) => page.readUnits) / median(first, (page) => page.readUnits);
  const raw = await interleaved(
    {
      shallow: () => rawPage(db, cloud.tableName, conversation, sortKeys[MAX_PAGE_SIZE - 1]!),
      deep: () => rawPage(db, cloud.tableName, conversation, sortKeys.at(-(MAX_PAGE_SIZE + 2))!),
    },
    { warmup: 3, rounds: 20 },
  );
  const totalReadUnits = pages.reduce((sum, page) => sum + page.readUnits, 0);
  const perPage = latencyOf(pages.map((page) => page.ms));
  // Every page but the last reads one item more than it returns, to know whether more are left.
  const queryItemsRead = sortKeys.length + pages.length - 1;
  return {
    title: `Reading all ${count(conversation.messages)} messages of one conversation`,
    headers: [
      'read',
      'requests',
      'messages returned',
      'items read',
      'read units',
      'total',
      'per request p50 / p95',
    ],
    rows: [
      [
        `Pattern A, pages of ${MAX_PAGE_SIZE}`,
        pagingRequests,
        count(sortKeys.length),
        count(queryItemsRead),
        readUnits(totalReadUnits),
        seconds(paging.ms),
        `${ms(perPage.p50)} / ${ms(perPage.p95)}`,
      ],
      [
        'Scan + filter to its pk',
        scanRequests,
        count(scan.value.items.length),
        count(scan.value.scanned),
        readUnits(scan.value.capacityUnits),
        seconds(scan.ms),
        `${ms(scan.ms / scan.value.requests)} (mean)`,
      ],
    ],
    ratios: [
      { label: `Pattern A page p50, last ${tenth} pages ÷ first ${tenth}`, value: ratio },
      {
        label: `read units a page, last ${tenth} pages ÷ first ${tenth} (p50)`,
        value: unitsRatio,
      },
      {
        label: 'raw Query (no service) p50, a page near the oldest ÷ near the newest',
        value: raw.deep.p50 / raw.shallow.p50,
      },
      { label: 'total time, Scan ÷ Pattern A paging', value: scan.ms / paging.ms },
      { label: 'read units, Scan ÷ Pattern A paging', value: scan.value.capacityUnits / totalReadUnits },
    ],
    target: `a page deep in the past costs what the first does: last pages' p50 within ${TARGET_RATIO}× of the first pages'`,
    meets: ratio <= TARGET_RATIO,
    notes: [
      `raw Query p50: ${ms(raw.shallow.p50)} near the newest, ${ms(raw.deep.p50)} near the oldest (${raw.deep.samples} calls each); ` +
        "it slows down too while the read units a page stay flat: the growth is DynamoDB Local's, not the service's",
      'the Scan reads the whole table (1 MB a request) and filters afterwards: its cost follows the table, not the conversation',
    ],
  };
}

/** One page of Pattern A's Query sent straight to DynamoDB, starting after `afterSk`. */
async function rawPage(
  db: DynamoDBDocumentClient,
  tableName: string,
  conversation: BenchConversation,
  afterSk: string,
): Promise<void> {
  const pk = messagePk(conversation.groupUuid);
  const page = await db.send(
    new QueryCommand({
      TableName: tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': MESSAGE_SK_PREFIX },
      ScanIndexForward: false,
      Limit: MAX_PAGE_SIZE + 1,
      ExclusiveStartKey: { pk, sk: afterSk },
    }),
  );
  if ((page.Items ?? []).length !== MAX_PAGE_SIZE + 1) throw new Error('a raw page came back short');
}

/** Paging that skips, repeats or reorders a message is broken, and its timing would mean nothing. */
function checkEveryMessageOnceNewestFirst(sortKeys: string[], expected: number): void {
  if (sortKeys.length !== expected)
    throw new Error(`paging returned ${sortKeys.length} of ${expected} messages`);
  for (let i = 1; i < sortKeys.length; i++) {
    if (sortKeys[i]! >= sortKeys[i - 1]!) throw new Error(`paging is out of order at message ${i}`);
  }
}
