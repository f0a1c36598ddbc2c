/** What a benchmark hands back, and how run.ts prints it. */

export interface BenchResult {
  title: string;
  /** One row per measured case, under `headers`. */
  headers: string[];
  rows: string[][];
  /** The side-by-side comparisons this benchmark is about. */
  ratios: { label: string; value: number }[];
  /** The target in words, and whether this run met it (a miss is reported, never fatal). */
  target: string;
  meets: boolean;
  notes?: string[];
}

export const count = (value: number): string => Math.round(value).toLocaleString('en-US');
export const ms = (value: number): string => `${value < 100 ? value.toFixed(1) : count(value)} ms`;
export const readUnits = (value: number): string => (value < 100 ? value.toFixed(1) : count(value));
export const seconds = (millis: number): string => `${(millis / 1000).toFixed(1)} s`;
export const times = (value: number): string => (value < 100 ? `${value.toFixed(2)}×` : `${count(value)}×`);
export const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** A plain-text table: the first column left-aligned (labels), the others right-aligned (figures). */
export function formatTable(headers: string[], rows: string[][], indent = '  '): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    indent +
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ')
      .trimEnd();
  const rule = indent + widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

export function formatResult(number: number, result: BenchResult): string {
  return [
    `${number}. ${result.title}`,
    formatTable(result.headers, result.rows),
    ...result.ratios.map((ratio) => `  ratio ${ratio.label}: ${times(ratio.value)}`),
    ...(result.notes ?? []).map((note) => `  note: ${note}`),
    `  verdict: ${result.meets ? 'meets' : 'MISSES'} the target: ${result.target}`,
  ].join('\n');
}

/** Bytes as KiB with one decimal: "85.3 KiB" (the bundle's figures). */
export const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
