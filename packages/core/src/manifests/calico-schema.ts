import {
  METADATA_SCHEMA, any, boolean, integer, intOrString, list, object, string, stringMap, type Schema,
} from './schema.js';

/**
 * The fields of the Calico API types netdiagram reads (api/pkg/apis/projectcalico/v3 at
 * 87c15906: networkpolicy.go, globalnetworkpolicy.go, stagednetworkpolicy.go,
 * stagedglobalnetworkpolicy.go, policy_common.go, tier.go, networkset.go, globalnetworkset.go),
 * so that a misspelt field (`selecter:`) is an unknown field, as for every other kind, never a
 * silently wider policy. `order` is a float64, checked by the compiler.
 */

const icmp = object('ICMPFields', { type: integer, code: integer });
const entityRule = object('EntityRule', {
  nets: list(string), selector: string, namespaceSelector: string,
  services: object('ServiceMatch', { name: string, namespace: string }),
  ports: list(intOrString), notNets: list(string), notSelector: string, notPorts: list(intOrString),
  serviceAccounts: object('ServiceAccountMatch', { names: list(string), selector: string }),
});
const rule = object('Rule', {
  action: string, ipVersion: integer, protocol: intOrString, icmp, notProtocol: intOrString, notICMP: icmp,
  source: entityRule, destination: entityRule,
  http: object('HTTPMatch', { methods: list(string), paths: list(object('HTTPPath', { exact: string, prefix: string })) }),
  metadata: object('RuleMetadata', { annotations: stringMap }),
});
const policyFields = {
  tier: string, order: any, ingress: list(rule), egress: list(rule), selector: string, types: list(string),
  serviceAccountSelector: string, performanceHints: list(string),
};
const globalFields = { ...policyFields, doNotTrack: boolean, preDNAT: boolean, applyOnForward: boolean, namespaceSelector: string };

const kind = (name: string, spec: Schema): Schema => object(name, { apiVersion: string, kind: string, metadata: METADATA_SCHEMA, spec, status: any });

const SCHEMAS: ReadonlyMap<string, Schema> = new Map([
  ['NetworkPolicy', kind('NetworkPolicy', object('NetworkPolicySpec', policyFields))],
  ['GlobalNetworkPolicy', kind('GlobalNetworkPolicy', object('GlobalNetworkPolicySpec', globalFields))],
  ['StagedNetworkPolicy', kind('StagedNetworkPolicy', object('StagedNetworkPolicySpec', { ...policyFields, stagedAction: string }))],
  ['StagedGlobalNetworkPolicy', kind('StagedGlobalNetworkPolicy', object('StagedGlobalNetworkPolicySpec', { ...globalFields, stagedAction: string }))],
  ['Tier', kind('Tier', object('TierSpec', { order: any, defaultAction: string }))],
  ['NetworkSet', kind('NetworkSet', object('NetworkSetSpec', { nets: list(string) }))],
  ['GlobalNetworkSet', kind('GlobalNetworkSet', object('GlobalNetworkSetSpec', { nets: list(string) }))],
]);

/** The schema of a Calico kind the calico profile reads; undefined for the kinds it only reports. */
export function calicoSchemaOf(kind: string): Schema | undefined {
  return SCHEMAS.get(kind);
}
