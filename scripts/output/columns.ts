import stringWidth from 'string-width';

/**
 * Text for a terminal, measured as a terminal draws it: cut between grapheme clusters (what a
 * reader sees as one character: 👨‍👩‍👧‍👦 is seven code points, é may be two) and counted in columns
 * (a CJK character or an emoji takes two, a combining mark none). Every table and shortened value
 * the scripts print goes through here, so a column starts at the same place on every line.
 */
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The columns the text takes in a terminal. */
export const textWidth = (text: string): number => stringWidth(text);

// string-width takes microseconds a call and a page of a scan holds thousands of cells made of
// the same few hundred clusters: each cluster is measured once.
const clusterWidths = new Map<string, number>();
function clusterWidth(cluster: string): number {
  let width = clusterWidths.get(cluster);
  if (width === undefined) clusterWidths.set(cluster, (width = stringWidth(cluster)));
  return width;
}

/**
 * One line whatever the text holds: line breaks as ⏎, a tab as one space, any other control
 * character as �, so a value can neither break a table's line nor move the cursor.
 */
export function oneLine(text: string): string {
  return text
    .replace(/\r\n|[\n\r\u0085\u2028\u2029]/g, '⏎')
    .replace(/\t/g, ' ')
    .replace(/\p{Cc}/gu, '�');
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/**
 * The text as one line of at most `width` columns, and the columns it takes. A longer one is cut
 * between clusters and ends in …; the loop stops at the first cluster past the width, so a
 * 100 KB value costs no more than a short one, and ASCII (each character a cluster of one column)
 * is not segmented at all.
 */
function fitted(text: string, width: number): { text: string; columns: number } {
  const line = oneLine(text);
  if (PRINTABLE_ASCII.test(line)) {
    if (line.length <= width) return { text: line, columns: line.length };
    return { text: `${line.slice(0, Math.max(0, width - 1))}…`, columns: Math.max(1, width) };
  }
  let columns = 0;
  // The longest start that leaves a column for the ellipsis.
  let start = { end: 0, columns: 0 };
  for (const { segment, index } of graphemes.segment(line)) {
    const next = clusterWidth(segment);
    if (columns + next > width) return { text: `${line.slice(0, start.end)}…`, columns: start.columns + 1 };
    columns += next;
    if (columns < width) start = { end: index + segment.length, columns };
  }
  return { text: line, columns };
}

/** The text as one line of at most `width` columns: a longer one is cut between clusters and ends in …. */
export const shorten = (text: string, width: number): string => fitted(text, width).text;

/** The text shortened to `width` columns and padded with spaces to exactly that. */
export function fit(text: string, width: number): string {
  const cell = fitted(text, width);
  return cell.text + ' '.repeat(Math.max(0, width - cell.columns));
}

export interface TextColumn {
  title: string;
  /** The widest its cells may be, in columns; longer ones are shortened (the title never is). */
  max?: number;
}

/** Each column as wide as its title and widest cell, but no wider than its max. */
export function columnWidths(columns: TextColumn[], rows: string[][]): number[] {
  return columns.map((column, index) => {
    const max = column.max ?? Infinity;
    const cells = rows.map((row) => fitted(row[index] ?? '', max).columns);
    return cells.reduce((widest, cell) => Math.max(widest, cell), textWidth(column.title));
  });
}

/** One line of a table: each cell fitted to its column, two spaces apart, no trailing blanks. */
export function tableLine(cells: string[], widths: number[]): string {
  return widths
    .map((width, index) => fit(cells[index] ?? '', width))
    .join('  ')
    .trimEnd();
}

/** The titles, a line of dashes under them when `rule` is set, then one line per row. */
export function textTable(
  columns: TextColumn[],
  rows: string[][],
  options: { rule?: boolean } = {},
): string[] {
  const widths = columnWidths(columns, rows);
  const rule = options.rule ? [widths.map((width) => '-'.repeat(width))] : [];
  return [columns.map((column) => column.title), ...rule, ...rows].map((row) => tableLine(row, widths));
}
