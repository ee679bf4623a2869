/**
 * One table, two renderings: aligned text for the terminal, and Markdown for the results JSON so a README can
 * paste the exact numbers a run printed.
 */

export type Align = 'left' | 'right';

export interface Table {
  text: string;
  markdown: string;
}

/** Two spaces keep columns apart without wasting terminal width. */
const COLUMN_GAP = '  ';

export function renderTable(headers: readonly string[], rows: ReadonlyArray<readonly string[]>, align?: readonly Align[]): Table {
  const columns = headers.length;
  for (const row of rows) {
    if (row.length !== columns) throw new Error(`table row has ${row.length} cells, expected ${columns}: ${row.join(' | ')}`);
  }
  // Labels read best left-aligned, numbers right-aligned so their digits line up.
  const alignOf = (column: number): Align => align?.[column] ?? (column === 0 ? 'left' : 'right');
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column]!.length)));
  const pad = (cell: string, column: number) =>
    alignOf(column) === 'left' ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!);

  const line = (cells: readonly string[]) => cells.map(pad).join(COLUMN_GAP).trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join(COLUMN_GAP);
  const text = [line(headers), rule, ...rows.map(line)].join('\n');

  const escape = (cell: string) => cell.replaceAll('|', '\\|');
  const mdLine = (cells: readonly string[]) => `| ${cells.map(escape).join(' | ')} |`;
  const mdRule = `|${headers.map((_, column) => (alignOf(column) === 'left' ? ':---' : '---:')).join('|')}|`;
  const markdown = [mdLine(headers), mdRule, ...rows.map(mdLine)].join('\n');

  return { text, markdown };
}

/** Prints the text rendering (through `print`, console.log unless given) and returns both renderings. */
export function printTable(
  headers: readonly string[],
  rows: ReadonlyArray<readonly string[]>,
  { align, print = (text: string) => console.log(text) }: { align?: readonly Align[]; print?: (text: string) => void } = {},
): Table {
  const table = renderTable(headers, rows, align);
  print(table.text);
  return table;
}
