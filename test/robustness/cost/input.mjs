// Cost cases of reading input: many documents, anchors and aliases, template text.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const cases = [
  {
    name: 'N tiny documents that are not objects',
    measured: '150,000 documents: stack overflow (exit 70)',
    sizes: { test: 2_000, bench: 150_000 },
    write(dir, size) {
      const file = join(dir, 'tiny.yaml');
      writeFileSync(file, '---\n- a\n'.repeat(size));
      return ['connections', file, '--format', 'json'];
    },
    check(result) {
      assert.equal(result.exit, 2, result.stderr);
      assert.match(result.stderr, /k8s\/not-a-manifest/);
      assert.doesNotMatch(result.stderr, /internal error|Maximum call stack/i);
    },
  },
];
