import {
  exposureToJson, formatPorts, stagedChangesToJson, type StagedChange, type NotEvaluatedPeer, listEndpoints, listFlowsBySource, listOpenWorkloads, toConnectionJson, toEndpointJson, toRoutesJson,
  type Exposure, type Flow, type OpenTargets, type OpenWorkload, type TrafficGraph,
} from '@netdiagram/core';
import { exposureCsvRows, exposureMarkdown, exposureText } from './exposure-output.js';
import { csvCell, markdownCell, terminalText } from './escape.js';
import { jsonText } from './json-text.js';

// `connections` of a cluster without policies lists n² flows: 4 million lines for 2,000 workloads.
// They are written as they are listed, in chunks of CHUNK_BYTES, never held whole. A line is two
// parts, one per end (`ns/a[Pod] => ` and `ns/b[Pod] : All Connections\n`), each escaped and
// encoded once: the targets of the default-allow flows are one list shared by every open source, so
// their parts are encoded once, and a line is three byte copies (copying bytes is about three times
// faster than building and encoding strings). A line of a flow the policies allow is four: its
// source's part, its target's id, and its verdict's tail, each encoded once (a source's flows
// share a few verdicts, a verdict is shared by thousands of flows). Every format is the text the
// whole-list renderer wrote, byte for byte (the JSON is a public contract).

export type ConnectionFormat = 'txt' | 'json' | 'csv' | 'md';

export interface ConnectionsText {
  readonly format: ConnectionFormat;
  /** `list` (default): every flow. `summarize`: default-allow flows left out, one entry per workload that has them. */
  readonly openPairs?: 'list' | 'summarize';
  /** `--exposure`: the representative peers after the flows (txt, md), as an `exposure` field (json), as rows (csv). */
  readonly exposure?: Exposure;
  /** What staged Calico policies would change, were they enforced: a `stagedChanges` field (json) when there is any. */
  readonly stagedChanges?: readonly StagedChange[];
  /** Peers the policies name that are not evaluated: a `notEvaluatedPeers` field (json) when there is any. */
  readonly notEvaluatedPeers?: readonly NotEvaluatedPeer[];
}

/** Bytes per chunk written: few writes, and memory that stays flat. */
export const CHUNK_BYTES = 1 << 18;

type Verdict = Flow['verdict'];

/** A format: the text before the flows, a flow's line in two parts, what comes before each line, and the text after. */
interface Layout {
  readonly start: string;
  /** Before the first line, and before every other line. */
  readonly first: string;
  readonly between: string;
  from(source: string, verdict: Verdict): string;
  /** The line's rest is `target(target)` then `tail(verdict)`. */
  target(target: string): string;
  tail(verdict: Verdict): string;
  end(empty: boolean): string;
}

/** The `connections` output as chunks of UTF-8, produced while they are written. */
export function* connectionChunks(graph: TrafficGraph, options: ConnectionsText): Generator<Uint8Array> {
  const openPairs = options.openPairs ?? 'list';
  const open = openPairs === 'summarize' ? listOpenWorkloads(graph) : undefined;
  const layout = layoutOf(graph, options.format, open, options.exposure, options.stagedChanges ?? [], options.notEvaluatedPeers ?? []);
  const out = chunkWriter();
  const encoded = new Map<OpenTargets, Buffer[]>();
  const toParts = (targets: OpenTargets) => {
    let parts = encoded.get(targets);
    if (!parts) encoded.set(targets, parts = targets.targets.map((t, i) => Buffer.from(`${layout.target(t)}${layout.tail(targets.verdicts[i]!)}`)));
    return parts;
  };
  const targetBytes = memo((target: string) => Buffer.from(layout.target(target)));
  const tailBytes = memo((verdict: Verdict) => Buffer.from(layout.tail(verdict)));
  const first = Buffer.from(layout.first);
  const between = Buffer.from(layout.between);
  let separator = first;
  const line = (from: Uint8Array, to: Uint8Array) => {
    if (separator.length > 0) out.put(separator);
    out.put(from);
    out.put(to);
    separator = between;
  };
  out.put(Buffer.from(layout.start));
  for (const { source, edges, open: defaults } of listFlowsBySource(graph, { openPairs })) {
    // a default-allow line after the first is one copy of `between` and its source's part, one of its target's
    // a source's lines share one verdict or a few: the last one's part at hand, the others in a map
    // made only for a source with more than one (not a map for each of 20,000 sources)
    let lastVerdict: Verdict | undefined;
    let lastPart: Buffer | undefined;
    let fromParts: Map<Verdict, Buffer> | undefined;
    const from = (verdict: Verdict): Buffer => {
      if (verdict === lastVerdict) return lastPart!;
      if (lastVerdict !== undefined) (fromParts ??= new Map()).set(lastVerdict, lastPart!);
      const part = fromParts?.get(verdict) ?? Buffer.from(`${layout.between}${layout.from(source, verdict)}`);
      lastVerdict = verdict;
      lastPart = part;
      return part;
    };
    const openLine = (verdict: Verdict, to: Uint8Array) => {
      if (separator !== between) line(from(verdict).subarray(between.length), to);
      else {
        out.put(from(verdict));
        out.put(to);
      }
    };
    const edgeLine = (edge: Flow) => {
      if (separator !== between) line(from(edge.verdict).subarray(between.length), targetBytes(edge.target));
      else {
        out.put(from(edge.verdict));
        out.put(targetBytes(edge.target));
      }
      out.put(tailBytes(edge.verdict));
    };
    const targets = defaults.targets;
    const parts = toParts(defaults);
    // the graph's edges and the default-allow targets are two sorted lists of distinct targets
    let e = 0;
    for (let i = 0; i < targets.length; i++) {
      if (targets[i] === source) continue;
      while (e < edges.length && edges[e]!.target < targets[i]!) edgeLine(edges[e++]!);
      openLine(defaults.verdicts[i]!, parts[i]!);
      if (out.hasFull()) yield* out.take();
    }
    for (; e < edges.length; e++) edgeLine(edges[e]!);
    if (out.hasFull()) yield* out.take();
  }
  out.put(Buffer.from(layout.end(separator === first)));
  yield* out.finish();
}

/** Bytes gathered into chunks of CHUNK_BYTES; `take` hands over the full ones. */
function chunkWriter() {
  let chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let used = 0;
  let full: Uint8Array[] = [];
  return {
    put(bytes: Uint8Array): void {
      if (used + bytes.length > chunk.length) {
        if (used > 0) full.push(chunk.subarray(0, used));
        // a chunk handed over is never written again: the writer may still hold it
        chunk = Buffer.allocUnsafe(Math.max(CHUNK_BYTES, bytes.length));
        used = 0;
      }
      chunk.set(bytes, used);
      used += bytes.length;
    },
    hasFull: () => full.length > 0,
    take(): Uint8Array[] {
      const taken = full;
      full = [];
      return taken;
    },
    finish(): Uint8Array[] {
      if (used > 0) full.push(chunk.subarray(0, used));
      used = 0;
      return this.take();
    },
  };
}

function layoutOf(graph: TrafficGraph, format: ConnectionFormat, open: readonly OpenWorkload[] | undefined, exposure: Exposure | undefined, staged: readonly StagedChange[], unevaluated: readonly NotEvaluatedPeer[]): Layout {
  switch (format) {
    case 'txt':
      return withEnd(txtLayout(open), exposure ? exposureText(exposure) : '');
    case 'json':
      return jsonLayout(graph, open, exposure, staged, unevaluated);
    case 'csv':
      return csvLayout(open, exposure);
    case 'md':
      return withEnd(mdLayout(open), exposure ? exposureMarkdown(exposure) : '');
  }
}

function withEnd(layout: Layout, more: string): Layout {
  return more === '' ? layout : { ...layout, end: (empty) => `${layout.end(empty)}${more}` };
}

/** `f(key)`, computed once per key: ids and verdicts repeat on millions of lines. */
function memo<K, V>(f: (key: K) => V): (key: K) => V {
  const seen = new Map<K, V>();
  return (key) => {
    let value = seen.get(key);
    if (value === undefined) {
      value = f(key);
      seen.set(key, value);
    }
    return value;
  };
}

/** `from => to : ports` lines, then (summarized) `ns/name[Kind] : ingress unrestricted, egress unrestricted`. */
function txtLayout(open: readonly OpenWorkload[] | undefined): Layout {
  const tail = memo((v: Verdict) => `${terminalText(` : ${formatPorts(v.ports)}${v.partial ? ' (partial)' : ''}${v.l7 ? ' (L7-restricted)' : ''}`)}\n`);
  const unrestricted = (w: OpenWorkload) => [...(w.ingressOpen ? ['ingress unrestricted'] : []), ...(w.egressOpen ? ['egress unrestricted'] : [])];
  return {
    start: '', first: '', between: '',
    from: (source) => `${terminalText(source)} => `,
    target: terminalText,
    tail,
    end: () => (open ?? []).map((w) => `${terminalText(w.id)} : ${unrestricted(w).join(', ')}\n`).join(''),
  };
}

const PLACEHOLDER_FROM = '\ue000';
const PLACEHOLDER_TO = '\ue001';

/**
 * `toGraphJson`'s text (`jsonText`: two-space indent). A connection's text is its verdict's
 * template, rendered once with placeholder ids, split where the ids go.
 */
function jsonLayout(graph: TrafficGraph, open: readonly OpenWorkload[] | undefined, exposure: Exposure | undefined, staged: readonly StagedChange[], unevaluated: readonly NotEvaluatedPeer[]): Layout {
  const literal = memo((text: string) => jsonText(text).slice(0, -1));
  // the default-allow verdicts are a few objects shared by millions of lines
  const template = memo((verdict: Verdict) => {
    const text = element(toConnectionJson({ source: PLACEHOLDER_FROM, target: PLACEHOLDER_TO, verdict }));
    const [head, rest] = splitOnce(text, literal(PLACEHOLDER_FROM));
    const [middle, end] = splitOnce(rest, literal(PLACEHOLDER_TO));
    return { head, middle, end };
  });
  const endpoints = jsonArrayOf(listEndpoints(graph, { openPairs: open ? 'summarize' : 'list' }).map(({ id, node }) => toEndpointJson(id, node)));
  // added with --open-pairs summarize only: the default output keeps its fields
  const openWorkloads = open ? `,\n  "openWorkloads": ${jsonArray(open.map((w) => element({
    workload: w.id, ingress: w.ingressOpen ? 'unrestricted' : 'isolated', egress: w.egressOpen ? 'unrestricted' : 'isolated',
  })))}` : '';
  // added with --exposure only
  const exposureField = exposure ? `,\n  "exposure": ${jsonArray(exposureToJson(exposure).map(element))}` : '';
  // added when staged Calico policies would change a flow: never part of "connections" (staged is never enforced)
  // added when a rule names a peer that is not evaluated (matched to nothing): what the rule says, who it is for
  const unevaluatedField = unevaluated.length > 0 ? `,\n  "notEvaluatedPeers": ${jsonArray(unevaluated.map((p) => element({ ...p })))}` : '';
  const stagedField = staged.length > 0 ? `,\n  "stagedChanges": ${jsonArray(stagedChangesToJson(staged).map(element))}` : '';
  return {
    start: `{\n  "endpoints": ${endpoints},\n  "connections": `,
    first: '[\n', between: ',\n',
    from: (source, v) => `${template(v).head}${literal(source)}${template(v).middle}`,
    target: literal,
    tail: (v) => template(v).end,
    // a flow of the graph shares its verdict with the others its policies allow alike (core's
    // shared-verdicts.ts), so it takes the template as well: one JSON.stringify per verdict, not per line
    end: (empty) => `${empty ? '[]' : '\n  ]'},\n  "routes": ${jsonArrayOf(toRoutesJson(graph))}${openWorkloads}${exposureField}${stagedField}${unevaluatedField}\n}\n`,
  };
}

/** A value as an element of a top-level array in `jsonText`'s layout: indented by four spaces. */
function element(value: unknown): string {
  return `    ${jsonText(value).slice(0, -1).replace(/\n/g, '\n    ')}`;
}

/**
 * `jsonArray(values.map(element))` in one `jsonText`: the array written as the value of a field of
 * a top-level object, which is where it goes, so it comes out at depth 1 without a second pass over
 * its text to indent it (for 20,000 endpoints, megabytes); one call is also quicker than one call,
 * test and re-indentation per element.
 */
function jsonArrayOf(values: readonly object[]): string {
  if (values.length === 0) return '[]';
  const text = jsonText({ [FIELD]: values });
  return text.slice(FIELD_OPENING.length, text.length - '\n}\n'.length);
}
const FIELD = 'array';
const FIELD_OPENING = `{\n  ${JSON.stringify(FIELD)}: `;

/** `JSON.stringify`'s layout of an array at depth 1: `[]`, or one element a line. */
function jsonArray(elements: readonly string[]): string {
  return elements.length === 0 ? '[]' : `[\n${elements.join(',\n')}\n  ]`;
}

function splitOnce(text: string, separator: string): [string, string] {
  const at = text.indexOf(separator);
  if (at < 0 || text.indexOf(separator, at + 1) >= 0) throw new Error('bug: a connection template holds its placeholder once');
  return [text.slice(0, at), text.slice(at + separator.length)];
}

/**
 * RFC 4180 rows with CRLF; summarized, a fifth column `unrestricted` names the default-allow
 * directions. With exposure, one table still: a leading `direction` column, `connection` for a flow
 * (`workload` for a summarized workload), `ingress`/`egress` for a representative peer's row.
 */
function csvLayout(open: readonly OpenWorkload[] | undefined, exposure: Exposure | undefined): Layout {
  const extra = open ? ',' : '';
  const lead = exposure ? 'connection,' : '';
  const tail = memo((v: Verdict) => `,${csvCell(formatPorts(v.ports))},${csvCell(v.via.join(' '))}${extra}\r\n`);
  const directions = (w: OpenWorkload) => [...(w.ingressOpen ? ['ingress'] : []), ...(w.egressOpen ? ['egress'] : [])].join(' ');
  const header = `${exposure ? 'direction,' : ''}from,to,ports,via${open ? ',unrestricted' : ''}\r\n`;
  const exposureRows = exposure ? exposureCsvRows(exposure).map((r) => `${r.map(csvCell).join(',')}${extra}\r\n`).join('') : '';
  return {
    start: header, first: '', between: '',
    from: (source) => `${lead}${csvCell(source)},`,
    target: csvCell,
    tail,
    end: () => (open ?? []).map((w) => `${exposure ? 'workload,' : ''}${csvCell(w.id)},,,,${directions(w)}\r\n`).join('') + exposureRows,
  };
}

/** A GitHub-flavoured table; summarized, a second table of the workloads whose default-allow flows are left out. */
function mdLayout(open: readonly OpenWorkload[] | undefined): Layout {
  const tail = memo((v: Verdict) => ` | ${markdownCell(formatPorts(v.ports))} | ${markdownCell(v.via.join(', '))} |\n`);
  const state = (unrestricted: boolean) => (unrestricted ? 'unrestricted' : 'isolated');
  return {
    start: '| from | to | ports | allowed by |\n| --- | --- | --- | --- |\n', first: '', between: '',
    from: (source) => `| ${markdownCell(source)} | `,
    target: markdownCell,
    tail,
    end: () => (open ? ['\n| unrestricted workload | ingress | egress |\n| --- | --- | --- |\n',
      ...open.map((w) => `| ${markdownCell(w.id)} | ${state(w.ingressOpen)} | ${state(w.egressOpen)} |\n`)].join('') : ''),
  };
}
