import type { Labels } from '../model/selectors.js';
import type { Service, Workload } from '../model/types.js';
import type { PodSubject } from './evaluate.js';

/**
 * The subject the evaluator judges for a workload: its pods' namespace (with that namespace's
 * labels), labels and container ports. Pod IPs count only when pod CIDRs are known, since only then
 * can an ipBlock match a pod.
 */
export function workloadSubject(w: Workload, namespaceLabels: Labels | undefined, options: { readonly withPodIPs?: boolean } = {}): PodSubject {
  return {
    kind: 'pod', namespace: w.namespace, labels: w.labels,
    namespaceLabels: namespaceLabels ?? { 'kubernetes.io/metadata.name': w.namespace },
    ports: w.ports, podIPs: options.withPodIPs ? w.podIPs : [],
    ...(w.hostNetwork ? { hostNetwork: true } : {}),
    ...(w.serviceAccount ? { serviceAccount: w.serviceAccount } : {}),
  };
}

/** Whether a Service selects a workload's pods: same namespace, every selector label equal. */
export function isServiceBackend(service: Service, w: Workload): boolean {
  const selector = service.selector;
  return selector !== undefined && w.namespace === service.namespace && Object.keys(selector).every((k) => w.labels[k] === selector[k]);
}
