#!/usr/bin/env node
// Run by `npm pack` and `npm publish` (prepack): copies the documents the CLI's help and messages
// point to (docs/pci-evidence.md, docs/diagnostics.md, docs/semantics.md) from the repository into
// the package, so that an installed @netdiagram/cli holds them at the same paths.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const docs = join(pkg, '..', '..', 'docs');
mkdirSync(join(pkg, 'docs'), { recursive: true });
for (const name of ['pci-evidence.md', 'diagnostics.md', 'semantics.md']) copyFileSync(join(docs, name), join(pkg, 'docs', name));
