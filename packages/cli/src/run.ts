/**
 * The command line process: standard streams around `main`. bin.ts starts it, from the one-file
 * bundle of it when that is up to date (scripts/bundle.mjs), else from these modules.
 */
import { once } from 'node:events';
import { main } from './main.js';
import { readStandardInput, type Io } from './io.js';

const io: Io = {
  stdout: (text) => process.stdout.write(text),
  // a pipe to a slow reader: wait, rather than buffer the rest of a long output in memory
  stdoutDrained: async () => {
    if (process.stdout.writableNeedDrain) await once(process.stdout, 'drain');
  },
  stderr: (text) => process.stderr.write(text),
  stderrIsTerminal: process.stderr.isTTY === true,
  // bytes, bounded: io.ts checks the size and the UTF-8 like any file's
  readStdin: async () => (process.stdin.isTTY ? '' : readStandardInput(process.stdin)),
  env: process.env,
  cwd: process.cwd(),
};

// a reader that stops early (`netdiagram connections … | head`) is not an error of ours
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

main(process.argv.slice(2), io).then((code) => {
  process.exitCode = code;
});
