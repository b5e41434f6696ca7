import { formatDiagnostic, type Diagnostic } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';

const at = (line: number, column: number, length?: number): Diagnostic => ({
  severity: 'error', code: 'yaml/syntax', message: 'bad', location: { file: 'f.yaml', line, column, document: 0, ...(length ? { length } : {}) },
});

describe('formatDiagnostic', () => {
  it('underlines the offending text under a code frame', () => {
    expect(formatDiagnostic(at(2, 7, 3), 'a: 1\nbad: [x\n')).toBe('f.yaml:2:7: error yaml/syntax: bad\n  2 | bad: [x\n    |       ^');
  });

  it('keeps tabs in the code frame so the marker lines up under them', () => {
    expect(formatDiagnostic(at(1, 2), '\tname: x').split('\n')[2]).toBe('    | \t^');
  });

  it('shows a window of a very long line around the column, not the whole line', () => {
    const line = `${'x'.repeat(10_000)}!${'y'.repeat(10_000)}`;
    const [, frame, marker] = formatDiagnostic(at(1, 10_001), line).split('\n');
    expect(frame!.length).toBeLessThan(200);
    expect(frame![marker!.indexOf('^')]).toBe('!');
  });

  it('escapes control characters in the message, the file name and the code frame', () => {
    const d: Diagnostic = { severity: 'error', code: 'netpol/invalid-protocol', message: 'protocol "\u001b[31m\nX" is bad', location: { file: 'a\nb.yaml', line: 1, column: 11, document: 0 } };
    const text = formatDiagnostic(d, 'protocol: "\u001b[31m"');
    expect(text).not.toContain('\u001b');
    expect(text.split('\n')).toHaveLength(3);
    expect(text.split('\n')[0]).toBe('a\\nb.yaml:1:11: error netpol/invalid-protocol: protocol "\\u001b[31m\\nX" is bad');
  });

  it('gives the same frame from the source text and from its lines (which is faster for many diagnostics)', () => {
    const source = 'a: 1\r\nb: [2\r\nc: 3\r\n';
    expect(formatDiagnostic(at(2, 4), source.split(/\r?\n/))).toBe(formatDiagnostic(at(2, 4), source));
    expect(formatDiagnostic(at(2, 4), source)).toBe('f.yaml:2:4: error yaml/syntax: bad\n  2 | b: [2\n    |    ^');
  });

  it('prints only the first line when the position is past the end of the source', () => {
    expect(formatDiagnostic(at(9, 1), 'a: 1\n')).toBe('f.yaml:9:1: error yaml/syntax: bad');
  });
});
