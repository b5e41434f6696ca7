import { diagnostic, type Diagnostic } from '../diagnostics.js';
import type { Source } from './source.js';

/**
 * Where a text may be a Helm or Go template: the offset of its first `{{`, or -1. One `indexOf`, so
 * a hostile file (`{{{{…` over 100 KB) costs linear time; a regular expression such as
 * `/\{\{[^}]*\}\}/` retries from every `{` and is quadratic there. Asked only of a file that
 * failed to parse, where `{{` is a template's mark (or a broken one's) far more often than a string's.
 */
export function templateStart(text: string): number {
  return text.indexOf('{{');
}

/**
 * One error for a file that does not parse as YAML and looks like a template, in place of its
 * syntax errors: an unrendered chart would otherwise give one error per broken line. The error
 * sits where parsing first failed and says how to render the file. Undefined when the file parsed
 * or does not look like a template.
 */
export function templateDiagnostic(source: Source, diagnostics: readonly Diagnostic[]): Diagnostic | undefined {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length === 0) return undefined;
  const open = templateStart(source.text);
  if (open < 0) return undefined;
  const first = errors[0]!;
  const reason = first.message.replace(/; document skipped$/, '');
  const count = errors.length > 1 ? `; ${errors.length} errors in all` : '';
  return diagnostic('error', 'input/template',
    `this looks like a Helm or Go template ({{ on line ${lineOf(source.text, open)}), which is not YAML until rendered `
    + `(first error: ${reason}${count}); render it first: helm template NAME DIR | netdiagram … -`, first.location);
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
