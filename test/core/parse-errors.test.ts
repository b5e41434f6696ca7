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

  it('lists a file\'s first errors one by one, counts the broken documents past them, and still reads the good ones', () => {
    const pod = (name: string) => `apiVersion: v1\nkind: Pod\nmetadata: {name: ${name}}\n`;
    const broken = '---\na: b: c\n';
    const text = `${pod('first')}${broken.repeat(MAX_REPORTED_ERRORS + 500)}---\n${pod('last')}${broken.repeat(10)}`;
    const parsed = parseSource({ name: 'm.yaml', text });
    const syntax = parsed.diagnostics.filter((d) => d.code === 'yaml/syntax');
    const counted = parsed.diagnostics.filter((d) => d.code === 'yaml/too-many-errors');
    expect(syntax.length).toBeGreaterThanOrEqual(MAX_REPORTED_ERRORS);
    expect(syntax.length).toBeLessThanOrEqual(MAX_REPORTED_ERRORS + 2);
    expect(counted).toHaveLength(1);
    expect(counted[0]!.message).toContain(`${MAX_REPORTED_ERRORS + 510 - syntax.length} more documents of this file do not parse`);
    // both pods are read, and the last keeps its document index past the counted ones
    expect(parsed.documents.map((d) => (d.value as { metadata: { name: string } }).metadata.name)).toEqual(['first', 'last']);
    expect(parsed.documents[1]!.index).toBe(MAX_REPORTED_ERRORS + 501);
  });
});
