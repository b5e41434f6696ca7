#!/usr/bin/env node
import { bundledCli } from './bundled-cli.js';

// the bundle is the same code in one file: node loads it in a fraction of the time it takes to
// resolve and compile the ~130 modules, which is most of a small input's run
await import(bundledCli(new URL('.', import.meta.url)) ?? './run.js');
