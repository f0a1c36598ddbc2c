import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { fit, oneLine, shorten, textTable } from '../../scripts/output/columns';
import { ItemTable } from '../../scripts/output/item-table';
import { formatTable } from '../../scripts/output/table';
import { messagesTable } from '../../scripts/patterns/output';
import type { MessageView } from '../../shared/messages';

const FAMILY = '👨‍👩‍👧‍👦'; // one grapheme of 7 code points, 2 columns
const FLAG = '🇯🇵'; // two regional indicators
const CJK = '東京タワー'; // 2 columns a character
const COMBINING = 'cafe\u0301 Zoe\u0308'; // decomposed é and ë: the marks take no column
const HEBREW = 'שלום עולם';
const ARABIC = 'مرحبا بالعالم';

const graphemesOf = (text: string): string[] =>
  Array.from(new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(text), (s) => s.segment);

/**
 * Where each cell of a printed line starts, in terminal columns, measured on the printed text
 * itself: a cell is a run of text whose words are one space apart, the gap between cells is wider.
 */
const columnStarts = (line: string): number[] =>
  Array.from(line.matchAll(/\S+(?:\s\S+)*/gu), (match) => stringWidth(line.slice(0, match.index)));

function expectAlignedColumns(lines: string[], columns: number): void {
  const starts = lines.map(columnStarts);
  expect(starts[0]).toHaveLength(columns);
  for (const [index, line] of lines.entries()) expect(starts[index], line).toEqual(starts[0]);
}

const message = (handle: string, text: string, second: number): MessageView => ({
  message_uuid: `0190a000-0000-7000-8000-00000000000${second}`,
  message: text,
  created_at: new Date(Date.UTC(2026, 0, 1, 12, 0, second)).toISOString(),
  user_uuid: 'a11ce000-0000-4000-8000-000000000001',
  handle,
  display_name: handle,
  sk: `MSG#${second}`,
});

describe('the terminal table printer', () => {
  it('starts every column at the same terminal column on every line of a ddb:query table', () => {
    const lines = formatTable([
      { pk: `MSG#${CJK}`, sk: FAMILY.repeat(3), text: COMBINING, who: HEBREW },
      { pk: `${FLAG} flag`, sk: 'plain', text: CJK.repeat(12), who: ARABIC },
      { pk: 'ascii', sk: `${FLAG}${FLAG}`, text: FAMILY.repeat(30), who: 'bob' },
    ]);
    expect(lines).toHaveLength(5);
    expectAlignedColumns(lines, 4);
  });

  it('keeps the widths the first page of a scan fixed, in columns, on later pages', () => {
    const table = new ItemTable();
    const lines = [
      ...table.page([
        { pk: `MSG#${FLAG}`, sk: 'MSG#1', user_handle: 'ann', message: `${CJK} ${FAMILY}` },
        { pk: 'MSG#2', sk: `MSG#${CJK}`, user_handle: 'ben', message: HEBREW },
      ]),
      ...table.page([
        { pk: `MSG#${CJK}${CJK}`, sk: 'MSG#3', user_handle: 'cal', message: FAMILY.repeat(40) },
        { pk: 'MSG#4', sk: 'MSG#4', user_handle: 'dee', message: `${COMBINING} ${ARABIC}` },
      ]),
    ];
    expect(lines).toHaveLength(5);
    expectAlignedColumns(lines, 4);
  });

  it('aligns a conversation whose messages mix scripts and emoji', () => {
    const lines = messagesTable([
      message('ann', `${FAMILY} ${FLAG} ${CJK}`, 1),
      message('ben', ARABIC, 2),
      message('cal', COMBINING.repeat(12), 3),
    ]);
    expect(lines).toHaveLength(5);
    expectAlignedColumns(lines, 3);
  });

  it('shortens a long cell with … without breaking a grapheme cluster, and pads it to the width', () => {
    for (const cluster of [FAMILY, FLAG, 'e\u0301', '東']) {
      const long = cluster.repeat(50);
      for (let width = 1; width <= 12; width += 1) {
        const short = shorten(long, width);
        const parts = graphemesOf(short);
        expect(parts.at(-1)).toBe('…');
        expect(
          parts.slice(0, -1).every((part) => part === cluster),
          short,
        ).toBe(true);
        expect(stringWidth(short)).toBeLessThanOrEqual(width);
        expect(stringWidth(fit(long, width))).toBe(width);
      }
    }
    expect(shorten(FAMILY.repeat(30), 9)).toBe(`${FAMILY.repeat(4)}…`);
    expect(shorten(`a${CJK}`, 6)).toBe('a東京…');
  });

  it('prints only whole clusters of its cells in a table with a shortened family-emoji cell', () => {
    const cells = [`${FAMILY}${FLAG}`.repeat(40), CJK, COMBINING];
    const lines = textTable(
      ['A', 'B', 'C'].map((title) => ({ title, max: 15 })),
      [cells],
    );
    const whole = new Set([...cells, 'A', 'B', 'C'].flatMap(graphemesOf));
    for (const part of graphemesOf(lines.join('')))
      expect(whole.has(part) || ['…', ' '].includes(part)).toBe(true);
    expect(lines[1]).toContain('…');
  });

  it('shows line breaks as ⏎, a tab as a space and other control characters as �', () => {
    expect(oneLine('a\r\nb\nc\rd\te\u0000f\u001b[31mg\u007fh\u0085i\u2028j')).toBe('a⏎b⏎c⏎d e�f�[31mg�h⏎i⏎j');
    const lines = formatTable([{ pk: 'p', sk: 'line one\nline two\u0007\u001b[2J' }]);
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('p   line one⏎line two��[2J');
    expect(lines.join('')).not.toMatch(/\p{Cc}/u);
  });
});
