import { extname } from 'node:path';
import { UsageError } from './usage-error.js';

/** What a file extension says a file holds. */
const BY_EXTENSION: Readonly<Record<string, string>> = {
  '.txt': 'txt', '.text': 'txt', '.json': 'json', '.csv': 'csv', '.md': 'md', '.markdown': 'md', '.sarif': 'sarif', '.svg': 'svg', '.png': 'png', '.pdf': 'pdf',
};

/**
 * The format a command writes: `--format` when given, else the one the extension of `--output`
 * names (`audit -o findings.sarif`), else `fallback`. An extension that names a format the command
 * cannot write (`audit -o x.png`) is refused: text written into a `.png` or `.sarif` file would
 * pass for a file it is not.
 */
export function outputFormatOf<F extends string>(command: string, output: string, given: F | undefined, choices: readonly F[], fallback: F): F {
  if (given !== undefined) return given;
  if (output === '-') return fallback;
  const named = BY_EXTENSION[extname(output).toLowerCase()];
  if (named === undefined) return fallback;
  if ((choices as readonly string[]).includes(named)) return named as F;
  throw new UsageError(`${command} cannot write ${named} ("${output}"); it writes ${choices.join(', ')}: name the file for one of them, or give --format`);
}
