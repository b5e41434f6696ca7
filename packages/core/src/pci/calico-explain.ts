import { formatPorts, isEmptyPorts, type PortSet } from '../model/ports.js';
import type { TieredDirectionVerdict } from '../policy/calico-tiers.js';
import type { Contribution, DirectionVerdict } from '../policy/evaluate.js';

/** One tier of Calico's walk as `explain` reports it. */
export interface TierWalkStep {
  readonly tier: string;
  /** The tier's policies that apply to the pod, in evaluation order. */
  readonly policies: readonly string[];
  /** What the tier does with what none of its rules matched. */
  readonly defaultAction: 'deny' | 'pass';
  /** The ports that fell to the default action. */
  readonly defaulted: PortSet;
}

/** Whether a verdict came from Calico's tier walk (the calico profile). */
export function isCalicoVerdict(v: DirectionVerdict): v is TieredDirectionVerdict {
  return 'tierWalk' in v;
}

/**
 * A direction Calico's tiers decide, tier by tier as the walk met them: in each tier that applies,
 * what its rules allowed, denied and passed, and what fell to the tier's default action; then what
 * the namespace's profile allowed.
 */
export function describeTierWalk(v: TieredDirectionVerdict, pod: string, peer: string): { summary: string; tierWalk: TierWalkStep[] } {
  const said: string[] = [];
  const ofStep = (list: readonly Contribution[] | undefined, policies: readonly string[]) => (list ?? []).filter((c) => policies.some((id) => c.ref.startsWith(`${id}#`)));
  for (const step of v.tierWalk) {
    const parts: string[] = [];
    for (const c of ofStep(v.contributions, step.policies)) parts.push(`${c.ref} allows ${peer} on ${formatPorts(c.ports)}${c.partial ? ' (for some of its addresses)' : ''}`);
    for (const c of ofStep(v.denied, step.policies)) parts.push(`${c.ref} denies ${formatPorts(c.ports)}`);
    for (const c of ofStep(v.passed, step.policies)) parts.push(`${c.ref} passes ${formatPorts(c.ports)} to the next tier`);
    if (!isEmptyPorts(step.defaulted)) parts.push(`no rule matches ${formatPorts(step.defaulted)}: the tier's default action ${step.defaultAction === 'deny' ? 'denies' : 'passes'} it`);
    said.push(`tier ${step.tier} (${step.policies.join(', ')}): ${parts.length > 0 ? parts.join('; ') : 'nothing left to decide'}`);
  }
  for (const c of v.contributions.filter((x) => x.ref.startsWith('calico:profile/') || x.ref.startsWith('default-allow:'))) {
    said.push(v.tierWalk.length === 0 ? `no tier applies: the namespace profile allows ${formatPorts(c.ports)}` : `the last tier passes ${formatPorts(c.ports)}: the namespace profile allows it`);
  }
  return {
    summary: `${v.direction} of ${pod} (Calico tiers): ${said.length > 0 ? said.join('; ') : `nothing admits ${peer}`}`,
    tierWalk: v.tierWalk.map((s) => ({ tier: s.tier, policies: s.policies, defaultAction: s.defaultAction, defaulted: s.defaulted })),
  };
}
