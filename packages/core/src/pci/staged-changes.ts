import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { buildTrafficGraph, type GraphOptions } from '../graph/build.js';
import type { TrafficGraph } from '../graph/types.js';
import type { CalicoPolicy } from '../model/calico-types.js';
import { formatPorts, isEmptyPorts } from '../model/ports.js';
import type { Cluster } from '../model/types.js';
import { diffFlows } from './flow-diff.js';

/** How many changed flows a message names before it only counts the rest. */
const LISTED = 5;

const keyOf = (p: CalicoPolicy) => `${p.kind}\u0000${p.namespace ?? ''}\u0000${p.name}`;

/**
 * What each staged Calico policy would change, were it enforced (Calico's "preview": a staged
 * policy with `stagedAction: Set` becomes the enforced policy of its name, one with `Delete`
 * removes it; api/pkg/apis/projectcalico/v3/stagednetworkpolicy.go ConvertStagedPolicyToEnforced):
 * one `calico/staged-would-change` warning per staged policy, naming the flows that would be added,
 * removed or changed against `graph`, the enforced policies' graph. Each is judged alone.
 */
export function stagedPolicyChanges(cluster: Cluster, graph: TrafficGraph, options: GraphOptions = {}): Diagnostic[] {
  const calico = cluster.calico;
  if (!calico?.staged) return [];
  const out: Diagnostic[] = [];
  for (const staged of calico.staged) {
    const what = `${staged.kind} ${staged.policy.namespace ? `${staged.policy.namespace}/` : ''}${staged.policy.name}`;
    if (staged.action === 'learn' || staged.action === 'ignore') continue;
    const policies = calico.policies.filter((p) => keyOf(p) !== keyOf(staged.policy));
    if (staged.action === 'set') policies.push(staged.policy);
    const { staged: _none, ...rest } = calico;
    const after = buildTrafficGraph({ ...cluster, calico: { ...rest, policies } }, options);
    const changes = diffFlows(graph, after).changes;
    const described = changes.slice(0, LISTED).map((c) => {
      const ports = [
        ...(isEmptyPorts(c.addedPorts) ? [] : [`+${formatPorts(c.addedPorts)}`]),
        ...(isEmptyPorts(c.removedPorts) ? [] : [`-${formatPorts(c.removedPorts)}`]),
      ].join(' ');
      return `${c.from} => ${c.to} (${ports})`;
    });
    const count = (kind: string) => changes.filter((c) => c.change === kind).length;
    const summary = changes.length === 0 ? 'it would change no flow'
      : `it would add ${count('added')}, remove ${count('removed')} and change ${count('changed')} flow${changes.length === 1 ? '' : 's'}: ${described.join('; ')}${changes.length > LISTED ? `; and ${changes.length - LISTED} more` : ''}`;
    out.push(diagnostic('warning', 'calico/staged-would-change',
      `${what} (stagedAction ${staged.action === 'set' ? 'Set' : 'Delete'}) is not enforced; enforced, ${summary}`, staged.location));
  }
  return out;
}
