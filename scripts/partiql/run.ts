import {
  ExecuteStatementCommand,
  type AttributeValue,
  type ConsumedCapacity,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AppError, type ErrorCode } from '../../shared/result';
import type { StatementInfo } from './statement';

export type RawItem = Record<string, AttributeValue>;

export interface CapacityTotal {
  units: number;
  read: number | undefined;
  write: number | undefined;
}

export interface StatementOutcome {
  items: RawItem[];
  /** ExecuteStatement requests made (one per page). */
  pages: number;
  /** Stopped at the limit while DynamoDB had more to read: more matching items may exist. */
  truncated: boolean;
  /** undefined when no response carried ConsumedCapacity (DynamoDB Local reports none). */
  capacity: CapacityTotal | undefined;
}

/**
 * ExecuteStatement's Limit caps the items DynamoDB evaluates, before any filter. Asking for
 * exactly the items still wanted would make a selective filter crawl one item per request (each
 * billed and rounded up on its own), so a page asks for at least this many.
 */
export const MIN_PAGE_LIMIT = 100;

const addUp = (a: number | undefined, b: number | undefined): number | undefined =>
  a === undefined && b === undefined ? undefined : (a ?? 0) + (b ?? 0);

function addCapacity(
  total: CapacityTotal | undefined,
  page: ConsumedCapacity | undefined,
): CapacityTotal | undefined {
  if (!page) return total;
  return {
    units: (total?.units ?? 0) + (page.CapacityUnits ?? 0),
    read: addUp(total?.read, page.ReadCapacityUnits),
    write: addUp(total?.write, page.WriteCapacityUnits),
  };
}

/** Runs one statement, following NextToken until `limit` items or the end. */
export async function executeStatement(
  db: DynamoDBDocumentClient,
  request: { statement: string; parameters: AttributeValue[]; limit: number | undefined },
): Promise<StatementOutcome> {
  const items: RawItem[] = [];
  const limitReached = (): boolean => items.length === request.limit;
  let pages = 0;
  let capacity: CapacityTotal | undefined;
  let nextToken: string | undefined;
  let dropped: boolean;
  do {
    const wanted = request.limit === undefined ? undefined : request.limit - items.length;
    const page = await db.send(
      new ExecuteStatementCommand({
        Statement: request.statement,
        // DynamoDB rejects an empty Parameters list.
        Parameters: request.parameters.length > 0 ? request.parameters : undefined,
        NextToken: nextToken,
        Limit: wanted === undefined ? undefined : Math.max(wanted, MIN_PAGE_LIMIT),
        ReturnConsumedCapacity: 'TOTAL',
      }),
    );
    pages += 1;
    const pageItems = page.Items ?? [];
    items.push(...pageItems.slice(0, wanted));
    dropped = wanted !== undefined && pageItems.length > wanted;
    capacity = addCapacity(capacity, page.ConsumedCapacity);
    nextToken = page.NextToken;
  } while (nextToken && !limitReached());
  const truncated = limitReached() && (dropped || nextToken !== undefined);
  return { items, pages, truncated, capacity };
}

const errorName = (error: unknown): string => (error as { name?: string } | undefined)?.name ?? '';
const errorMessage = (error: unknown): string =>
  ((error as { message?: string } | undefined)?.message ?? String(error)).replace(/\s+/g, ' ').trim();

/**
 * DynamoDB's statement errors as one line naming the problem; undefined for any other error
 * (unreachable, forbidden…), which the caller maps like every ddb script does. Measured on
 * DynamoDB Local 3.3.1: an unknown table is ResourceNotFoundException ("Cannot do operations on a
 * non-existent table": we name the table and the target instead), an unknown index ValidationException ("The table does
 * not have the specified index: x"), bad syntax ValidationException ("Statement wasn't well
 * formed, can't be processed: ..."), an INSERT over an existing key DuplicateItem, an UPDATE of a
 * missing item ConditionalCheckFailedException.
 */
export function statementError(
  error: unknown,
  info: StatementInfo,
  /** Where it ran, e.g. `target local, region us-east-1, endpoint http://127.0.0.1:8000`. */
  where: string,
): AppError | undefined {
  const message = errorMessage(error);
  const table = info.target ? `"${info.target.table}"` : "the statement's table";
  const fail = (code: ErrorCode, text: string): AppError => new AppError(code, text, { cause: error });
  switch (errorName(error)) {
    case 'ResourceNotFoundException':
      return fail('NotFound', `table ${table} does not exist (${where})`);
    case 'ValidationException': {
      // The index is missing from a table that exists: the thing named is not found, as a table.
      const missingIndex = /specified index: ?(.*)$/.exec(message);
      if (missingIndex)
        return fail('NotFound', `index "${missingIndex[1]}" does not exist on table ${table} (${where})`);
      if (/well formed|unexpected|syntax/i.test(message))
        return fail('Invalid', `PartiQL syntax error: ${message}`);
      return fail('Invalid', `DynamoDB rejected the statement: ${message}`);
    }
    case 'DuplicateItem':
      return fail('Conflict', `an item with the same primary key already exists (DynamoDB: ${message})`);
    case 'ConditionalCheckFailedException':
      return fail(
        'Conflict',
        `the condition failed; UPDATE changes only an existing item (DynamoDB: ${message})`,
      );
    default:
      return undefined;
  }
}
