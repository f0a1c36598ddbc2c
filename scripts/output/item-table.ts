import type { PlainJson } from './attribute-json';

/**
 * A scanned item as one readable line: its keys, the handle it names (a message's sender, a
 * group item's other member) and the text. Line breaks and other control characters are shown as symbols so one item is always one line, and long values are
 * cut (by code point, so an emoji is never split in half).
 */
type Item = { [key: string]: PlainJson };

interface Column {
  title: string;
  value: (item: Item) => string;
  max: number;
}

const text = (value: PlainJson | undefined): string =>
  value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);

/** What the item says: its message, a conversation's members, or else its other attributes. */
function summary(item: Item): string {
  if (typeof item['message'] === 'string') return item['message'];
  if (Array.isArray(item['member_uuids'])) return `members ${item['member_uuids'].join(' ')}`;
  const { pk: _pk, sk: _sk, ...rest } = item;
  return JSON.stringify(rest);
}

const COLUMNS: Column[] = [
  { title: 'PK', value: (item) => text(item['pk']), max: 48 },
  { title: 'SK', value: (item) => text(item['sk']), max: 72 },
  { title: 'HANDLE', value: (item) => text(item['user_handle']), max: 16 },
  { title: 'TEXT', value: summary, max: 60 },
];

function oneLine(value: string): string {
  return value
    .replace(/\r\n|\n|\r/g, '⏎')
    .replace(/\t/g, ' ')
    .replace(/\p{Cc}/gu, '�');
}

function fit(value: string, width: number): string {
  const codePoints = Array.from(oneLine(value));
  const cut = codePoints.length > width ? [...codePoints.slice(0, width - 1), '…'] : codePoints;
  return cut.join('') + ' '.repeat(width - cut.length);
}

export class ItemTable {
  private widths: number[] | undefined;

  /** Lines for one page of items; the first page fixes the column widths (and adds the header). */
  page(items: Item[]): string[] {
    const lines: string[] = [];
    if (!this.widths) {
      this.widths = COLUMNS.map((column) =>
        Math.min(
          column.max,
          Math.max(
            column.title.length,
            ...items.map((item) => Array.from(oneLine(column.value(item))).length),
          ),
        ),
      );
      lines.push(this.row(COLUMNS.map((column) => column.title)));
    }
    for (const item of items) lines.push(this.row(COLUMNS.map((column) => column.value(item))));
    return lines;
  }

  private row(cells: string[]): string {
    return cells
      .map((cell, index) => fit(cell, this.widths![index]!))
      .join('  ')
      .trimEnd();
  }
}
