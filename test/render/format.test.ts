import { ALL_PORTS, NO_PORTS } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { measureText, truncateText } from '@netdiagram/render';
import { escapeXml, formatPortLabel, round, svgId } from '../../packages/render/src/format.js';

describe('escapeXml', () => {
  it.each([
    ['a<b>', 'a&lt;b&gt;'],
    ['"x" & \'y\'', '&quot;x&quot; &amp; &apos;y&apos;'],
    [']]>', ']]&gt;'],
    ['bell\u0007', 'bell\uFFFD'],
    ['lone \uD800 surrogate', 'lone \uFFFD surrogate'],
    ['café 😀', 'café 😀'],
  ])('escapes %j as %j', (input, output) => {
    expect(escapeXml(input)).toBe(output);
  });
});

describe('svgId', () => {
  it('keeps ids apart that differ only in punctuation', () => {
    const ids = ['a/b', 'a-b', 'a_b', 'a b', 'a_2f_b'].map((s) => svgId('n', s));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^n-[A-Za-z0-9_-]+$/.test(id))).toBe(true);
  });
});

describe('formatPortLabel', () => {
  it.each([
    [ALL_PORTS, 'ALL'],
    [{ ...NO_PORTS, TCP: [[6379, 6379]] }, 'TCP 6379'],
    [{ ...NO_PORTS, TCP: [[53, 53]], UDP: [[53, 53]] }, 'TCP 53 · UDP 53'],
    [{ ...NO_PORTS, TCP: [[1, 65535]] }, 'TCP all'],
    [{ ...NO_PORTS, TCP: [[80, 80], [443, 443], [8000, 8100], [9000, 9000], [9100, 9100], [9200, 9200]] }, 'TCP 80,443,8000-8100,9000 +2'],
  ] as const)('writes %j as %s', (ports, label) => {
    expect(formatPortLabel(ports as never)).toBe(label);
  });
});

describe('round', () => {
  it('rounds to hundredths and never gives -0', () => {
    expect(round(1.005 + 1e-9)).toBe(1.01);
    expect(round(-0.001)).toBe(0);
    expect(Object.is(round(-0.001), -0)).toBe(false);
  });
});

describe('measureText', () => {
  it('measures DejaVu Sans from its static width table', () => {
    // DejaVu Sans advance widths: "M" 1767/2048 em, space 651/2048 em
    expect(measureText('M', { size: 1000 })).toBeCloseTo(863, 0);
    expect(measureText(' ', { size: 1000 })).toBeCloseTo(318, 0);
    expect(measureText('M', { size: 1000, bold: true })).toBeGreaterThan(measureText('M', { size: 1000 }));
  });

  it('measures characters the font lacks as one em, wide enough for a CJK fallback', () => {
    expect(measureText('日本', { size: 10 })).toBe(20);
  });
});

describe('truncateText', () => {
  it('cuts long labels to 32 characters with an ellipsis, without splitting a character', () => {
    expect(truncateText('x'.repeat(40))).toBe(`${'x'.repeat(31)}…`);
    expect(truncateText('😀'.repeat(40), 4)).toBe('😀😀😀…');
    expect(truncateText('short')).toBe('short');
  });
});
