/**
 * The fields of the Kubernetes API types netdiagram reads, with the JSON type of each, as the API
 * server decodes them. Field names are those of the Go types, taken from the sources:
 * k8s.io/api core/v1, apps/v1, batch/v1, networking/v1 and k8s.io/apimachinery meta/v1 (master of
 * July 2026), github.com/openshift/api route/v1, and sigs.k8s.io/network-policy-api. An `object` lists every field of its Go type,
 * so any other key is an unknown field (kubectl's `--validate=strict` rejects it); `any` marks a
 * part netdiagram does not interpret, which is not checked at all.
 */
export type Schema =
  | { readonly type: 'object'; readonly name: string; readonly fields: ReadonlyMap<string, Schema> }
  | { readonly type: 'list'; readonly items: Schema }
  | { readonly type: 'string' | 'integer' | 'boolean' | 'int-or-string' | 'string-map' | 'any' };

// the vocabulary every kind's schema is written in (this file's, calico-schema.ts, cilium-schema.ts)
export const string: Schema = { type: 'string' };
export const integer: Schema = { type: 'integer' };
export const boolean: Schema = { type: 'boolean' };
export const intOrString: Schema = { type: 'int-or-string' };
export const stringMap: Schema = { type: 'string-map' };
export const any: Schema = { type: 'any' };
export const list = (items: Schema): Schema => ({ type: 'list', items });
export const object = (name: string, fields: Record<string, Schema>): Schema => ({ type: 'object', name, fields: new Map(Object.entries(fields)) });
/** Every listed field is known and none is interpreted. */
const names = (...list: string[]): Record<string, Schema> => Object.fromEntries(list.map((n) => [n, any]));

const ownerReference = object('OwnerReference', {
  apiVersion: string, kind: string, name: string, uid: string, controller: boolean, blockOwnerDeletion: boolean,
});

const objectMeta = object('ObjectMeta', {
  name: string, generateName: string, namespace: string, selfLink: string, uid: string, resourceVersion: string,
  generation: integer, creationTimestamp: any, deletionTimestamp: any, deletionGracePeriodSeconds: integer,
  labels: stringMap, annotations: stringMap, ownerReferences: list(ownerReference), finalizers: list(string), managedFields: any,
});

export const labelSelector = object('LabelSelector', {
  matchLabels: stringMap,
  matchExpressions: list(object('LabelSelectorRequirement', { key: string, operator: string, values: list(string) })),
});

const networkPolicyPort = object('NetworkPolicyPort', { protocol: string, port: intOrString, endPort: integer });
const networkPolicyPeer = object('NetworkPolicyPeer', {
  podSelector: labelSelector, namespaceSelector: labelSelector,
  ipBlock: object('IPBlock', { cidr: string, except: list(string) }),
});

const networkPolicySpec = object('NetworkPolicySpec', {
  podSelector: labelSelector,
  ingress: list(object('NetworkPolicyIngressRule', { ports: list(networkPolicyPort), from: list(networkPolicyPeer) })),
  egress: list(object('NetworkPolicyEgressRule', { ports: list(networkPolicyPort), to: list(networkPolicyPeer) })),
  policyTypes: list(string),
});

const containerPort = object('ContainerPort', { name: string, hostPort: integer, containerPort: integer, protocol: string, hostIP: string });

const container = object('Container', {
  name: string, ports: list(containerPort), restartPolicy: string, env: any, envFrom: any,
  ...names('image', 'command', 'args', 'workingDir', 'resources', 'resizePolicy', 'restartPolicyRules', 'volumeMounts',
    'volumeDevices', 'livenessProbe', 'readinessProbe', 'startupProbe', 'lifecycle', 'terminationMessagePath',
    'terminationMessagePolicy', 'imagePullPolicy', 'securityContext', 'stdin', 'stdinOnce', 'tty'),
});

const podSpec = object('PodSpec', {
  containers: list(container), initContainers: list(container), hostNetwork: boolean,
  ...names('volumes', 'ephemeralContainers', 'restartPolicy', 'terminationGracePeriodSeconds', 'activeDeadlineSeconds',
    'dnsPolicy', 'nodeSelector', 'serviceAccountName', 'serviceAccount', 'automountServiceAccountToken', 'nodeName',
    'hostPID', 'hostIPC', 'shareProcessNamespace', 'securityContext', 'imagePullSecrets', 'hostname', 'subdomain',
    'affinity', 'schedulerName', 'tolerations', 'hostAliases', 'priorityClassName', 'priority', 'dnsConfig',
    'readinessGates', 'runtimeClassName', 'enableServiceLinks', 'preemptionPolicy', 'overhead',
    'topologySpreadConstraints', 'setHostnameAsFQDN', 'os', 'hostUsers', 'schedulingGates', 'resourceClaims',
    'resources', 'hostnameOverride', 'schedulingGroup', 'evictionResponders'),
});

const podTemplateSpec = object('PodTemplateSpec', { metadata: objectMeta, spec: podSpec });

const jobSpec = object('JobSpec', {
  template: podTemplateSpec, selector: labelSelector, parallelism: integer,
  ...names('completions', 'activeDeadlineSeconds', 'podFailurePolicy', 'successPolicy', 'backoffLimit',
    'backoffLimitPerIndex', 'maxFailedIndexes', 'manualSelector', 'ttlSecondsAfterFinished', 'completionMode', 'suspend',
    'podReplacementPolicy', 'managedBy', 'scheduling'),
});

const servicePort = object('ServicePort', { name: string, protocol: string, appProtocol: string, port: integer, targetPort: intOrString, nodePort: integer });

const serviceSpec = object('ServiceSpec', {
  ports: list(servicePort), selector: stringMap, clusterIP: string, type: string, loadBalancerSourceRanges: list(string),
  ...names('clusterIPs', 'externalIPs', 'sessionAffinity', 'loadBalancerIP', 'externalName', 'externalTrafficPolicy',
    'healthCheckNodePort', 'publishNotReadyAddresses', 'sessionAffinityConfig', 'ipFamilies', 'ipFamilyPolicy',
    'allocateLoadBalancerNodePorts', 'loadBalancerClass', 'internalTrafficPolicy', 'trafficDistribution'),
});

const ingressBackend = object('IngressBackend', {
  service: object('IngressServiceBackend', { name: string, port: object('ServiceBackendPort', { name: string, number: integer }) }),
  resource: any,
});

const ingressSpec = object('IngressSpec', {
  ingressClassName: string, defaultBackend: ingressBackend, tls: any,
  rules: list(object('IngressRule', {
    host: string,
    http: object('HTTPIngressRuleValue', { paths: list(object('HTTPIngressPath', { path: string, pathType: string, backend: ingressBackend })) }),
  })),
});

const routeTarget = object('RouteTargetReference', { kind: string, name: string, weight: integer });
const routeSpec = object('RouteSpec', {
  host: string, subdomain: string, path: string, to: routeTarget, alternateBackends: list(routeTarget),
  port: object('RoutePort', { targetPort: intOrString }), tls: any, wildcardPolicy: string, httpHeaders: any,
});

// policy.networking.k8s.io, from sigs.k8s.io/network-policy-api apis/v1alpha2 (ClusterNetworkPolicy) and
// apis/v1alpha1 (AdminNetworkPolicy, BaselineAdminNetworkPolicy) at 0eec1b0 (July 2026)
const namespacedPod = object('NamespacedPod', { namespaceSelector: labelSelector, podSelector: labelSelector });
const clusterSubject = object('ClusterNetworkPolicySubject', { namespaces: labelSelector, pods: namespacedPod });
const cnpPort = object('Port', { number: integer, range: object('PortRange', { start: integer, end: integer }) });
const cnpProtocol = object('ClusterNetworkPolicyProtocol', {
  tcp: object('ClusterNetworkPolicyProtocolTCP', { destinationPort: cnpPort }),
  udp: object('ClusterNetworkPolicyProtocolUDP', { destinationPort: cnpPort }),
  sctp: object('ClusterNetworkPolicyProtocolSCTP', { destinationPort: cnpPort }),
  destinationNamedPort: string,
});
const ingressPeer = object('ClusterNetworkPolicyIngressPeer', { namespaces: labelSelector, pods: namespacedPod });
const egressPeer = object('ClusterNetworkPolicyEgressPeer', {
  namespaces: labelSelector, pods: namespacedPod, nodes: labelSelector, networks: list(string), domainNames: list(string),
});
const clusterNetworkPolicySpec = object('ClusterNetworkPolicySpec', {
  tier: string, priority: integer, subject: clusterSubject,
  ingress: list(object('ClusterNetworkPolicyIngressRule', { name: string, action: string, from: list(ingressPeer), protocols: list(cnpProtocol) })),
  egress: list(object('ClusterNetworkPolicyEgressRule', { name: string, action: string, to: list(egressPeer), protocols: list(cnpProtocol) })),
});
const anpPort = object('AdminNetworkPolicyPort', {
  portNumber: object('Port', { protocol: string, port: integer }),
  namedPort: string,
  portRange: object('PortRange', { protocol: string, start: integer, end: integer }),
});
const anpRules = (ruleName: string, withEgressPeer: Schema) => ({
  ingress: list(object(`${ruleName}IngressRule`, { name: string, action: string, from: list(ingressPeer), ports: list(anpPort) })),
  egress: list(object(`${ruleName}EgressRule`, { name: string, action: string, to: list(withEgressPeer), ports: list(anpPort) })),
});
const adminNetworkPolicySpec = object('AdminNetworkPolicySpec', { priority: integer, subject: clusterSubject, ...anpRules('AdminNetworkPolicy', egressPeer) });
const baselineAdminNetworkPolicySpec = object('BaselineAdminNetworkPolicySpec', {
  subject: clusterSubject,
  ...anpRules('BaselineAdminNetworkPolicy', object('BaselineAdminNetworkPolicyEgressPeer', {
    namespaces: labelSelector, pods: namespacedPod, nodes: labelSelector, networks: list(string),
  })),
});

/** A top-level object: TypeMeta, ObjectMeta, its spec, and its status (never interpreted). */
const kind = (name: string, spec: Schema): Schema =>
  object(name, { apiVersion: string, kind: string, metadata: objectMeta, spec, status: any });

const workloadSpec = (name: string, fields: Record<string, Schema>, ...others: string[]): Schema =>
  object(name, { ...fields, ...names(...others) });

/**
 * The schema of each kind netdiagram reads. Config kinds (ConfigMap, Secret, volumes) carry data netdiagram
 * does not interpret: only their metadata is checked.
 */
export const KIND_SCHEMAS: ReadonlyMap<string, Schema> = new Map([
  // networking/v1 dropped NetworkPolicyStatus in Kubernetes 1.27, but `kubectl get -o yaml` on 1.24-1.26 wrote
  // `status: {}`: it carries nothing netdiagram reads, so a dump from such a cluster is accepted
  ['NetworkPolicy', kind('NetworkPolicy', networkPolicySpec)],
  ['ClusterNetworkPolicy', kind('ClusterNetworkPolicy', clusterNetworkPolicySpec)],
  ['AdminNetworkPolicy', kind('AdminNetworkPolicy', adminNetworkPolicySpec)],
  ['BaselineAdminNetworkPolicy', kind('BaselineAdminNetworkPolicy', baselineAdminNetworkPolicySpec)],
  ['Service', kind('Service', serviceSpec)],
  ['Ingress', kind('Ingress', ingressSpec)],
  ['Route', kind('Route', routeSpec)],
  ['Namespace', kind('Namespace', object('NamespaceSpec', { finalizers: list(string) }))],
  ['Pod', kind('Pod', podSpec)],
  ['Deployment', kind('Deployment', workloadSpec('DeploymentSpec', { replicas: integer, selector: labelSelector, template: podTemplateSpec },
    'strategy', 'minReadySeconds', 'revisionHistoryLimit', 'paused', 'progressDeadlineSeconds'))],
  ['StatefulSet', kind('StatefulSet', workloadSpec('StatefulSetSpec', { replicas: integer, selector: labelSelector, template: podTemplateSpec },
    'volumeClaimTemplates', 'serviceName', 'podManagementPolicy', 'updateStrategy', 'revisionHistoryLimit', 'minReadySeconds',
    'persistentVolumeClaimRetentionPolicy', 'ordinals'))],
  ['DaemonSet', kind('DaemonSet', workloadSpec('DaemonSetSpec', { selector: labelSelector, template: podTemplateSpec },
    'updateStrategy', 'minReadySeconds', 'revisionHistoryLimit'))],
  ['ReplicaSet', kind('ReplicaSet', workloadSpec('ReplicaSetSpec', { replicas: integer, selector: labelSelector, template: podTemplateSpec },
    'minReadySeconds'))],
  ['ReplicationController', kind('ReplicationController', workloadSpec('ReplicationControllerSpec',
    { replicas: integer, selector: stringMap, template: podTemplateSpec }, 'minReadySeconds'))],
  ['Job', kind('Job', jobSpec)],
  ['CronJob', kind('CronJob', workloadSpec('CronJobSpec', { jobTemplate: object('JobTemplateSpec', { metadata: objectMeta, spec: jobSpec }) },
    'schedule', 'timeZone', 'startingDeadlineSeconds', 'concurrencyPolicy', 'suspend', 'successfulJobsHistoryLimit', 'failedJobsHistoryLimit'))],
]);

/** Kinds whose top level is not checked (their data is not interpreted), only their metadata. */
export const METADATA_SCHEMA: Schema = objectMeta;
