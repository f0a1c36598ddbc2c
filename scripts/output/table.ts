import type { PlainJson } from './attribute-json';
import { textTable } from './columns';

/**
 * Query results for a terminal: one column per attribute any item has (pk and sk first, then by
 * name), one line per item. Ad-hoc statements return any shape, so unlike ddb:scan's fixed
 * columns the columns come from the items themselves.
 */
export type JsonItem = { [key: string]: PlainJson };

/** Widest cell before it is shortened with an ellipsis, in terminal columns. */
export const MAX_CELL_WIDTH = 40;

const FIRST_COLUMNS = ['pk', 'sk'];

export function columnsOf(items: JsonItem[]): string[] {
  const names = new Set(items.flatMap((item) => Object.keys(item)));
  const first = FIRST_COLUMNS.filter((name) => names.has(name));
  const rest = [...names].filter((name) => !FIRST_COLUMNS.includes(name)).sort();
  return [...first, ...rest];
}

const cellText = (value: PlainJson | undefined): string =>
  value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);

export function formatTable(items: JsonItem[]): string[] {
  const names = columnsOf(items);
  return textTable(
    names.map((title) => ({ title, max: MAX_CELL_WIDTH })),
    items.map((item) => names.map((name) => cellText(item[name]))),
    { rule: true },
  );
}

/** One JSON value per line: plain JSON, no DynamoDB type descriptors. */
export const jsonLines = (items: JsonItem[]): string[] => items.map((item) => JSON.stringify(item));
