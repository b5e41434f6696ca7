import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics.js';
import { parseSource, type FieldPath } from '../manifests/parse.js';
import type { Source } from '../manifests/source.js';

/** One option of an options file: its long name (`cde`, `ingress-controller`), value and position. */
export interface OptionEntry {
  readonly key: string;
  /** A flag is a boolean, a repeatable option a list; numbers are read as their text. */
  readonly value: string | boolean | readonly string[];
  readonly location: SourceLocation;
}

export interface ParsedOptionsFile {
  /** Options for every command that has them. */
  readonly shared: readonly OptionEntry[];
  /** Options for one command only (`commands: { audit: { fail-on: error } }`), by command name. */
  readonly commands: ReadonlyMap<string, readonly OptionEntry[]>;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads an options file (`netdiagram.yaml`): a map of long option names to values, with an
 * optional `commands:` map of command name to such a map. Which names are options of which
 * command is the caller's to check; here only the shapes are, each mistake at its line and column.
 */
export function parseOptionsFile(source: Source): ParsedOptionsFile {
  const parsed = parseSource(source);
  const diagnostics: Diagnostic[] = [...parsed.diagnostics];
  const commands = new Map<string, OptionEntry[]>();
  const doc = parsed.documents.find((d) => d.value !== null && d.value !== undefined);
  if (!doc) return { shared: [], commands, diagnostics };
  const fail = (path: FieldPath, message: string) => diagnostics.push(diagnostic('error', 'config/invalid', message, doc.locate(path)));
  const entriesOf = (map: unknown, base: FieldPath): OptionEntry[] => {
    if (!isRecord(map)) {
      fail(base, 'expected a map of option names (without --) to values');
      return [];
    }
    const out: OptionEntry[] = [];
    for (const [key, raw] of Object.entries(map)) {
      if (base.length === 0 && key === 'commands') continue;
      const at: FieldPath = [...base, key];
      if (!/^[a-z][a-z0-9-]*$/.test(key)) {
        fail(at, `"${key}" is not an option name (write it as on the command line, without --: ingress-controller)`);
        continue;
      }
      const scalar = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined);
      if (typeof raw === 'boolean') out.push({ key, value: raw, location: doc.locate(at) });
      else if (scalar(raw) !== undefined) out.push({ key, value: scalar(raw)!, location: doc.locate(at) });
      else if (Array.isArray(raw) && raw.every((v) => scalar(v) !== undefined)) out.push({ key, value: raw.map((v) => scalar(v)!), location: doc.locate(at) });
      else fail(at, `${key}: expected a string, a number, true or false, or a list of strings`);
    }
    return out;
  };
  const shared = entriesOf(doc.value, []);
  if (isRecord(doc.value) && doc.value.commands !== undefined) {
    if (!isRecord(doc.value.commands)) fail(['commands'], 'commands: expected a map of command names to options');
    else for (const [name, map] of Object.entries(doc.value.commands)) commands.set(name, entriesOf(map, ['commands', name]));
  }
  return { shared, commands, diagnostics };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
