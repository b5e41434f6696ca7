/** A CSV cell and where it starts (1-based line and column). */
export interface CsvCell {
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

/**
 * Reads RFC 4180 CSV (as netdiagram writes it, or a spreadsheet saves it): fields separated by
 * commas, quoted with `"` (a doubled `""` inside), rows ended by CRLF or LF; blank rows are
 * skipped. A spreadsheet's guard `'` before a formula-like cell is taken off again. Throws a
 * `CsvError` at the position of an unterminated quote.
 */
export function readCsv(text: string): CsvCell[][] {
  const rows: CsvCell[][] = [];
  let row: CsvCell[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  while (i <= text.length) {
    const column = i - lineStart + 1;
    const startLine = line;
    let cell = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new CsvError('a quoted field is never closed', startLine, column);
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (text[i] === '\n') {
          line++;
          lineStart = i + 1;
        }
        cell += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') cell += text[i++];
    }
    row.push({ text: /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell, line: startLine, column });
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n' || i >= text.length) {
      if (!(row.length === 1 && row[0]!.text === '')) rows.push(row);
      row = [];
      i++;
      line++;
      lineStart = i;
      if (i > text.length) break;
      continue;
    }
    throw new CsvError(`unexpected ${JSON.stringify(text[i])} after a quoted field`, line, i - lineStart + 1);
  }
  return rows;
}

export class CsvError extends Error {
  constructor(message: string, readonly line: number, readonly column: number) {
    super(message);
  }
}
