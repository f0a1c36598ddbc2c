import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** A value JSON can carry as it is. */
export type PlainJson = string | number | boolean | null | PlainJson[] | { [key: string]: PlainJson };

/**
 * DynamoDB numbers are decimal strings of up to 38 digits: a JS number where it round-trips
 * exactly, else the digits as a string, so an admin's scan never silently rounds.
 */
function plainNumber(text: string): number | string {
  const number = Number(text);
  return Number.isFinite(number) && String(number) === text ? number : text;
}

const base64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');

/** One attribute as plain JSON: sets become arrays, binary becomes base64. */
export function attributeToJson(value: AttributeValue): PlainJson {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return plainNumber(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.B !== undefined) return base64(value.B);
  if (value.SS !== undefined) return value.SS;
  if (value.NS !== undefined) return value.NS.map(plainNumber);
  if (value.BS !== undefined) return value.BS.map(base64);
  if (value.L !== undefined) return value.L.map(attributeToJson);
  if (value.M !== undefined) return itemToJson(value.M);
  throw new Error(`unknown DynamoDB attribute type ${Object.keys(value).join(', ')}`);
}

export function itemToJson(item: Record<string, AttributeValue>): { [key: string]: PlainJson } {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, attributeToJson(value)]));
}
