import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { CsvError, readCsv } from './csv-read.js';
import type { Probe, SegmentationPlan } from './segmentation-plan.js';

/** What the tester saw for one probe; `inconclusive`: a UDP probe that timed out, which a closed port and a silent open one both do. */
export type Outcome = 'connected' | 'blocked' | 'inconclusive';

// words for what was observed only: `allow`/`deny` are the plan's expected verdicts, and copying
// the expected column into the outcome column must not pass as a test
const CONNECTED = ['connected', 'open', 'succeeded', 'success'];
const BLOCKED = ['blocked', 'refused', 'timeout', 'timed out', 'closed', 'failed'];
// UDP has no handshake: no answer is what a dropped probe and an open port that does not reply both give
const NO_ANSWER = ['timeout', 'timed out'];

/** A probe whose outcome differs from the plan, or that was not run. */
export interface ProbeMismatch {
  readonly probe: Probe;
  /** Undefined: no outcome recorded. */
  readonly outcome?: Outcome;
  /** `error`: connected where the policies deny (the CNI does not enforce them), or not run; `warning`: a control that did not connect. */
  readonly severity: 'error' | 'warning';
  readonly message: string;
}

export interface SegmentationResults {
  readonly outcomes: ReadonlyMap<string, Outcome>;
  readonly diagnostics: readonly Diagnostic[];
}

/** The columns a results file must have: the plan's identity and each probe's ends, so results of another plan are refused. */
const REQUIRED = ['plan', 'probe', 'expected', 'from', 'to', 'protocol', 'port', 'outcome'];

/**
 * Reads a results file: the plan's CSV with its `outcome` column filled in (`connected` or
 * `blocked`, and the words nc and testers use for them: open, refused, timeout…). Every row must
 * carry the plan's identity and name a probe of the plan with the plan's expected verdict, from,
 * to, protocol and port, so the results of an older plan (before a segmentation change) are never
 * read against a newer one. Mistakes are errors at their cell.
 */
export function readSegmentationResults(name: string, text: string, plan: SegmentationPlan): SegmentationResults {
  const diagnostics: Diagnostic[] = [];
  const outcomes = new Map<string, Outcome>();
  const fail = (message: string, line: number, column: number) =>
    diagnostics.push(diagnostic('error', 'results/invalid', message, { file: name, line, column, document: 0 }));
  let rows;
  try {
    rows = readCsv(text);
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    fail(error.message, error.line, error.column);
    return { outcomes, diagnostics };
  }
  const header = rows[0];
  if (!header) {
    fail('the results file is empty: give the plan\'s CSV with the outcome column filled in', 1, 1);
    return { outcomes, diagnostics };
  }
  const column = (key: string) => header.findIndex((c) => c.text.trim().toLowerCase() === key);
  const probeAt = column('probe');
  const outcomeAt = column('outcome');
  const planAt = column('plan');
  const missing = REQUIRED.filter((key) => column(key) < 0);
  if (missing.length > 0) {
    fail(`the header lacks the column${missing.length === 1 ? '' : 's'} ${missing.join(', ')} (found: ${header.map((c) => c.text).join(', ')}): give the plan's CSV with the outcome column filled in`, header[0]!.line, header[0]!.column);
    return { outcomes, diagnostics };
  }
  const byId = new Map(plan.probes.map((p) => [p.id, p]));
  for (const row of rows.slice(1)) {
    const cell = (i: number) => (i >= 0 ? row[i] : undefined);
    const id = cell(probeAt);
    const planCell = cell(planAt);
    if (planCell?.text.trim() !== plan.identity) {
      const at = planCell ?? row[0]!;
      fail(`this row is of plan "${planCell?.text ?? ''}", not of this plan (${plan.identity}): the inputs or options changed since the outcomes were recorded; run the new plan`, at.line, at.column);
      continue;
    }
    if (!id || id.text.trim() === '') {
      fail('a row without a probe id', row[0]!.line, row[0]!.column);
      continue;
    }
    const probe = byId.get(id.text.trim());
    if (!probe) {
      fail(`probe "${id.text}" is not in the plan (the plan has P1–P${plan.probes.length}): results of another plan?`, id.line, id.column);
      continue;
    }
    const checks: [string, string][] = [['expected', probe.expected], ['from', probe.from], ['to', probe.to], ['protocol', probe.protocol], ['port', String(probe.port)]];
    const stale = checks.find(([key, value]) => (cell(column(key))?.text.trim() ?? '') !== value);
    if (stale) {
      const c = cell(column(stale[0])) ?? row[0]!;
      fail(`${probe.id}: ${stale[0]} is "${c.text}" here but "${stale[1]}" in the plan: results of another plan?`, c.line, c.column);
      continue;
    }
    const o = cell(outcomeAt);
    const word = (o?.text ?? '').trim().toLowerCase();
    if (word === '') continue;
    if (CONNECTED.includes(word)) outcomes.set(probe.id, 'connected');
    else if (probe.protocol === 'UDP' && NO_ANSWER.includes(word)) outcomes.set(probe.id, 'inconclusive');
    else if (BLOCKED.includes(word)) outcomes.set(probe.id, 'blocked');
    else if (['allow', 'allowed', 'deny', 'denied'].includes(word)) fail(`${probe.id}: outcome "${o!.text}" is a verdict of the plan, not an observation: record what the probe did (connected or blocked)`, o!.line, o!.column);
    else fail(`${probe.id}: outcome "${o!.text}" is neither connected (${CONNECTED.join(', ')}) nor blocked (${BLOCKED.join(', ')})`, o!.line, o!.column);
    if (outcomes.has(probe.id) && rows.filter((r) => r[probeAt]?.text.trim() === probe.id).length > 1) {
      fail(`${probe.id} has more than one row`, id.line, id.column);
    }
  }
  return { outcomes, diagnostics };
}

/** Every probe whose outcome is not the expected one, and every probe not run, in plan order. */
export function compareSegmentationResults(plan: SegmentationPlan, outcomes: ReadonlyMap<string, Outcome>): ProbeMismatch[] {
  const mismatches: ProbeMismatch[] = [];
  for (const p of plan.probes) {
    const outcome = outcomes.get(p.id);
    const what = `${p.id}: ${p.from} → ${p.to} on ${p.protocol} ${p.port}`;
    if (outcome === undefined) {
      mismatches.push({ probe: p, severity: 'error', message: `${what} was not run (no outcome): the test is incomplete` });
    } else if (outcome === 'inconclusive') {
      // a deny probe that proves nothing leaves the isolation untested; a control that proves nothing is weaker evidence
      mismatches.push({ probe: p, outcome, severity: p.expected === 'deny' ? 'error' : 'warning',
        message: `${what} timed out, which over UDP says neither blocked nor open (no answer is what an open port that does not reply gives too): inconclusive; probe a UDP service that answers, or record refused only when an ICMP port-unreachable came back` });
    } else if (p.expected === 'deny' && outcome === 'connected') {
      mismatches.push({ probe: p, outcome, severity: 'error', message: `${what} connected, but the policies deny it: the network plugin does not enforce what the manifests say (or the manifests are not what runs)` });
    } else if (p.expected === 'allow' && outcome === 'blocked') {
      mismatches.push({ probe: p, outcome, severity: p.kind === 'control' ? 'warning' : 'error', message: `${what} was blocked, but the policies allow it${p.boundary ? ` (${p.boundary})` : ''}: a positive control failed, so the blocked probes prove less (is the service listening, is the probe tool in the image?)` });
    }
  }
  return mismatches;
}
