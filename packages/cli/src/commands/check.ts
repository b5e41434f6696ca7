import { resolve } from 'node:path';
import {
  checkExpectations, formatDiagnostic, hasErrors, parseExpectations, portsToJson,
  type Expectation, type ExpectationResult, type Selector,
} from '@netdiagram/core';
import { Command, Option } from 'commander';
import { analyse, notEvaluatedNotices, type AnalysisOptions } from '../analysis.js';
import { markdownCell, terminalText } from '../escape.js';
import { describeError, MAX_INPUT_BYTES, readBounded, writeOutput, type Io } from '../io.js';
import { jsonText } from '../json-text.js';
import { addAnalysisOptions } from '../options.js';
import { outputFormatOf } from '../output-format.js';
import { UsageError } from '../usage-error.js';

type Format = 'txt' | 'json' | 'md';
const FORMATS: readonly Format[] = ['txt', 'json', 'md'];

/** Failing pairs printed per expectation in text formats; JSON lists them all. */
const SHOWN_FAILURES = 10;

/** `netdiagram check`: declarative expectations about allowed traffic, as tests for NetworkPolicies. */
export function checkCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('check')
    .description('check expectations (from/to selectors with allow, deny or only ports) against the allowed traffic')
    .argument('<inputs...>', 'manifest files or directories, or - for standard input')
    .requiredOption('-e, --expect <file>', 'expectations file (YAML); see docs/pci-evidence.md')
    .addOption(new Option('-f, --format <format>', 'output format (default: from the extension of --output, else txt)').choices(FORMATS))
    .option('-o, --output <file>', 'write to a file instead of standard output (- for stdout)', '-')
    .addHelpText('after', `
Examples:
  $ netdiagram check examples/pci-demo --expect examples/pci-demo/expectations.yaml
  $ netdiagram check k8s/ -e netpol-expectations.yaml --format md -o check.md

An expectations file:
  expectations:
    - name: nothing in app=other reaches app=pci
      from: app=other
      to: app=pci
      deny: all
    - name: pci-frontend reaches pci-backend on TCP 6379 only
      from: app=pci,tier=frontend
      to: app=pci,tier=backend
      only: [6379/TCP]

Exit code 1 when an expectation fails.`);
  addAnalysisOptions(command);
  return command.action(async (inputs: string[], options: AnalysisOptions & { expect: string; format?: Format; output: string }) => {
    const format = outputFormatOf('check', options.output, options.format, FORMATS, 'txt');
    const expectations = readExpectations(options.expect, io);
    if (!expectations) return setExit(2);
    const analysis = await analyse(inputs, { ...options, podSelectors: expectationSelectors(expectations, options.expect) }, io);
    const results = checkExpectations(analysis.parsed.cluster, expectations, { podCidrs: options.podCidr ?? [] });
    writeOutput(options.output, renderResults(results, format), io);
    if (results.some((r) => !r.passed)) setExit(1);
    // an expectation cannot pass on traffic that policies of an API netdiagram does not evaluate may change
    const notEvaluated = notEvaluatedNotices(analysis);
    if (notEvaluated.length > 0) {
      io.stderr(`netdiagram: check: the expectations cannot pass: ${notEvaluated.join('; ')}\n`);
      setExit(2);
    }
    if (analysis.failed) setExit(2);
  });
}

/** The pod selectors of expectations: they tell pods apart just as a policy's selectors do. */
export function expectationSelectors(expectations: readonly Expectation[], file: string): { selector: Selector; by: string }[] {
  return expectations.flatMap((e) => [e.from, e.to].flatMap((end) => (end.kind === 'pods' ? [{ selector: end.pods, by: `expectation "${e.name}" in ${file}` }] : [])));
}

/** Reads and parses an expectations file, printing its diagnostics; undefined when it has errors. */
export function readExpectations(file: string, io: Io): readonly Expectation[] | undefined {
  // bounded like every input: `--expect /dev/zero` (or a committed symlink to it) is refused by type;
  // a FIFO (`--expect <(generate …)`) is read, within MAX_INPUT_BYTES
  const read = readBounded(resolve(io.cwd, file), MAX_INPUT_BYTES, { allowFifo: true });
  switch (read.kind) {
    case 'error':
      throw new UsageError(`--expect ${file}: cannot read (${describeError(read.error)})`);
    case 'not-a-file':
      throw new UsageError(`--expect ${file}: ${read.what}, not a file; not read`);
    case 'too-large':
      throw new UsageError(`--expect ${file}: larger than ${MAX_INPUT_BYTES / (1024 * 1024)} MiB, the most netdiagram reads (MAX_INPUT_BYTES); not read`);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(read.bytes);
  } catch {
    throw new UsageError(`--expect ${file}: not valid UTF-8; save the file as UTF-8`);
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const parsed = parseExpectations({ name: file, text });
  for (const d of parsed.diagnostics) io.stderr(`${formatDiagnostic(d, text)}\n`);
  return hasErrors(parsed.diagnostics) ? undefined : parsed.expectations;
}

/** Expectation results in one of three formats. */
export function renderResults(results: readonly ExpectationResult[], format: Format): string {
  const passed = results.filter((r) => r.passed).length;
  const summary = `${passed} of ${results.length} expectation${results.length === 1 ? '' : 's'} passed`;
  const detail = (r: ExpectationResult): string[] => [
    ...(r.problem ? [r.problem] : []),
    ...r.failures.slice(0, SHOWN_FAILURES).map((f) => `${f.from} → ${f.to}: ${f.reason}`),
    ...(r.failures.length > SHOWN_FAILURES ? [`… and ${r.failures.length - SHOWN_FAILURES} more failing pairs`] : []),
  ];
  const pairs = (r: ExpectationResult) => `${r.pairs} pair${r.pairs === 1 ? '' : 's'}${r.failures.length > 0 ? `, ${r.failures.length} failing` : ''}`;
  switch (format) {
    case 'txt': {
      const lines: string[] = [];
      for (const r of results) {
        const where = r.expectation.location ? `${r.expectation.location.file}:${r.expectation.location.line}: ` : '';
        lines.push(`${r.passed ? 'PASS' : 'FAIL'}  ${where}${r.expectation.name} (${pairs(r)})`);
        for (const d of detail(r)) lines.push(`        ${d}`);
      }
      lines.push(summary);
      return lines.map((l) => `${terminalText(l)}\n`).join('');
    }
    case 'json':
      return jsonText({
        summary: { expectations: results.length, passed, failed: results.length - passed },
        results: results.map((r) => ({
          name: r.expectation.name, passed: r.passed, verdict: r.expectation.verdict, ports: portsToJson(r.expectation.ports),
          from: r.expectation.from.text, to: r.expectation.to.text, pairs: r.pairs,
          ...(r.expectation.location ? { location: { file: r.expectation.location.file, line: r.expectation.location.line } } : {}),
          ...(r.problem ? { problem: r.problem } : {}),
          failures: r.failures.map((f) => ({ from: f.from, to: f.to, allowed: portsToJson(f.allowed), reason: f.reason })),
        })),
      });
    case 'md': {
      const lines = ['## netdiagram check', '', `**${summary}**`, '', '| result | expectation | pairs | details |', '| --- | --- | --- | --- |'];
      for (const r of results) {
        lines.push(`| ${[r.passed ? 'pass' : 'FAIL', r.expectation.name, pairs(r), detail(r).join('; ')].map(markdownCell).join(' | ')} |`);
      }
      return `${lines.join('\n')}\n`;
    }
  }
}
