import type { Labels } from '../model/selectors.js';
import type { IngressObject, Workload } from '../model/types.js';
import type { PodSubject } from '../policy/evaluate.js';
import { workloadSubject } from '../policy/subjects.js';

/** The pod that sends Ingress traffic (or a Gateway's): its namespace and labels. */
export interface IngressController {
  readonly namespace: string;
  readonly labels: Labels;
}

/** Where the pods that send an entry object's traffic come from. */
export interface EntrySenderOptions {
  /** The ingress controller's pod, for Ingresses and Routes. */
  readonly ingressController?: IngressController;
  /** The data-plane pod of every Gateway whose own Deployment is not in the input. */
  readonly gatewayController?: IngressController;
  /** Whether pod IPs count (pod CIDRs are known). */
  readonly withPodIPs?: boolean;
}

/** The pod an Ingress, Route or Gateway sends from, and how netdiagram knows it. */
export interface EntrySender {
  readonly subject: PodSubject;
  /** `ingress controller (ingress-nginx)`, `data plane of Gateway shop/web (shop/web-istio[Deployment])`… */
  readonly name: string;
  /** `option`: named on the command line; `workload`: the Gateway's own Deployment; `assumed`: a label-less pod. */
  readonly source: 'option' | 'workload' | 'assumed';
  /** The flag that names it: `--ingress-controller` or `--gateway-controller`. */
  readonly flag: '--ingress-controller' | '--gateway-controller';
}

/**
 * The label the Gateway API asks implementations to set on the resources they create for a
 * Gateway (GEP-1762: `gateway.networking.k8s.io/gateway-name: <gateway>`), Istio and others on the
 * data-plane pods: a workload of the Gateway's namespace with it is that Gateway's data plane.
 */
export const GATEWAY_NAME_LABEL = 'gateway.networking.k8s.io/gateway-name';

/**
 * Who sends an entry object's traffic to its backends. An Ingress or Route: the ingress controller
 * named by `--ingress-controller`. A Gateway: its own data-plane workload when the input holds one
 * (labelled with GATEWAY_NAME_LABEL in the Gateway's namespace), else the pod named by
 * `--gateway-controller`. Otherwise a label-less pod in a label-less namespace, which a policy that
 * admits only a named controller refuses (a warning says so).
 */
export function entrySender(
  entry: IngressObject,
  workloads: readonly Workload[],
  namespaceLabels: ReadonlyMap<string, Labels>,
  options: EntrySenderOptions,
): EntrySender {
  if (entry.kind === 'Gateway') {
    const own = workloads.find((w) => w.namespace === entry.namespace && w.labels[GATEWAY_NAME_LABEL] === entry.name);
    if (own) {
      return {
        subject: workloadSubject(own, namespaceLabels.get(own.namespace), { withPodIPs: options.withPodIPs === true }),
        name: `data plane of Gateway ${entry.namespace}/${entry.name} (${own.id})`, source: 'workload', flag: '--gateway-controller',
      };
    }
    return fromController(options.gatewayController, namespaceLabels, '{gateway-data-plane}', `data plane of Gateway ${entry.namespace}/${entry.name}`, '--gateway-controller');
  }
  return fromController(options.ingressController, namespaceLabels, '{ingress-controller}', 'ingress controller', '--ingress-controller');
}

function fromController(
  controller: IngressController | undefined, namespaceLabels: ReadonlyMap<string, Labels>,
  placeholder: string, what: string, flag: EntrySender['flag'],
): EntrySender {
  if (!controller) {
    return {
      subject: { kind: 'pod', namespace: placeholder, labels: {}, namespaceLabels: {}, ports: [], podIPs: [] },
      name: `${what} (a label-less pod in a label-less namespace)`, source: 'assumed', flag,
    };
  }
  return {
    subject: {
      kind: 'pod', namespace: controller.namespace, labels: controller.labels,
      namespaceLabels: namespaceLabels.get(controller.namespace) ?? { 'kubernetes.io/metadata.name': controller.namespace },
      ports: [], podIPs: [],
    },
    name: `${what} (${controller.namespace})`, source: 'option', flag,
  };
}
