import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { formatDiagnostic, hasErrors, parseOptionsFile, type OptionEntry } from '@netdiagram/core';
import type { Command, Option } from 'commander';
import { terminalText } from './escape.js';
import { describeError, MAX_INPUT_BYTES, readBounded, type Io } from './io.js';
import { CLUSTER_OPTION_NAMES } from './options.js';
import { UsageError } from './usage-error.js';

/** The options file read from the repository root: the options every CI run would repeat. */
export const OPTIONS_FILE = 'netdiagram.yaml';

/** Adds `--config FILE` and `--no-config` to a command. */
export function addConfigOptions(command: Command): Command {
  return command
    .option('--config <file>', `options file (default: ${OPTIONS_FILE} in the root of the git repository holding the working directory, if there is one); command-line options win`)
    .option('--no-config', `read no options file, not even ${OPTIONS_FILE}`);
}

/** `netdiagram.yaml` in the root of the git repository around `cwd` (or in `cwd` outside git), if it exists. */
export function findOptionsFile(cwd: string): string | undefined {
  let dir = resolve(cwd);
  for (;;) {
    if (existsSync(join(dir, '.git'))) break;
    const up = dirname(dir);
    if (up === dir) {
      dir = resolve(cwd);
      break;
    }
    dir = up;
  }
  const file = join(dir, OPTIONS_FILE);
  return existsSync(file) ? file : undefined;
}

/**
 * Before a command runs: fills the options the command line left unset from the options file.
 * Shared keys apply to every command that has the option; `commands: { NAME: {...} }` to one.
 * A key no command knows, a value of the wrong kind or not among an option's choices is an error
 * at its line and column (exit 2): a misspelt `cde:` must not leave the CDE unmarked.
 */
export function applyOptionsFile(command: Command, all: readonly Command[], io: Io): void {
  const given = command.opts().config as string | false | undefined;
  if (given === false) return;
  const file = given !== undefined ? resolve(io.cwd, given) : findOptionsFile(io.cwd);
  if (file === undefined) return;
  const name = given ?? relative(io.cwd, file);
  const read = readBounded(file, MAX_INPUT_BYTES);
  if (read.kind === 'error') throw new UsageError(`--config ${name}: cannot read (${describeError(read.error)})`);
  if (read.kind !== 'ok') throw new UsageError(`--config ${name}: not a regular file of at most ${MAX_INPUT_BYTES / (1024 * 1024)} MiB; not read`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(read.bytes);
  } catch {
    throw new UsageError(`${name}: not valid UTF-8; save the file as UTF-8`);
  }
  const parsed = parseOptionsFile({ name, text });
  const errors: string[] = parsed.diagnostics.map((d) => formatDiagnostic(d, text));
  const fail = (entry: OptionEntry, message: string) => errors.push(formatDiagnostic({ severity: 'error', code: 'config/invalid', message, location: entry.location }, text));
  const known = new Set(all.flatMap((c) => c.options.map((o) => o.long?.slice(2)).filter((n): n is string => n !== undefined)));
  const byName = new Map(all.map((c) => [c.name(), c]));
  for (const e of parsed.shared) if (!known.has(e.key)) fail(e, `no netdiagram command has the option --${e.key}`);
  for (const [commandName, entries] of parsed.commands) {
    const target = byName.get(commandName);
    for (const e of entries) {
      if (!target) fail(e, `commands: "${commandName}" is not a netdiagram command`);
      else if (!target.options.some((o) => o.long === `--${e.key}`)) fail(e, `netdiagram ${commandName} has no option --${e.key}`);
    }
  }
  // every value is checked against every command it applies to, whichever command runs now
  const entriesFor = (c: Command) => [...parsed.shared.filter((e) => c.options.some((o) => o.long === `--${e.key}`)), ...(parsed.commands.get(c.name()) ?? [])];
  let applied: [Option, string | boolean | string[]][] = [];
  for (const c of all) {
    const values: [Option, string | boolean | string[]][] = [];
    for (const e of entriesFor(c)) {
      if (e.key === 'config' || e.key === 'no-config') {
        fail(e, 'an options file cannot name another one');
        continue;
      }
      if (CLUSTER_OPTION_NAMES.includes(e.key)) {
        fail(e, `--${e.key} chooses the input, which the command line does: an options file in the repository must not turn a run over files into one over a live cluster`);
        continue;
      }
      const option = c.options.find((o) => o.long === `--${e.key}`);
      if (!option) continue; // reported above
      const value = valueFor(option, e, (message) => fail(e, message));
      if (value !== undefined) values.push([option, pathsFromFile(option, value, file, io.cwd, (message) => fail(e, message), name)]);
    }
    if (c === command) applied = values;
  }
  if (errors.length > 0 || hasErrors(parsed.diagnostics)) {
    for (const line of [...new Set(errors)]) io.stderr(`${line}\n`);
    throw new UsageError(`${name}: the options file has errors; nothing was run`);
  }
  const set: string[] = [];
  for (const [option, value] of applied) {
    const attribute = option.attributeName();
    // the command line wins; a later entry (a command's own section) wins over a shared one
    if (command.getOptionValueSource(attribute) === 'cli' || command.getOptionValueSource(attribute) === 'env') continue;
    command.setOptionValueWithSource(attribute, value, 'config');
    set.push(option.long!.slice(2));
  }
  command.setOptionValue('optionsFile', name);
  if (command.opts().verbose === true) io.stderr(`netdiagram: options from ${terminalText(name)}: ${set.length > 0 ? set.join(', ') : 'none for this command'}\n`);
}

/**
 * A file named in the options file is relative to the options file's directory, as a reader of the
 * file expects (not to wherever the command happens to run). Files to read must exist: a missing
 * one is an error at its line in the options file, not a bare ENOENT later.
 */
function pathsFromFile(option: Option, value: string | boolean | string[], file: string, cwd: string, fail: (message: string) => void, name: string): string | boolean | string[] {
  if (!option.flags.includes('<file>') || typeof value === 'boolean') return value;
  const read = option.long !== '--output';
  const one = (v: string) => {
    if (v === '-') return v;
    const full = resolve(dirname(file), v);
    if (read && !existsSync(full)) fail(`--${option.long!.slice(2)} ${v}: no such file (a path in ${name} is read from its directory, ${dirname(file)})`);
    return relative(cwd, full) || '.';
  };
  return Array.isArray(value) ? value.map(one) : one(value);
}

function valueFor(option: Option, e: OptionEntry, fail: (message: string) => void): string | boolean | string[] | undefined {
  const takesValue = option.required || option.optional;
  if (!takesValue) {
    if (e.value !== true) return void fail(`--${e.key} is a flag: write ${e.key}: true, or leave it out`);
    return !option.negate;
  }
  const repeatable = isRepeatable(option);
  const list = typeof e.value === 'string' ? [e.value] : Array.isArray(e.value) ? e.value : undefined;
  if (list === undefined) return void fail(`--${e.key} takes a value, not ${String(e.value)}`);
  // `prepared-by: [Alice]` is a list even with one item: the option takes one value, written plainly
  if (!repeatable && (list.length !== 1 || Array.isArray(e.value))) return void fail(`--${e.key} takes one value, not a list`);
  const choices = (option as Option & { argChoices?: string[] }).argChoices;
  const bad = choices ? list.find((v) => !choices.includes(v)) : undefined;
  if (bad !== undefined) return void fail(`--${e.key} "${bad}" is not one of ${choices!.join(', ')}`);
  return repeatable ? list : list[0]!;
}

/** Whether an option collects repeated values into a list (its parser appends to the previous value). */
function isRepeatable(option: Option): boolean {
  const parse = (option as Option & { parseArg?: (value: string, previous: unknown) => unknown }).parseArg;
  if (typeof parse !== 'function') return false;
  try {
    return Array.isArray(parse('x', []));
  } catch {
    return false;
  }
}
