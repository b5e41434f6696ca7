import type { DetailOption, Direction } from '@netdiagram/render';
import { Option, type Command } from 'commander';
import { addAccountDataOptions } from './account-data.js';
import { addScopeOptions } from './commands/audit.js';
import { addAnalysisOptions } from './options.js';
import { addRecordOptions } from './record-options.js';

// Option blocks several commands share, defined once so that their names, help and defaults agree.

/** A drawing's title block: `--title`, `--date`, `--commit`, `--no-commit`. */
export interface TitleBlockCliOptions {
  readonly title?: string;
  readonly date?: string;
  /** A commit text, or false for `--no-commit`; undefined: the inputs' git commit, if any. */
  readonly commit?: string | false;
}

export function addTitleBlockOptions(command: Command, defaultTitle: string): Command {
  return command
    .option('--title <text>', 'title in the title block', defaultTitle)
    .option('--date <date>', 'date in the title block (YYYY-MM-DD or ISO 8601 UTC); default: SOURCE_DATE_EPOCH, else the commit date of the inputs\' git HEAD, else "undated"')
    .option('--commit <text>', 'commit in the title block (default: the git commit of the inputs, if they are in a repository)')
    .option('--no-commit', 'leave the commit, and the date taken from it, out of the title block');
}

/** How a drawing is laid out: `--direction`, `--detail`. */
export interface LayoutCliOptions {
  readonly direction: Direction;
  readonly detail: DetailOption;
}

export function addLayoutOptions(command: Command): Command {
  return command
    .addOption(new Option('--direction <direction>', 'right: sources left, destinations right; down: top to bottom (KDL)').choices(['right', 'down']).default('right'))
    .addOption(new Option('--detail <level>', 'what to draw; auto picks by size').choices(['auto', 'full', 'workload', 'namespace']).default('auto'));
}

/**
 * The options of a command that writes a PCI DSS record: the scope (`--cde`, `--out-of-scope`),
 * the account-data options when it reads them (`--parties`, `--strict-flows`), the record's people
 * and dates (`--prepared-by`, …), and the analysis options; in that order, as `--help` lists them.
 */
export function addRecordCommandOptions(command: Command, { accountData }: { readonly accountData: boolean }): Command {
  addScopeOptions(command);
  if (accountData) addAccountDataOptions(command);
  addRecordOptions(command);
  return addAnalysisOptions(command);
}
