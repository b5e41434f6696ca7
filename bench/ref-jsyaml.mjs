#!/usr/bin/env node
/**
 * The end-to-end floor the issue compares the CLI with: a bare process that reads every manifest
 * under a directory (sorted walk, like the CLI) and parses it with js-yaml's loadAll. Node start-up
 * is counted, as it is for the CLI.  node bench/ref-jsyaml.mjs <dir>
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';

let documents = 0;
const walk = (dir) => {
  for (const entry of readdirSync(dir).sort()) {
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) walk(full);
    else if (/\.(ya?ml|json)$/i.test(entry)) documents += loadAll(readFileSync(full, 'utf8')).length;
  }
};
walk(process.argv[2] ?? '.');
process.stdout.write(`${documents}\n`);
