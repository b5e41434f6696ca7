import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { diffFlows, diffSegmentationControls, segmentationControls, formatPorts, isEmptyPorts, portsToJson, type Diagnostic, type FlowDiff, type SegmentationChange, type Source } from '@netdiagram/core';
import { titleBlockCni } from '../cni-text.js';
import { Command, Option } from 'commander';
import { analyse, notEvaluatedNotices, analyseSources, withoutCluster, type Analysis, type AnalysisOptions, describeSources } from '../analysis.js';
import { markdownCell, terminalText } from '../escape.js';
import { runGit } from '../git.js';
import { MAX_INPUT_BYTES, writeOutput, type Io } from '../io.js';
import { jsonText } from '../json-text.js';
import { addAnalysisOptions, fileInputs } from '../options.js';
import { UsageError } from '../usage-error.js';
import { evidenceDate, inputDigest } from '../provenance.js';
import { toolVersion } from '../version.js';
import { outputFormatOf } from '../output-format.js';
import { addScopeOptions, scopeFromOptions, type ScopeCliOptions } from './audit.js';
import { pngOf } from '../png-output.js';

type Format = 'txt' | 'json' | 'md';
type DiagramFormat = 'svg' | 'png';
const DIFF_FORMATS: readonly (Format | DiagramFormat)[] = ['txt', 'json', 'md', 'svg', 'png'];

interface DiffCliOptions extends AnalysisOptions, ScopeCliOptions {
  readonly base?: string;
  readonly format?: Format | DiagramFormat;
  readonly output: string;
  readonly failOnChange?: boolean;
  readonly failOnCdeChange?: boolean;
  readonly failOnSegmentationChange?: boolean;
}

/** `netdiagram diff`: allowed flows added, removed and changed between two inputs or a git revision and the work tree. */
export function diffCommand(io: Io, setExit: (code: number) => void): Command {
  const command = new Command('diff')
    .description('list allowed flows added, removed and changed between two inputs, or between a git revision and the work tree')
    .argument('<inputs...>', 'OLD and NEW (files or directories); with --base, the paths to compare with that revision; with --cluster, the manifests to compare the live cluster with')
    .addOption(new Option('--base <rev>', 'compare the inputs with their content at this git revision (read with git; the work tree is not touched)').conflicts(['cluster', 'context', 'kubeconfig']))
    .addOption(new Option('-f, --format <format>', 'output format (md: for a pull-request comment; svg, png: the new diagram with the changes marked; default: from the extension of --output, else txt)').choices(DIFF_FORMATS))
    .option('-o, --output <file>', 'write to a file instead of standard output (- for stdout)', '-')
    .option('--fail-on-change', 'exit with code 1 when any allowed flow changed')
    .option('--fail-on-cde-change', 'exit with code 1 when a changed flow has an end in the CDE, or a workload enters or leaves the CDE')
    .option('--fail-on-segmentation-change', 'exit with code 1 when a segmentation control (a policy selecting the CDE, its namespaces\' workloads or an out-of-scope workload, or a cluster-wide policy) is added, removed or changed, selects other CDE workloads, or a flow with an end in the CDE or a workload\'s zone changed: PCI DSS 11.4.5 asks for the segmentation test again (needs --cde; exit 2 without)')
    .addHelpText('after', `
Examples:
  $ netdiagram diff old/ new/ --cde app=pci
  $ netdiagram diff --base origin/main k8s/ --cde app=pci --format md -o flow-diff.md
  $ netdiagram diff --base HEAD~1 examples/pci-demo --cde app=pci --fail-on-cde-change
  $ netdiagram diff --base origin/main k8s/ --cde app=pci --format svg -o flow-diff.svg
  $ netdiagram diff --cluster k8s/ --fail-on-change          # drift: the live cluster against the manifests in git

With --cluster (or --context, --kubeconfig) the live cluster is OLD and the manifests are NEW, as
kubectl diff shows them: a flow marked - is one the cluster allows and the manifests do not (drift
to look into, PCI DSS 1.2.8), a flow marked + one the manifests allow and the cluster does not
(yet). The exit codes are those of every diff: 1 with --fail-on-change when anything differs.

The svg and png formats draw the new diagram with added flows highlighted (+), flows whose ports
or addresses changed highlighted with a dash (~), and removed flows drawn dashed (−).`);
  addScopeOptions(command);
  addAnalysisOptions(command);
  return command.action(async (inputs: string[], options: DiffCliOptions) => {
    const format = outputFormatOf('diff', options.output, options.format, DIFF_FORMATS, 'txt');
    let before: Analysis;
    let after: Analysis;
    if (options.clusterInput !== undefined) {
      // drift: the live cluster is the base, as kubectl diff compares it with the manifests
      const manifests = fileInputs(inputs, options);
      if (manifests.length === 0) throw new UsageError('diff --cluster compares the live cluster with manifests: name the files or directories (the manifests in git) to compare it with');
      before = await analyse([options.clusterInput], options, io);
      after = await analyse(manifests, withoutCluster(options), io);
    } else if (options.base !== undefined) {
      const read = readAtRevision(options.base, inputs, io);
      before = analyseSources(read.sources, read.diagnostics, options, io);
      after = await analyse(inputs, options, io);
    } else {
      if (inputs.length !== 2) throw new UsageError(`diff needs two inputs, OLD and NEW (got ${inputs.length}), or --base REV with the paths to compare`);
      before = await analyse([inputs[0]!], options, io);
      after = await analyse([inputs[1]!], options, io);
    }
    // a selector must match on at least one side: a change that removes every CDE workload is still a change to report
    const afterScope = scopeFromOptions(after.parsed.cluster, after.graph, options, { alsoIn: [before.parsed.cluster], io });
    const beforeScope = scopeFromOptions(before.parsed.cluster, before.graph, options, { alsoIn: [after.parsed.cluster] });
    const diff = diffFlows(before.graph, after.graph, { beforeScope, afterScope });
    // 11.4.5: a change to a segmentation control (even one that changes no flow) asks for the test again
    if (options.failOnSegmentationChange && !beforeScope.defined && !afterScope.defined) {
      throw new UsageError('--fail-on-segmentation-change needs the CDE (--cde SELECTOR or the netdiagram.io/zone=cde annotation): without it every policy may be a segmentation control');
    }
    const segmentation = diffSegmentationControls(segmentationControls(before.parsed.cluster, beforeScope), segmentationControls(after.parsed.cluster, afterScope), diff);
    if (format === 'svg' || format === 'png') {
      // with --base the paths are sorted, so the order they are named in changes no byte of the drawing
      const paths = [...fileInputs(inputs, options)].sort().join(' ');
      const previous = options.clusterInput ?? (options.base !== undefined ? `${options.base}:${paths}` : inputs[0]!);
      const current = options.clusterInput !== undefined || options.base !== undefined ? paths : inputs[1]!;
      const { layoutGraph, renderSvg } = await import('@netdiagram/render'); // only drawing needs elkjs
      const layout = await layoutGraph(after.graph, { previous: before.graph, scope: afterScope });
      const date = evidenceDate(undefined, io.env.SOURCE_DATE_EPOCH);
      const svg = renderSvg(layout, {
        title: `Allowed network traffic: changes from ${previous} to ${current}`,
        source: `${current} (${describeSources(after)}), compared with ${previous}`,
        inputDigest: `sha256:${inputDigest(after.sourceTexts)}`,
        toolVersion: toolVersion(),
      clusterPolicies: (after.parsed.cluster.clusterPolicies ?? []).length,
      gateways: after.parsed.cluster.ingresses.filter((i) => i.kind === 'Gateway').length,
      cni: titleBlockCni(after.parsed.cni),
        // either side's unevaluated policies make the changes drawn uncertain
        notices: [...new Set([...notEvaluatedNotices(after), ...notEvaluatedNotices(before)])],
        ...(date !== null ? { date } : {}),
      });
      writeOutput(options.output, format === 'svg' ? svg : await pngOf(svg, 1.5, io, undefined), io);
    } else {
      writeOutput(options.output, renderDiff(diff, format, segmentation), io);
    }
    if (options.failOnChange && (diff.changes.length > 0 || diff.zones.length > 0)) setExit(1);
    if (options.failOnCdeChange && diff.cdeChanged) setExit(1);
    if (options.failOnSegmentationChange && segmentationChanged(segmentation)) setExit(1);
    // a gate cannot vouch for a change it cannot see: policies of APIs not evaluated may open or close any flow
    const notEvaluated = [...new Set([...notEvaluatedNotices(before), ...notEvaluatedNotices(after)])];
    if ((options.failOnChange || options.failOnCdeChange || options.failOnSegmentationChange) && notEvaluated.length > 0) {
      io.stderr(`netdiagram: diff: the gate cannot pass: ${notEvaluated.join('; ')}\n`);
      setExit(2);
    }
    if (before.failed || after.failed) setExit(2);
  });
}

const MANIFEST_EXTENSIONS = ['.yaml', '.yml', '.json'];

/**
 * Reads the manifests under each input path as they were at a git revision, with `git ls-tree` and
 * `git cat-file` (no checkout: the work tree and index stay as they are). Sources are named `REV:path`.
 */
export function readAtRevision(rev: string, inputs: readonly string[], io: Io): { sources: Source[]; diagnostics: Diagnostic[] } {
  if (rev === '' || rev.startsWith('-')) throw new UsageError(`--base "${rev}" is not a git revision`);
  const sources: Source[] = [];
  const diagnostics: Diagnostic[] = [];
  let used = 0; // bytes of blobs read: the same budget as files in the work tree
  for (const input of inputs) {
    if (input === '-') throw new UsageError('--base compares paths in a git repository; standard input has no history');
    const absolute = resolve(io.cwd, input);
    let existing = absolute;
    while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
    const dir = statSync(existing).isDirectory() ? existing : dirname(existing);
    let top: string;
    try {
      top = realpathSync(git(['rev-parse', '--show-toplevel'], dir).toString('utf8').trim());
    } catch {
      throw new UsageError(`--base: ${input} is not inside a git repository`);
    }
    const path = relative(top, join(realpathSync(existing), relative(existing, absolute))).split(sep).join('/');
    if (path.startsWith('..')) throw new UsageError(`--base: ${input} is outside the git repository at ${top}`);
    let commit: string;
    try {
      commit = git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], top).toString('utf8').trim();
    } catch {
      throw new UsageError(`--base: "${rev}" is not a commit in the git repository at ${top}`);
    }
    // `-l`: mode, type and size of each entry, so a submodule (a gitlink, type commit) and a
    // symbolic link are skipped, and a blob past the byte budget is refused before it is read
    const listed = git(['ls-tree', '-r', '-z', '-l', commit, '--', ...(path === '' ? [] : [path])], top)
      .toString('utf8').split('\0').filter((entry) => entry !== '')
      .map(treeEntry)
      .filter((e) => e.path === path || MANIFEST_EXTENSIONS.some((ext) => e.path.toLowerCase().endsWith(ext)))
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    if (listed.length === 0) {
      diagnostics.push({ severity: 'error', code: 'input/not-found', message: `no manifests at ${rev}:${path || '.'}`, location: { file: `${rev}:${path}`, line: 1, column: 1, document: 0 } });
      continue;
    }
    for (const entry of listed) {
      const name = `${rev}:${entry.path}`;
      const report = (severity: Diagnostic['severity'], code: Diagnostic['code'], message: string) =>
        diagnostics.push({ severity, code, message, location: { file: name, line: 1, column: 1, document: 0 } });
      if (entry.type === 'commit') {
        report('warning', 'input/unreadable', 'a git submodule (gitlink), not a file; skipped');
        continue;
      }
      if (entry.mode === '120000') {
        report('warning', 'input/unreadable', 'a symbolic link in git history, not followed; skipped');
        continue;
      }
      if (entry.type !== 'blob') continue;
      if (entry.size > MAX_INPUT_BYTES - used) {
        report('error', 'input/too-large', `${used === 0 ? 'larger than' : 'would take the inputs past'} ${MAX_INPUT_BYTES / (1024 * 1024)} MiB, the most netdiagram reads in one run (MAX_INPUT_BYTES); not read`);
        continue;
      }
      used += entry.size;
      const bytes = git(['cat-file', 'blob', entry.object], top, entry.size + 1);
      if (bytes.subarray(0, 8192).includes(0)) continue;
      try {
        const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
        if (text.trim() !== '') sources.push({ name, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text });
      } catch {
        diagnostics.push({ severity: 'error', code: 'input/not-utf8', message: 'not valid UTF-8', location: { file: name, line: 1, column: 1, document: 0 } });
      }
    }
  }
  return { sources, diagnostics };
}

/** Through runGit: no hook, fsmonitor, pager or system configuration of the repository runs. */
function git(args: readonly string[], cwd: string, maxBuffer?: number): Buffer {
  return runGit(args, { cwd, ...(maxBuffer !== undefined ? { maxBuffer } : {}) });
}

interface TreeEntry {
  readonly mode: string;
  readonly type: string;
  readonly object: string;
  /** Bytes of a blob; 0 for a submodule or tree. */
  readonly size: number;
  readonly path: string;
}

/** One entry of `git ls-tree -l -z`: `<mode> <type> <object> <size>\t<path>`. */
function treeEntry(line: string): TreeEntry {
  const tab = line.indexOf('\t');
  const [mode = '', type = '', object = '', size = '-'] = line.slice(0, tab).split(/ +/);
  return { mode, type, object, size: /^\d+$/.test(size) ? Number(size) : 0, path: line.slice(tab + 1) };
}

/** The flow diff in one of three formats. */
/** Whether any segmentation control was added, removed or changed. */
export function segmentationChanged(s: SegmentationChange): boolean {
  return s.added.length + s.removed.length + s.changed.length + s.boundary.length > 0;
}

/** `11.4.5: segmentation changed, re-test required: changed NetworkPolicy default/deny-all` */
export function segmentationLine(s: SegmentationChange): string {
  // the changed flows are listed beside the line already: it only counts them
  const flows = s.boundary.filter((b) => b.startsWith('flow ')).length;
  const zones = s.boundary.length - flows;
  const parts = [
    ...s.added.map((id) => `added ${id}`), ...s.removed.map((id) => `removed ${id}`), ...s.changed.map((id) => `changed ${id}`),
    ...(flows > 0 ? [`${flows} flow${flows === 1 ? '' : 's'} with an end in the CDE`] : []),
    ...(zones > 0 ? [`${zones} zone change${zones === 1 ? '' : 's'}`] : []),
  ];
  return `11.4.5: segmentation changed, re-test required: ${parts.join(', ')}`;
}

export function renderDiff(diff: FlowDiff, format: Format, segmentation?: SegmentationChange): string {
  const retest = segmentation !== undefined && segmentationChanged(segmentation);
  const count = (kind: 'added' | 'removed' | 'changed') => diff.changes.filter((c) => c.change === kind).length;
  const summary = diff.changes.length === 0 && diff.zones.length === 0
    ? 'no change in allowed flows'
    : `${count('added')} added, ${count('removed')} removed, ${count('changed')} changed${diff.cdeChanged ? '; the CDE is affected' : ''}`;
  const portsText = (c: FlowDiff['changes'][number]) => c.change === 'added' ? formatPorts(c.after)
    : c.change === 'removed' ? formatPorts(c.before)
      : `${formatPorts(c.before)} → ${formatPorts(c.after)}${isEmptyPorts(c.addedPorts) ? '' : ` (+${formatPorts(c.addedPorts)})`}${isEmptyPorts(c.removedPorts) ? '' : ` (-${formatPorts(c.removedPorts)})`}`;
  switch (format) {
    case 'txt': {
      const mark = { added: '+', removed: '-', changed: '~' } as const;
      const lines = diff.changes.map((c) => `${mark[c.change]} ${c.from} => ${c.to} : ${portsText(c)}${c.cde ? '  [CDE]' : ''}`);
      for (const z of diff.zones) lines.push(`zone ${z.id}: ${z.before} → ${z.after}`);
      if (retest) lines.push(segmentationLine(segmentation));
      lines.push(summary);
      return lines.map((l) => `${terminalText(l)}\n`).join('');
    }
    case 'json':
      return jsonText({
        summary: { added: count('added'), removed: count('removed'), changed: count('changed'), cdeChanged: diff.cdeChanged },
        changes: diff.changes.map((c) => ({
          change: c.change, from: c.from, to: c.to, before: portsToJson(c.before), after: portsToJson(c.after),
          addedPorts: portsToJson(c.addedPorts), removedPorts: portsToJson(c.removedPorts), via: c.via, cde: c.cde,
        })),
        zones: diff.zones,
        ...(segmentation ? { segmentation: { ...segmentation, retestRequired: retest } } : {}),
      });
    case 'md': {
      const lines = ['### netdiagram: allowed network flows', ''];
      if (retest) lines.push(`**${markdownCell(segmentationLine(segmentation))}**`, '');
      if (diff.changes.length === 0 && diff.zones.length === 0) {
        lines.push('No change in allowed flows.');
        return `${lines.join('\n')}\n`;
      }
      lines.push(`**${summary}**`, '');
      if (diff.changes.length > 0) {
        lines.push('| change | from | to | ports | CDE | allowed by |', '| --- | --- | --- | --- | --- | --- |');
        for (const c of diff.changes) {
          lines.push(`| ${[c.change, c.from, c.to, portsText(c), c.cde ? 'yes' : '', c.change === 'removed' ? '' : c.via.join(', ')].map(markdownCell).join(' | ')} |`);
        }
      }
      if (diff.zones.length > 0) {
        lines.push('', '| scope change | before | after |', '| --- | --- | --- |');
        for (const z of diff.zones) lines.push(`| ${[z.id, z.before, z.after].map(markdownCell).join(' | ')} |`);
      }
      return `${lines.join('\n')}\n`;
    }
  }
}
