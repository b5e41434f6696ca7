import {
  METADATA_SCHEMA, labelSelector, any, boolean, integer, intOrString, list, object, string, stringMap, type Schema,
} from './schema.js';

/**
 * The fields of the cilium.io/v2 policy types (pkg/policy/api in cilium/cilium: rule.go, ingress.go,
 * egress.go, l4.go, l7.go, http.go, kafka.go, fqdn.go, cidr.go, service.go, groups.go, icmp.go,
 * selector.go; pkg/k8s/apis/cilium.io/v2 for the CiliumNetworkPolicy and
 * CiliumClusterwideNetworkPolicy wrappers), so that a misspelt field (`ingresDeny:`, `toEndpoint:`)
 * is an unknown field, as for every other kind: the API server prunes what the CRD schema does not
 * know, and a rule read without its misspelt part allows more, or denies less, than was written.
 * An EndpointSelector is a Kubernetes LabelSelector (matchLabels, matchExpressions).
 * `port` is a string, as in Cilium's types and CRD schema: the API server refuses `port: 80` (write `"80"`).
 */

const endpointSelector = labelSelector;
const secret = object('Secret', { namespace: string, name: string });
const tlsContext = object('TLSContext', { secret, trustedCA: string, certificate: string, privateKey: string });
const portProtocol = object('PortProtocol', { port: string, endPort: integer, protocol: string });
const fqdnSelector = object('FQDNSelector', { matchName: string, matchPattern: string });

const l7Rules = object('L7Rules', {
  http: list(object('PortRuleHTTP', {
    path: string, method: string, host: string, headers: list(string),
    headerMatches: list(object('HeaderMatch', { mismatch: string, name: string, secret, value: string })),
  })),
  kafka: list(object('PortRuleKafka', { role: string, apiKey: string, apiVersion: string, clientID: string, topic: string })),
  dns: list(fqdnSelector),
  l7proto: string,
  l7: list(stringMap),
});

const portRule = object('PortRule', {
  ports: list(portProtocol), terminatingTLS: tlsContext, originatingTLS: tlsContext, serverNames: list(string),
  listener: object('Listener', { envoyConfig: object('EnvoyConfig', { kind: string, name: string }), name: string, priority: integer }),
  rules: l7Rules,
});
const portDenyRule = object('PortDenyRule', { ports: list(portProtocol) });

const cidrRule = object('CIDRRule', { cidr: string, cidrGroupRef: string, cidrGroupSelector: labelSelector, except: list(string) });
const groups = object('Groups', {
  aws: object('AWSGroup', { labels: stringMap, securityGroupsIds: list(string), securityGroupsNames: list(string), region: string }),
});
const service = object('Service', {
  k8sServiceSelector: object('K8sServiceSelectorNamespace', { selector: labelSelector, namespace: string }),
  k8sService: object('K8sServiceNamespace', { serviceName: string, namespace: string }),
});
// `type` is a number or, since Cilium 1.16, a message name such as EchoRequest
const icmpRule = object('ICMPRule', { fields: list(object('ICMPField', { family: string, type: intOrString })) });
const authentication = object('Authentication', { mode: string });

const ingressCommon = {
  fromEndpoints: list(endpointSelector), fromRequires: list(endpointSelector), fromCIDR: list(string),
  fromCIDRSet: list(cidrRule), fromEntities: list(string), fromGroups: list(groups), fromNodes: list(endpointSelector),
};
const egressCommon = {
  toEndpoints: list(endpointSelector), toRequires: list(endpointSelector), toCIDR: list(string), toCIDRSet: list(cidrRule),
  toEntities: list(string), toServices: list(service), toGroups: list(groups), toNodes: list(endpointSelector),
};

const rule = object('Rule', {
  endpointSelector, nodeSelector: endpointSelector,
  ingress: list(object('IngressRule', { ...ingressCommon, toPorts: list(portRule), icmps: list(icmpRule), authentication })),
  ingressDeny: list(object('IngressDenyRule', { ...ingressCommon, toPorts: list(portDenyRule), icmps: list(icmpRule) })),
  egress: list(object('EgressRule', { ...egressCommon, toPorts: list(portRule), toFQDNs: list(fqdnSelector), icmps: list(icmpRule), authentication })),
  egressDeny: list(object('EgressDenyRule', { ...egressCommon, toPorts: list(portDenyRule), icmps: list(icmpRule) })),
  labels: list(object('Label', { key: string, value: string, source: string })),
  enableDefaultDeny: object('DefaultDenyConfig', { ingress: boolean, egress: boolean }),
  description: string,
  log: object('LogConfig', { value: string }),
});

// `description` beside `spec` is in none of Cilium's Go types, yet Cilium's own examples and
// getting-started guides put it there (examples/policies, kafka.yaml, requires.yaml): it carries no
// meaning, so a policy read without it is read exactly, and it is taken rather than refused
const kind = (name: string): Schema => object(name, {
  apiVersion: string, kind: string, metadata: METADATA_SCHEMA, description: string, spec: rule, specs: list(rule), status: any,
});

const SCHEMAS: ReadonlyMap<string, Schema> = new Map([
  ['CiliumNetworkPolicy', kind('CiliumNetworkPolicy')],
  ['CiliumClusterwideNetworkPolicy', kind('CiliumClusterwideNetworkPolicy')],
]);

/** The schema of a Cilium kind the cilium profile reads; undefined for the kinds it only reports. */
export function ciliumSchemaOf(kind: string): Schema | undefined {
  return SCHEMAS.get(kind);
}
