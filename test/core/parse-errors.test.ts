import { describe, expect, it } from 'vitest';
import { parseSource } from '../../packages/core/src/manifests/parse.js';

describe('parseSource, on YAML that does not parse', () => {
  it('reports an error the parser repeats at the same place (once per unclosed level) only once', () => {
    const text = `${'['.repeat(150)}\n---\napiVersion: v1\nkind: Service\nmetadata: {name: web}\n`;
    const parsed = parseSource({ name: 'm.yaml', text });
    const errors = parsed.diagnostics.map((d) => `${d.location?.line}:${d.location?.column} ${d.message}`);
    expect(new Set(errors).size).toBe(errors.length);
    expect(errors.length).toBeLessThanOrEqual(3);
    expect(parsed.documents.map((d) => d.index)).toEqual([1]); // the valid document after it is still read
  });
});
