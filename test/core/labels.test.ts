import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { findInvalidLabel, isValidLabelValue } from '../../packages/core/src/model/labels.js';

/** The API server's label value syntax as its regular expression (validation.IsValidLabelValue). */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

describe('label values', () => {
  it('are valid exactly when the API server\'s expression and length limit say so', () => {
    // characters at and around every boundary of the allowed ranges, and some beyond ASCII
    const char = fc.constantFrom(...'-_.09AZaz/@`[{:\n \u00e9\u0660'.split(''), 'b', 'M', '5');
    fc.assert(fc.property(fc.array(char, { maxLength: 70 }).map((cs) => cs.join('')), (value) => {
      expect(isValidLabelValue(value)).toBe(value.length <= 63 && LABEL_VALUE.test(value));
    }), { numRuns: 5000 });
  });

  it('end at 63 characters and must begin and end alphanumeric', () => {
    expect(isValidLabelValue('a'.repeat(63))).toBe(true);
    expect(isValidLabelValue('a'.repeat(64))).toBe(false);
    expect(isValidLabelValue('')).toBe(true);
    expect(isValidLabelValue('web-1')).toBe(true);
    expect(isValidLabelValue('-web')).toBe(false);
    expect(isValidLabelValue('web.')).toBe(false);
    expect(isValidLabelValue('web\n')).toBe(false);
    expect(findInvalidLabel({ app: 'web', tier: 'bad value' })?.key).toBe('tier');
  });
});
