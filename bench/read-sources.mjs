/**
 * The manifests under a directory as `{ name, text }`, walked in sorted order as the CLI walks it:
 * what bench/measure.mjs times and bench/run.mjs counts kinds of. (bench/ref-jsyaml.mjs keeps its
 * own walk: it is the bare floor, and parses each file as it reads it.)
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function readSources(dir) {
  const out = [];
  const walk = (d) => {
    for (const entry of readdirSync(d).sort()) {
      const full = join(d, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ya?ml|json)$/i.test(entry)) out.push({ name: full, text: readFileSync(full, 'utf8') });
    }
  };
  walk(dir);
  return out;
}
