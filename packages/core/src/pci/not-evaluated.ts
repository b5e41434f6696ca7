import type { Parsed, UnevaluatedKind } from '../parse-manifests.js';

/** `2 policies of kind CiliumNetworkPolicy (cilium.io/v2, Cilium) are not evaluated: …` */
export function notEvaluatedMessage(u: UnevaluatedKind): string {
  const names = u.objects.slice(0, 3).map((o) => o.name).join(', ') + (u.objects.length > 3 ? `, … (${u.objects.length - 3} more)` : '');
  if (u.part !== undefined) {
    return `${u.count} ${u.kind} (${u.apiVersion}) ${u.count === 1 ? 'has' : 'have'} a part not evaluated, ${u.part}: ` +
      `the exposure shown may differ from what the cluster routes (${names})`;
  }
  if (u.unread !== undefined) {
    return `${u.kind} (${u.apiVersion}) could not be read (${u.unread}): its objects are not evaluated, and the allowed traffic shown may differ from what the cluster enforces`;
  }
  return `${u.count} ${u.count === 1 ? 'policy' : 'policies'} of kind ${u.kind} (${u.apiVersion}, ${u.family}) ${u.count === 1 ? 'is' : 'are'} not evaluated: ` +
    `the allowed traffic shown may differ from what the cluster enforces (${names})`;
}

/**
 * The lines every diagram's title block and every evidence bundle must carry when the input holds
 * policies netdiagram does not evaluate (Calico, Cilium, AdminNetworkPolicy, …): one per kind, or
 * none. Each says how many objects of which kind, and that the drawing may differ from the cluster.
 */
export function unevaluatedPolicyNotices(parsed: Pick<Parsed, 'unevaluated'>): string[] {
  return parsed.unevaluated.map((u) => u.part !== undefined
    ? `NOT EVALUATED: ${u.part} of ${u.count} ${u.kind} (${u.apiVersion}); the exposure shown may differ from what the cluster routes`
    : u.unread !== undefined
    ? `NOT EVALUATED: ${u.kind} (${u.apiVersion}) could not be read (${u.unread}); the allowed traffic shown may differ from what the cluster enforces`
    : `NOT EVALUATED: ${u.count} ${u.kind} (${u.apiVersion}, ${u.family}); the allowed traffic shown may differ from what the cluster enforces`);
}
