import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../packages/cli/src/escape.js';
import { hostileStrings } from './arbitraries.js';

/** Text that spreadsheets run, terminals obey or locales split at. */
const injections = [
  ',', ';', ';=1', '\t', '\r', '\n', '\r\n', '"', '""', '=1+1', '+1', '-1', '@SUM(A1)', '\uff1d1', '=HYPERLINK("http://x")',
  '\u001b[31m', '\u009b31m', '\u202e', '\u2066', '\u2028', '\u0000', '\u007f', '\ud800', '\udfff', "'", ' ',
];

const piece = fc.oneof(fc.constantFrom(...injections, ...hostileStrings), fc.string({ maxLength: 6, unit: 'binary' }));
const cellText = fc.array(piece, { maxLength: 5 }).map((parts) => parts.join(''));
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('CSV cells read back by a CSV parser', () => {
  it('keep the number of cells with a comma, semicolon or tab as separator, and carry no control character', () => {
    fc.assert(
      fc.property(fc.array(cellText, { minLength: 1, maxLength: 5 }), fc.constantFrom(',', ';', '\t'), (cells, delimiter) => {
        const written = cells.map(csvCell);
        for (const cell of written) expect(cell).not.toMatch(CONTROL);
        const line = `${written.join(delimiter)}\r\n`;
        const records = parse(line, { delimiter, relax_quotes: false, record_delimiter: '\r\n' }) as string[][];
        expect(records).toHaveLength(1);
        expect(records[0]).toHaveLength(cells.length);
        for (const cell of records[0]!) {
          expect(cell).not.toMatch(CONTROL);
          expect(cell).not.toMatch(/^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20\ufe62\ufe63]/);
          expect(cell).toBe(cell.toWellFormed());
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('read back as the text written, with control characters shown as \\uXXXX and an apostrophe before a formula', () => {
    fc.assert(
      fc.property(cellText, (text) => {
        const [[cell]] = parse(`${csvCell(text)}\r\n`, { record_delimiter: '\r\n' }) as string[][];
        const shown = text.toWellFormed().replace(new RegExp(CONTROL.source, 'g'), (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
        expect(cell ?? '').toBe(/^[=+\-@\t\r\uff1d\uff0b\uff0d\uff20\ufe62\ufe63]/.test(text) ? `'${shown}` : shown);
      }),
      { numRuns: 1000 },
    );
  });

  it('quotes a cell that a semicolon locale would split, and shows a terminal escape as text', () => {
    expect(csvCell('a;=b')).toBe('"a;=b"');
    expect(csvCell('a\tb')).toBe('a\\u0009b');
    expect(csvCell('\u001b[2J\u009b31m\u202eexe.txt')).toBe('\\u001b[2J\\u009b31m\\u202eexe.txt');
  });
});
