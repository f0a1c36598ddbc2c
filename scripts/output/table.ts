import type { PlainJson } from './attribute-json';

/**
 * Query results for a terminal: one column per attribute any item has (pk and sk first, then by
 * name), one line per item. Ad-hoc statements return any shape, so unlike ddb:scan's fixed
 * columns the columns come from the items themselves.
 */
export type JsonItem = { [key: string]: PlainJson };

/** Longest cell before it is shortened with an ellipsis, in code points. */
export const MAX_CELL_WIDTH = 40;

const FIRST_COLUMNS = ['pk', 'sk'];

export function columnsOf(items: JsonItem[]): string[] {
  const names = new Set(items.flatMap((item) => Object.keys(item)));
  const first = FIRST_COLUMNS.filter((name) => names.has(name));
  const rest = [...names].filter((name) => !FIRST_COLUMNS.includes(name)).sort();
  return [...first, ...rest];
}

/** One line per cell, whatever the value holds: breaks and control characters become symbols. */
function cellText(value: PlainJson | undefined): string {
  const text = value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return text
    .replace(/\r\n|\n|\r/g, '⏎')
    .replace(/\t/g, ' ')
    .replace(/\p{Cc}/gu, '�');
}

/** Cut by code point, so an emoji is never split in half. */
export function shorten(text: string, width = MAX_CELL_WIDTH): string {
  const codePoints = Array.from(text);
  return codePoints.length > width ? `${codePoints.slice(0, width - 1).join('')}…` : text;
}

const pad = (text: string, width: number): string => text + ' '.repeat(width - Array.from(text).length);

export function formatTable(items: JsonItem[]): string[] {
  const columns = columnsOf(items);
  const rows = items.map((item) => columns.map((column) => shorten(cellText(item[column]))));
  const widths = columns.map((column, index) =>
    Math.max(Array.from(column).length, ...rows.map((row) => Array.from(row[index]!).length)),
  );
  const line = (cells: string[]): string =>
    cells
      .map((cell, index) => pad(cell, widths[index]!))
      .join('  ')
      .trimEnd();
  return [line(columns), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)];
}

/** One JSON value per line: plain JSON, no DynamoDB type descriptors. */
export const jsonLines = (items: JsonItem[]): string[] => items.map((item) => JSON.stringify(item));
