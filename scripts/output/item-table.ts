import type { PlainJson } from './attribute-json';
import { columnWidths, tableLine, type TextColumn } from './columns';

/**
 * A scanned item as one readable line: its keys, the handle it names (a message's sender, a
 * group item's other member) and the text. The scan prints page by page, so the first page fixes
 * the column widths and every later line keeps to them.
 */
type Item = { [key: string]: PlainJson };

interface ItemColumn extends TextColumn {
  value: (item: Item) => string;
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

const COLUMNS: ItemColumn[] = [
  { title: 'PK', value: (item) => text(item['pk']), max: 48 },
  { title: 'SK', value: (item) => text(item['sk']), max: 72 },
  { title: 'HANDLE', value: (item) => text(item['user_handle']), max: 16 },
  { title: 'TEXT', value: summary, max: 60 },
];

const cells = (item: Item): string[] => COLUMNS.map((column) => column.value(item));

export class ItemTable {
  private widths: number[] | undefined;

  /** Lines for one page of items; the first page fixes the column widths (and adds the header). */
  page(items: Item[]): string[] {
    const rows = items.map(cells);
    const header = this.widths ? [] : [COLUMNS.map((column) => column.title)];
    const widths = (this.widths ??= columnWidths(COLUMNS, rows));
    return [...header, ...rows].map((row) => tableLine(row, widths));
  }
}
