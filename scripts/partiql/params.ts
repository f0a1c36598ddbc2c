import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { UsageError } from '../cli/cli';

/**
 * A --param is a string unless it starts with a DynamoDB type prefix: `N:42`, `BOOL:true`,
 * `NULL:`, or `S:` to force a string that would otherwise look typed (`S:N:7` is the text "N:7").
 * Explicit prefixes instead of "whatever parses as JSON": an id or handle that happens to look
 * like a number must never silently become one, which would match nothing or fail on a key.
 */
export const PARAM_HELP = [
  'a value for the next ? (repeat in order); text by default,',
  'N:42 a number, BOOL:true|false, NULL: null, S:... text as is (S:N:7 is "N:7")',
].join('\n');

const DYNAMO_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export function parseParam(raw: string): AttributeValue {
  const match = /^(S|N|BOOL|NULL):/.exec(raw);
  if (!match) return { S: raw };
  const value = raw.slice(match[0].length);
  switch (match[1]) {
    case 'N':
      if (!DYNAMO_NUMBER.test(value)) {
        throw new UsageError(`--param ${raw}: '${value}' is not a number (for the text, write S:${raw})`);
      }
      return { N: value };
    case 'BOOL':
      if (value !== 'true' && value !== 'false') {
        throw new UsageError(`--param ${raw}: BOOL: takes true or false (for the text, write S:${raw})`);
      }
      return { BOOL: value === 'true' };
    case 'NULL':
      if (value !== '')
        throw new UsageError(`--param ${raw}: NULL: takes no value (for the text, write S:${raw})`);
      return { NULL: true };
    default:
      return { S: value };
  }
}

/** Parses every --param and checks there is one per `?` of the statement. */
export function statementParameters(raws: string[], placeholders: number): AttributeValue[] {
  if (raws.length !== placeholders) {
    const wanted = `${placeholders} ? placeholder${placeholders === 1 ? '' : 's'}`;
    throw new UsageError(
      `the statement has ${wanted} but ${raws.length} --param ${raws.length === 1 ? 'was' : 'were'} given`,
    );
  }
  return raws.map(parseParam);
}
