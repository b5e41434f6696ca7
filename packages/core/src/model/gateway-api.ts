import { diagnostic, type Diagnostic, type SourceLocation } from '../diagnostics.js';
import type { FieldPath } from '../manifests/parse.js';
import { asRecord } from '../policy/compile.js';
import type { Named } from './fold-pods.js';
import { NAMESPACE_NAME_LABEL } from './labels.js';
import { compileSelector, matchesSelector, type Labels, type Selector } from './selectors.js';
import type { GatewayListener, IngressBackend, IngressObject } from './types.js';

/** The API group of every Gateway API kind. */
export const GATEWAY_GROUP = 'gateway.networking.k8s.io';
/** The route kinds netdiagram reads. */
export const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute', 'UDPRoute'] as const;
type RouteKind = (typeof ROUTE_KINDS)[number];

/** Route kinds that match on hostnames: for them a listener's hostname and the route's must intersect. */
const HOSTNAME_KINDS: ReadonlySet<string> = new Set(['HTTPRoute', 'GRPCRoute', 'TLSRoute']);

/**
 * The route kinds a listener accepts when its `allowedRoutes.kinds` is empty, "determined using the
 * Listener protocol" (apis/v1 AllowedRoutes): HTTP and HTTPS carry HTTPRoutes and GRPCRoutes, TLS
 * carries TLSRoutes and (terminated) TCPRoutes, TCP TCPRoutes, UDP UDPRoutes. An implementation's own
 * protocol carries the kinds its controller decides, which the input does not say: unless the
 * listener names kinds, its attachment is not evaluated. Where implementations differ, the wider set
 * is taken: drawing an exposure that is not there is checked and corrected, missing one is not.
 */
const KINDS_OF_PROTOCOL: ReadonlyMap<string, readonly RouteKind[]> = new Map([
  ['HTTP', ['HTTPRoute', 'GRPCRoute']],
  ['HTTPS', ['HTTPRoute', 'GRPCRoute']],
  ['TLS', ['TLSRoute', 'TCPRoute']],
  ['TCP', ['TCPRoute']],
  ['UDP', ['UDPRoute']],
]);

interface ParsedListener extends GatewayListener {
  readonly from: 'Same' | 'All' | 'Selector' | 'None';
  /** For `from: Selector`; undefined when the selector is invalid, which admits no namespace. */
  readonly selector?: Selector;
  /** undefined: the protocol's kinds. Only those the protocol carries (an implementation's own protocol: as written). */
  readonly kinds?: readonly { readonly group: string; readonly kind: string }[];
  /** Kinds `allowedRoutes.kinds` names that the protocol does not carry (InvalidRouteKinds). */
  readonly invalidKinds?: readonly string[];
}

interface ParsedGateway {
  readonly named: Named;
  readonly listeners: readonly ParsedListener[];
}

/**
 * A part of a Gateway API object netdiagram cannot decide or does not evaluate (a route's attachment
 * through a selector on the labels of a namespace the input does not hold, a filter of an
 * implementation's own): it joins the kinds not evaluated, and no gate passes.
 */
export interface GatewayNotEvaluated {
  readonly apiVersion: string;
  readonly kind: string;
  /** `namespace/name` */
  readonly name: string;
  /** What of the object is not evaluated: `its attachment to a Gateway (namespace labels not in the input)`. */
  readonly part: string;
  readonly location: SourceLocation;
}

/** A listener's verdict on a route: accepted, refused (why), or not decidable from the input (why). */
type Admission = { readonly kind: 'accepted' } | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'undecided'; readonly reason: string; readonly cause: UndecidedCause };

/** Why a listener's verdict cannot be decided from the input, with what the warning and the NOT EVALUATED line say. */
type UndecidedCause = 'namespace-labels' | 'protocol';
const UNDECIDED: Record<UndecidedCause, { readonly code: 'gateway/namespace-unknown' | 'gateway/protocol-not-evaluated'; readonly part: string; readonly advice: string }> = {
  'namespace-labels': { code: 'gateway/namespace-unknown', part: 'its attachment to a Gateway (namespace labels not in the input)', advice: 'add the Namespace object to the input' },
  protocol: { code: 'gateway/protocol-not-evaluated', part: 'its attachment to a Gateway (a listener protocol of its controller\'s own)', advice: 'name the route kinds in the listener\'s allowedRoutes.kinds' },
};

/** A grant in a namespace: who may refer to what in it. */
interface Grant {
  readonly namespace: string;
  readonly from: readonly { readonly group: string; readonly kind: string; readonly namespace: string }[];
  readonly to: readonly { readonly group: string; readonly kind: string; readonly name?: string }[];
}

/**
 * Builds each Gateway with the routes attached to it, as a Gateway API controller decides:
 * a route's parentRef attaches it to the listeners of the named Gateway that its `sectionName` and
 * `port` select, whose `allowedRoutes` admits the route's namespace (`from: Same` by default, `All`,
 * or `Selector` on the namespace's labels) and kind, and whose hostname intersects the route's
 * hostnames; a route no listener accepts is detached (a warning). The Gateway's backends are the
 * Services its routes name, except weight-0 backendRefs (sent no traffic) and references to another
 * namespace that no ReferenceGrant there permits (the controller refuses them: a warning).
 * `namespaceLabels` holds the namespaces the input declares: a `Selector` on the labels of another
 * cannot be decided (drawn as attached, and not evaluated), unless it reads only
 * `kubernetes.io/metadata.name`, which Kubernetes sets to the name.
 * https://gateway-api.sigs.k8s.io/reference/spec/
 */
export function buildGateways(
  gateways: readonly Named[],
  routes: readonly Named[],
  grants: readonly Named[],
  namespaceLabels: ReadonlyMap<string, Labels>,
  diagnostics: Diagnostic[],
): { gateways: IngressObject[]; notEvaluated: GatewayNotEvaluated[] } {
  const notEvaluated: GatewayNotEvaluated[] = [];
  const notEvaluatedPart = (n: Named, part: string, location: SourceLocation) =>
    notEvaluated.push({ apiVersion: n.object.apiVersion, kind: n.object.kind, name: `${n.namespace}/${n.name}`, part, location });
  const parsed = new Map<string, ParsedGateway>();
  for (const g of gateways) {
    parsed.set(`${g.namespace}/${g.name}`, { named: g, listeners: parseListeners(g, diagnostics) });
    // a default Gateway (GEP-3793, experimental) takes the routes that ask for one: those routes are reported
    const scope = asRecord(g.object.value.spec)?.defaultScope;
    if (typeof scope === 'string' && scope !== 'None') {
      diagnostics.push(diagnostic('warning', 'gateway/default-gateway-not-evaluated',
        `Gateway ${g.namespace}/${g.name} is a default Gateway (spec.defaultScope: ${scope}), which netdiagram does not evaluate: routes that use default Gateways (spec.useDefaultGateways) are not attached to it, and each is reported as not evaluated`,
        g.object.locate(['spec', 'defaultScope'])));
    }
  }
  const grantList = grants.map(parseGrant);
  const attached = new Map<string, { routes: Set<string>; hosts: Set<string>; backends: IngressBackend[] }>();
  for (const key of parsed.keys()) attached.set(key, { routes: new Set(), hosts: new Set(), backends: [] });

  for (const route of routes) {
    const kind = route.object.kind as RouteKind;
    const spec = asRecord(route.object.value.spec) ?? {};
    const hostnames = stringsOf(spec.hostnames);
    const routeId = `${route.namespace}/${route.name}[${kind}]`;
    const parentRefs = Array.isArray(spec.parentRefs) ? spec.parentRefs : [];
    const parents: string[] = [];
    // a route that uses default Gateways (GEP-3793, experimental) may be exposed without any parentRef
    if (typeof spec.useDefaultGateways === 'string' && spec.useDefaultGateways !== 'None') {
      const at = route.object.locate(['spec', 'useDefaultGateways']);
      diagnostics.push(diagnostic('warning', 'gateway/default-gateway-not-evaluated',
        `${kind} ${route.namespace}/${route.name} uses default Gateways (spec.useDefaultGateways: ${spec.useDefaultGateways}), which netdiagram does NOT EVALUATE: the Gateways that take it, and so its exposure, are not drawn beyond its parentRefs, and no gate passes`, at));
      notEvaluatedPart(route, 'its attachment to default Gateways (spec.useDefaultGateways)', at);
    }
    parentRefs.forEach((raw, i) => {
      const ref = asRecord(raw) ?? {};
      const at = route.object.locate(['spec', 'parentRefs', i]);
      const group = typeof ref.group === 'string' ? ref.group : GATEWAY_GROUP;
      const refKind = typeof ref.kind === 'string' ? ref.kind : 'Gateway';
      if (group !== GATEWAY_GROUP || refKind !== 'Gateway') {
        diagnostics.push(diagnostic('warning', 'gateway/unsupported-reference',
          `${kind} ${route.namespace}/${route.name} parentRefs[${i}] names a ${group === '' ? refKind : `${refKind} (${group})`}; only Gateways are evaluated, so this attachment is NOT EVALUATED and no gate passes`, at));
        // a mesh Service or a ListenerSet routes traffic netdiagram does not draw: fail closed
        notEvaluatedPart(route, `its attachment to a ${group === '' ? refKind : `${refKind} (${group})`} (parentRefs[${i}])`, at);
        return;
      }
      if (typeof ref.name !== 'string') return;
      const gatewayNamespace = typeof ref.namespace === 'string' && ref.namespace !== '' ? ref.namespace : route.namespace;
      const key = `${gatewayNamespace}/${ref.name}`;
      const gateway = parsed.get(key);
      if (!gateway) {
        diagnostics.push(diagnostic('warning', 'gateway/unknown-gateway',
          `${kind} ${route.namespace}/${route.name} attaches to Gateway ${key}, which is not in the input: the exposure through it is NOT EVALUATED and no gate passes; add the Gateway to the input`, at));
        // a shared Gateway kept in another repository still exposes the route: a missing edge, so fail closed
        notEvaluatedPart(route, 'its attachment to a Gateway that is not in the input', at);
        return;
      }
      const sectionName = typeof ref.sectionName === 'string' && ref.sectionName !== '' ? ref.sectionName : undefined;
      const port = typeof ref.port === 'number' ? ref.port : undefined;
      const selected = gateway.listeners.filter((l) => (sectionName === undefined || l.name === sectionName) && (port === undefined || l.port === port));
      if (selected.length === 0) {
        const which = [sectionName !== undefined ? `named "${sectionName}"` : '', port !== undefined ? `on port ${port}` : ''].filter(Boolean).join(' and ');
        diagnostics.push(diagnostic('warning', 'gateway/not-attached',
          `${kind} ${route.namespace}/${route.name} is not attached to Gateway ${key}: it has no listener ${which || 'at all'}`, at));
        return;
      }
      const verdicts = selected.map((l) => admissionOf(l, gateway.named.namespace, route.namespace, kind, hostnames, namespaceLabels));
      const admitted = selected.filter((_l, j) => verdicts[j]!.kind !== 'refused');
      if (admitted.length === 0) {
        const reasons = [...new Set(verdicts.map((v, j) => `listener "${selected[j]!.name}" ${v.kind === 'accepted' ? '' : v.reason}`))].join('; ');
        diagnostics.push(diagnostic('warning', 'gateway/not-attached',
          `${kind} ${route.namespace}/${route.name} is not attached to Gateway ${key}: ${reasons}`, at));
        return;
      }
      // a listener that may accept it is drawn as accepting it (the wider exposure: its port and
      // hosts), and said to be not evaluated, even where another listener surely accepts it
      for (const cause of Object.keys(UNDECIDED) as UndecidedCause[]) {
        const reasons = [...new Set(verdicts.flatMap((v, j) => (v.kind === 'undecided' && v.cause === cause ? [`listener "${selected[j]!.name}" ${v.reason}`] : [])))];
        if (reasons.length === 0) continue;
        const { code, part, advice } = UNDECIDED[cause];
        diagnostics.push(diagnostic('warning', code,
          `whether Gateway ${key} admits ${kind} ${route.namespace}/${route.name} is NOT EVALUATED: ${reasons.join('; ')}; drawn as attached (the wider exposure), and no gate passes; ${advice}`, at));
        notEvaluatedPart(route, part, at);
      }
      const entry = attached.get(key)!;
      entry.routes.add(routeId);
      for (const l of admitted) for (const h of hostsOf(l, kind, hostnames)) entry.hosts.add(h);
      if (!parents.includes(key)) parents.push(key);
    });
    if (parents.length === 0) continue;
    const unknownFilters: { part: string; location: SourceLocation }[] = [];
    const backends = routeBackends(route, kind, routeId, grantList, diagnostics, unknownFilters);
    for (const f of unknownFilters) notEvaluatedPart(route, f.part, f.location);
    for (const key of parents) attached.get(key)!.backends.push(...backends);
  }

  const built = [...parsed.entries()].map(([key, g]): IngressObject => {
    const entry = attached.get(key)!;
    return {
      id: `${g.named.namespace}/${g.named.name}[Gateway]`, kind: 'Gateway', namespace: g.named.namespace, name: g.named.name,
      hosts: [...entry.hosts].sort(), backends: entry.backends,
      listeners: g.listeners.map(({ name, port, protocol, hostname }) => ({ name, port, protocol, ...(hostname !== undefined ? { hostname } : {}) })),
      routes: [...entry.routes].sort(),
      location: g.named.object.locate([]),
    };
  });
  return { gateways: built, notEvaluated };
}

function parseListeners(g: Named, diagnostics: Diagnostic[]): ParsedListener[] {
  const spec = asRecord(g.object.value.spec) ?? {};
  const raw = Array.isArray(spec.listeners) ? spec.listeners : [];
  const listeners: ParsedListener[] = [];
  raw.forEach((item, i) => {
    const l = asRecord(item) ?? {};
    if (typeof l.name !== 'string' || typeof l.port !== 'number' || typeof l.protocol !== 'string') return;
    const allowed = asRecord(l.allowedRoutes) ?? {};
    const namespaces = asRecord(allowed.namespaces) ?? {};
    const from = namespaces.from === 'All' || namespaces.from === 'Selector' || namespaces.from === 'None' ? namespaces.from : 'Same';
    let selector: Selector | undefined;
    if (from === 'Selector') {
      const path: FieldPath = ['spec', 'listeners', i, 'allowedRoutes', 'namespaces', 'selector'];
      const compiled = compileSelector(namespaces.selector, path, (p) => g.object.locate(p));
      for (const d of compiled.diagnostics) diagnostics.push(d);
      selector = compiled.selector;
    }
    // an explicit kind must be one the listener's protocol carries: "A RouteGroupKind MUST correspond to
    // kinds of Routes that are compatible with the application protocol" (else ResolvedRefs: False,
    // InvalidRouteKinds), and routes of an incompatible kind do not attach; the valid kinds still do
    const carried = KINDS_OF_PROTOCOL.get(l.protocol) as readonly string[] | undefined;
    const invalidKinds: string[] = [];
    const kinds = Array.isArray(allowed.kinds) && allowed.kinds.length > 0
      ? allowed.kinds.flatMap((k, j) => {
        const r = asRecord(k);
        if (!r || typeof r.kind !== 'string') return [];
        const group = typeof r.group === 'string' ? r.group : GATEWAY_GROUP;
        // an implementation's own protocol carries what it says: its kinds are taken as written
        if (carried !== undefined && group === GATEWAY_GROUP && !carried.includes(r.kind)) {
          invalidKinds.push(r.kind);
          diagnostics.push(diagnostic('warning', 'gateway/invalid-route-kind',
            `Gateway ${g.namespace}/${g.name} listener "${l.name}" (protocol ${l.protocol}) names ${r.kind} in allowedRoutes.kinds, which protocol ${l.protocol} does not carry (it carries ${carried.join(', ')}): the controller sets ResolvedRefs: False (InvalidRouteKinds), and no ${r.kind} attaches to this listener`,
            g.object.locate(['spec', 'listeners', i, 'allowedRoutes', 'kinds', j])));
          return [];
        }
        return [{ group, kind: r.kind }];
      })
      : undefined;
    listeners.push({
      name: l.name, port: l.port, protocol: l.protocol,
      ...(typeof l.hostname === 'string' && l.hostname !== '' ? { hostname: l.hostname } : {}),
      from, ...(selector ? { selector } : {}), ...(kinds ? { kinds } : {}), ...(invalidKinds.length > 0 ? { invalidKinds } : {}),
    });
  });
  return listeners;
}

/** Whether a listener accepts a route, refuses it (why), or cannot be judged from the input (why). */
function admissionOf(
  l: ParsedListener, gatewayNamespace: string, routeNamespace: string, kind: RouteKind,
  hostnames: readonly string[], namespaceLabels: ReadonlyMap<string, Labels>,
): Admission {
  let undecided: { reason: string; cause: UndecidedCause } | undefined;
  switch (l.from) {
    case 'Same':
      if (routeNamespace !== gatewayNamespace) return { kind: 'refused', reason: `admits routes of its own namespace ${gatewayNamespace} only (allowedRoutes.namespaces.from: Same)` };
      break;
    case 'None':
      return { kind: 'refused', reason: 'admits no routes (allowedRoutes.namespaces.from: None)' };
    case 'Selector': {
      if (!l.selector) return { kind: 'refused', reason: `admits routes of namespaces its selector matches, and ${routeNamespace} does not match` };
      // a namespace the input does not declare has unknown labels but for the one Kubernetes sets to its name
      const declared = namespaceLabels.get(routeNamespace);
      const byNameOnly = l.selector.requirements.every((r) => r.key === NAMESPACE_NAME_LABEL);
      if (declared === undefined && !byNameOnly) {
        undecided = { reason: `selects namespaces by labels (allowedRoutes.namespaces.selector), and namespace ${routeNamespace} has no Namespace object in the input`, cause: 'namespace-labels' };
      } else if (!matchesSelector(l.selector, declared ?? { [NAMESPACE_NAME_LABEL]: routeNamespace })) {
        return { kind: 'refused', reason: `admits routes of namespaces its selector matches, and ${routeNamespace} does not match` };
      }
      break;
    }
    case 'All':
      break;
  }
  if (l.invalidKinds?.includes(kind)) {
    return { kind: 'refused', reason: `names ${kind} in allowedRoutes.kinds, which its protocol ${l.protocol} does not carry (InvalidRouteKinds)` };
  }
  const carried = KINDS_OF_PROTOCOL.get(l.protocol);
  if (l.kinds === undefined && carried === undefined) {
    // the kinds an implementation's own protocol carries are its controller's: the input cannot say
    undecided ??= { reason: `has the protocol ${l.protocol}, its controller's own, and names no allowedRoutes.kinds: which route kinds it carries is not in the input`, cause: 'protocol' };
  } else {
    const kinds = l.kinds ?? carried!.map((k) => ({ group: GATEWAY_GROUP, kind: k }));
    if (!kinds.some((k) => k.group === GATEWAY_GROUP && k.kind === kind)) {
      return { kind: 'refused', reason: `(protocol ${l.protocol}) admits ${kinds.length === 0 ? 'no route kind' : kinds.map((k) => k.kind).join(', ')}, not ${kind}` };
    }
  }
  if (HOSTNAME_KINDS.has(kind) && l.hostname !== undefined && hostnames.length > 0 && !hostnames.some((h) => hostnamesIntersect(h, l.hostname!))) {
    return { kind: 'refused', reason: `has hostname ${l.hostname}, which none of the route's hostnames (${hostnames.join(', ')}) matches` };
  }
  return undecided === undefined ? { kind: 'accepted' } : { kind: 'undecided', ...undecided };
}

/**
 * The hosts a route is served on through a listener that accepts it: the intersection of the
 * listener's hostname and the route's hostnames (each route hostname that intersects, narrowed to
 * the more specific of the two: `*.example.com` and `shop.example.com` give `shop.example.com`); the
 * route's hostnames when the listener has none, the listener's when the route has none (or its kind
 * has no hostnames).
 */
function hostsOf(l: ParsedListener, kind: RouteKind, hostnames: readonly string[]): string[] {
  if (!HOSTNAME_KINDS.has(kind) || hostnames.length === 0) return l.hostname !== undefined ? [l.hostname] : [];
  if (l.hostname === undefined) return [...hostnames];
  const listener = l.hostname;
  return hostnames.flatMap((h) => {
    if (!hostnamesIntersect(h, listener)) return [];
    // a wildcard covering the other name narrows to that name
    return [isWildcardOver(h, listener) ? listener : h];
  });
}

/** Whether `wild` is a wildcard (`*.example.com`) that covers `other`, a name or a narrower wildcard. */
function isWildcardOver(wild: string, other: string): boolean {
  const w = wild.toLowerCase();
  const o = other.toLowerCase();
  return w !== o && w.startsWith('*.') && o.endsWith(w.slice(1)) && o.length > w.length - 1;
}

/**
 * Whether two hostnames can name the same host: equal, or one a wildcard (`*.example.com`, a suffix
 * match of one or more labels, never `example.com` itself) that covers the other.
 */
export function hostnamesIntersect(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase() || isWildcardOver(a, b) || isWildcardOver(b, a);
}

function parseGrant(n: Named): Grant {
  const spec = asRecord(n.object.value.spec) ?? {};
  const list = (raw: unknown) => (Array.isArray(raw) ? raw.map((r) => asRecord(r) ?? {}) : []);
  return {
    namespace: n.namespace,
    from: list(spec.from).flatMap((f) => (typeof f.kind === 'string' && typeof f.namespace === 'string'
      ? [{ group: typeof f.group === 'string' ? f.group : '', kind: f.kind, namespace: f.namespace }] : [])),
    to: list(spec.to).flatMap((t) => (typeof t.kind === 'string'
      ? [{ group: typeof t.group === 'string' ? t.group : '', kind: t.kind, ...(typeof t.name === 'string' && t.name !== '' ? { name: t.name } : {}) }] : [])),
  };
}

/** Whether a ReferenceGrant in the Service's namespace lets routes of this kind and namespace refer to it. */
function isPermitted(grants: readonly Grant[], routeKind: string, routeNamespace: string, serviceNamespace: string, service: string): boolean {
  return grants.some((g) => g.namespace === serviceNamespace
    && g.from.some((f) => f.group === GATEWAY_GROUP && f.kind === routeKind && f.namespace === routeNamespace)
    && g.to.some((t) => t.group === '' && t.kind === 'Service' && (t.name === undefined || t.name === service)));
}

/**
 * The Services a route sends traffic to: each rule's backendRefs of non-zero weight, and the
 * backends its RequestMirror (unless it mirrors 0 %) and ExternalAuth filters call (the gateway sends
 * those requests too). An ExtensionRef filter is not evaluated: pushed to `notEvaluated`.
 */
function routeBackends(
  route: Named, kind: RouteKind, routeId: string, grants: readonly Grant[], diagnostics: Diagnostic[],
  notEvaluated: { part: string; location: SourceLocation }[],
): IngressBackend[] {
  const spec = asRecord(route.object.value.spec) ?? {};
  const rules = Array.isArray(spec.rules) ? spec.rules : [];
  const out: IngressBackend[] = [];
  const add = (raw: unknown, path: FieldPath, weighted: boolean) => {
    const ref = asRecord(raw);
    if (!ref || typeof ref.name !== 'string') return;
    const at = route.object.locate(path);
    if (weighted && typeof ref.weight === 'number' && ref.weight === 0) return; // weight 0: sent no traffic
    const group = typeof ref.group === 'string' ? ref.group : '';
    const refKind = typeof ref.kind === 'string' ? ref.kind : 'Service';
    if (group !== '' || refKind !== 'Service') {
      diagnostics.push(diagnostic('warning', 'gateway/unsupported-reference',
        `${kind} ${route.namespace}/${route.name} sends traffic to ${refKind}${group ? ` (${group})` : ''} ${ref.name}; only Services are evaluated, so this backend is NOT EVALUATED and no gate passes`, at));
      // the traffic reaches something the diagram cannot draw: a missing edge, so fail closed
      notEvaluated.push({ part: `a backend that is not a Service (${refKind}${group ? ` (${group})` : ''} ${ref.name})`, location: at });
      return;
    }
    const namespace = typeof ref.namespace === 'string' && ref.namespace !== '' ? ref.namespace : route.namespace;
    if (namespace !== route.namespace && !isPermitted(grants, kind, route.namespace, namespace, ref.name)) {
      diagnostics.push(diagnostic('warning', 'gateway/backend-not-permitted',
        `${kind} ${route.namespace}/${route.name} sends traffic to Service ${namespace}/${ref.name}, but no ReferenceGrant in namespace ${namespace} permits ${kind}s of ${route.namespace} to refer to it: the controller refuses the backend, and it is not routed`, at));
      return;
    }
    if (typeof ref.port !== 'number') {
      diagnostics.push(diagnostic('warning', 'gateway/backend-without-port',
        `${kind} ${route.namespace}/${route.name} sends traffic to Service ${namespace}/${ref.name} without a port (required for a Service): the controller refuses the backend, and it is not routed`, at));
      return;
    }
    out.push({ service: ref.name, namespace, port: ref.port, route: routeId, protocol: kind === 'UDPRoute' ? 'UDP' : 'TCP', location: at });
  };
  const filterBackends = (filters: unknown, path: FieldPath) => {
    if (!Array.isArray(filters)) return;
    filters.forEach((raw, i) => {
      const f = asRecord(raw) ?? {};
      const mirror = asRecord(f.requestMirror);
      // `percent: 0` (or a zero fraction) mirrors no request
      const fraction = asRecord(mirror?.fraction);
      const mirrorsNone = mirror?.percent === 0 || fraction?.numerator === 0;
      if (!mirrorsNone) add(mirror?.backendRef, [...path, i, 'requestMirror', 'backendRef'], false);
      add(asRecord(f.externalAuth)?.backendRef, [...path, i, 'externalAuth', 'backendRef'], false);
      if (f.type === 'ExtensionRef' || f.extensionRef !== undefined) {
        // an implementation's own filter may send requests anywhere (or stop them): what it does is unknown
        const ext = asRecord(f.extensionRef) ?? {};
        const what = `${typeof ext.kind === 'string' ? ext.kind : 'an extension'}${typeof ext.group === 'string' && ext.group !== '' ? ` (${ext.group})` : ''}${typeof ext.name === 'string' ? ` ${ext.name}` : ''}`;
        const at = route.object.locate([...path, i]);
        diagnostics.push(diagnostic('warning', 'gateway/filter-not-evaluated',
          `${kind} ${route.namespace}/${route.name} has an ExtensionRef filter (${what}), an implementation's own, which netdiagram does NOT EVALUATE: the backends it may send requests to are not drawn, and no gate passes`, at));
        notEvaluated.push({ part: 'an ExtensionRef filter', location: at });
      }
    });
  };
  rules.forEach((rawRule, i) => {
    const rule = asRecord(rawRule) ?? {};
    filterBackends(rule.filters, ['spec', 'rules', i, 'filters']);
    if (!Array.isArray(rule.backendRefs)) return;
    rule.backendRefs.forEach((ref, j) => {
      add(ref, ['spec', 'rules', i, 'backendRefs', j], true);
      filterBackends(asRecord(ref)?.filters, ['spec', 'rules', i, 'backendRefs', j, 'filters']);
    });
  });
  return out;
}

function stringsOf(raw: unknown): string[] {
  return Array.isArray(raw) ? raw.filter((h): h is string => typeof h === 'string' && h !== '') : [];
}
