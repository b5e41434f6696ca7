import { METADATA_SCHEMA, any, integer, labelSelector, list, object, string, stringMap, type Schema } from './schema.js';

/**
 * The fields of the Gateway API kinds netdiagram reads (gateway.networking.k8s.io), from
 * sigs.k8s.io/gateway-api apis/v1 (gateway_types.go, httproute_types.go, grpcroute_types.go,
 * tcproute_types.go, tlsroute_types.go, udproute_types.go, referencegrant_types.go,
 * shared_types.go, object_reference_types.go) at 4564255 (August 2026). The v1beta1, v1alpha2 and
 * v1alpha3 versions of these kinds have the same fields (their types are aliases of v1's or copies
 * of them), so one schema serves every version. A misspelt field (`sectionNme:`, `backendRef:`) is
 * an unknown field: the API server prunes what the CRD schema does not know, and a route read
 * without it would attach, or route, where the cluster does not.
 */

const names = (...list: string[]): Record<string, Schema> => Object.fromEntries(list.map((n) => [n, any]));

const parentReference = object('ParentReference', { group: string, kind: string, namespace: string, name: string, sectionName: string, port: integer });
const backendObjectReference = { group: string, kind: string, name: string, namespace: string, port: integer };
const backendReference = object('BackendObjectReference', backendObjectReference);
const backendRef = object('BackendRef', { ...backendObjectReference, weight: integer });

const headerFilter = any; // HTTPHeaderFilter: headers set, added or removed, not interpreted
const requestMirror = object('HTTPRequestMirrorFilter', { backendRef: backendReference, percent: integer, fraction: any });
const httpRouteFilter = object('HTTPRouteFilter', {
  type: string, requestHeaderModifier: headerFilter, responseHeaderModifier: headerFilter, requestMirror,
  externalAuth: object('HTTPExternalAuthFilter', { protocol: string, backendRef: backendReference, grpc: any, http: any, forwardBody: any }),
  ...names('requestRedirect', 'urlRewrite', 'cors', 'extensionRef'),
});
const grpcRouteFilter = object('GRPCRouteFilter', {
  type: string, requestHeaderModifier: headerFilter, responseHeaderModifier: headerFilter, requestMirror, extensionRef: any,
});

const commonRouteSpec = { parentRefs: list(parentReference), useDefaultGateways: string };

const httpRouteSpec = object('HTTPRouteSpec', {
  ...commonRouteSpec, hostnames: list(string),
  rules: list(object('HTTPRouteRule', {
    name: string, filters: list(httpRouteFilter),
    backendRefs: list(object('HTTPBackendRef', { ...backendObjectReference, weight: integer, filters: list(httpRouteFilter) })),
    ...names('matches', 'timeouts', 'retry', 'sessionPersistence'),
  })),
});
const grpcRouteSpec = object('GRPCRouteSpec', {
  ...commonRouteSpec, hostnames: list(string),
  rules: list(object('GRPCRouteRule', {
    name: string, filters: list(grpcRouteFilter),
    backendRefs: list(object('GRPCBackendRef', { ...backendObjectReference, weight: integer, filters: list(grpcRouteFilter) })),
    ...names('matches', 'sessionPersistence'),
  })),
});
const layer4RouteSpec = (kind: string, withHostnames: boolean): Schema => object(`${kind}Spec`, {
  ...commonRouteSpec, ...(withHostnames ? { hostnames: list(string) } : {}),
  rules: list(object(`${kind}Rule`, { name: string, backendRefs: list(backendRef) })),
});

const routeGroupKind = object('RouteGroupKind', { group: string, kind: string });
const listener = object('Listener', {
  name: string, hostname: string, port: integer, protocol: string, tls: any,
  allowedRoutes: object('AllowedRoutes', {
    namespaces: object('RouteNamespaces', { from: string, selector: labelSelector }),
    kinds: list(routeGroupKind),
  }),
});
const gatewaySpec = object('GatewaySpec', {
  gatewayClassName: string, listeners: list(listener),
  addresses: list(object('GatewaySpecAddress', { type: string, value: string })),
  infrastructure: object('GatewayInfrastructure', { labels: stringMap, annotations: stringMap, parametersRef: any }),
  allowedListeners: any, tls: any, defaultScope: string,
});

const referenceGrantSpec = object('ReferenceGrantSpec', {
  from: list(object('ReferenceGrantFrom', { group: string, kind: string, namespace: string })),
  to: list(object('ReferenceGrantTo', { group: string, kind: string, name: string })),
});

const kind = (name: string, spec: Schema): Schema => object(name, { apiVersion: string, kind: string, metadata: METADATA_SCHEMA, spec, status: any });

/** The schema of each Gateway API kind netdiagram reads. */
export const GATEWAY_SCHEMAS: ReadonlyMap<string, Schema> = new Map([
  ['Gateway', kind('Gateway', gatewaySpec)],
  ['HTTPRoute', kind('HTTPRoute', httpRouteSpec)],
  ['GRPCRoute', kind('GRPCRoute', grpcRouteSpec)],
  ['TLSRoute', kind('TLSRoute', layer4RouteSpec('TLSRoute', true))],
  ['TCPRoute', kind('TCPRoute', layer4RouteSpec('TCPRoute', false))],
  ['UDPRoute', kind('UDPRoute', layer4RouteSpec('UDPRoute', false))],
  ['ReferenceGrant', kind('ReferenceGrant', referenceGrantSpec)],
]);
