/**
 * The network plugin the input is judged for. Calico and Cilium extend the policy model with
 * objects of their own (PCI guidance: "first check the CNI in use and then check both base network
 * policies and the additional network policy types"), and each decides a few things Kubernetes
 * leaves open. The profile is one small options object, threaded from the CLI to the evaluator.
 */
export type CniName = 'generic' | 'calico' | 'cilium';

export const CNI_NAMES: readonly CniName[] = ['generic', 'calico', 'cilium'];

export interface CniProfile {
  readonly name: CniName;
  /** `option`: given with --cni; `inferred`: from the plugin objects in the input; `default`: generic, nothing to infer from. */
  readonly chosen: 'option' | 'inferred' | 'default';
  /** Why an inferred (or defaulted) profile is what it is, for the one line printed about it. */
  readonly reason?: string;
}

export const GENERIC_PROFILE: CniProfile = { name: 'generic', chosen: 'default' };

/** The plugin families a profile can be inferred from, by the family names of unevaluated-kinds.ts. */
const INFERABLE: ReadonlyMap<string, CniName> = new Map([['Calico', 'calico'], ['Cilium', 'cilium']]);

export function isCniName(value: unknown): value is CniName {
  return CNI_NAMES.includes(value as CniName);
}

/**
 * The profile for a run: the one asked for; else the one plugin whose objects the input holds
 * (a cluster runs one CNI); else generic, also when objects of both Calico and Cilium are present,
 * since then the input does not say which one enforces them.
 */
export function chooseCniProfile(requested: CniName | undefined, families: readonly string[]): CniProfile {
  if (requested !== undefined) return { name: requested, chosen: 'option' };
  const found = [...new Set(families.flatMap((f) => (INFERABLE.has(f) ? [f] : [])))].sort();
  if (found.length === 1) {
    const count = families.filter((f) => f === found[0]).length;
    return { name: INFERABLE.get(found[0]!)!, chosen: 'inferred', reason: `the input has ${count} ${found[0]} object${count === 1 ? '' : 's'}` };
  }
  if (found.length > 1) return { name: 'generic', chosen: 'default', reason: `the input has both ${found.join(' and ')} objects, so it does not say which plugin enforces them` };
  return GENERIC_PROFILE;
}

/** How a profile is named in title blocks and metadata: `calico (inferred from the input)`. */
export function describeCniProfile(profile: CniProfile): string {
  switch (profile.chosen) {
    case 'option': return `${profile.name} (--cni ${profile.name})`;
    case 'inferred': return `${profile.name} (inferred: ${profile.reason ?? 'from the input'})`;
    case 'default': return profile.reason ? `generic (${profile.reason})` : 'generic';
  }
}
