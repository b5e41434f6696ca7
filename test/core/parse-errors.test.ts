import { describe, expect, it } from 'vitest';
import { MAX_REPORTED_ERRORS, parseSource } from '../../packages/core/src/manifests/parse.js';

describe('parseSource, on YAML that does not parse', () => {
  it('reports an error the parser repeats at the same place (once per unclosed level) only once', () => {
    const text = `${'['.repeat(150)}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n`;
    const parsed = parseSource({ name: 'm.yaml', text });
    const errors = parsed.diagnostics.map((d) => `${d.location?.line}:${d.location?.column} ${d.message}`);
    expect(new Set(errors).size).toBe(errors.length);
    expect(errors.length).toBeLessThanOrEqual(3);
    expect(parsed.documents.map((d) => d.index)).toEqual([1]); // the valid document after it is still read
  });

  it('lists a file\'s first errors one by one, then stops reading it at the next broken document and counts what is left', () => {
    const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\n`;
    const broken = '---\na: b: c\n';
    const text = `${pod('first')}${broken.repeat(10)}---\n${pod('middle')}${broken.repeat(MAX_REPORTED_ERRORS + 500)}---\n${pod('last')}${broken.repeat(10)}`;
    const parsed = parseSource({ name: 'm.yaml', text });
    const syntax = parsed.diagnostics.filter((d) => d.code === 'yaml/syntax');
    const counted = parsed.diagnostics.filter((d) => d.code === 'yaml/too-many-errors');
    expect(syntax.length).toBeGreaterThanOrEqual(MAX_REPORTED_ERRORS);
    expect(syntax.length).toBeLessThanOrEqual(MAX_REPORTED_ERRORS + 2);
    expect(counted).toHaveLength(1);
    // every document after the listed errors is counted, the last pod among them
    expect(counted[0]!.message).toContain(`${MAX_REPORTED_ERRORS + 521 - syntax.length} more documents of this file, from this one on, were not read`);
    expect(counted[0]!.location?.document).toBe(syntax.length + 2);
    // the pods before the cap are read
    expect(parsed.documents.map((d) => (d.value as { metadata: { name: string } }).metadata.name)).toEqual(['first', 'middle']);
  });
});
