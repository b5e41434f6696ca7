import { diagnostic, type Diagnostic } from '../diagnostics.js';
import { asRecord } from '../policy/compile.js';
import type { Named } from './fold-pods.js';
import { isProtocol } from './ports.js';
import { numberOf, stringMap } from './workloads.js';
import type { ConfigObject, IngressBackend, IngressObject, Service, ServicePort, ServiceType } from './types.js';

// What the model makes of an object that needs no other object: a Service, an Ingress or an
// OpenShift Route, a ConfigMap, Secret or volume. The model builder (cluster.ts) makes each as the
// object is added, so that its tree need not be kept.

export function buildService(n: Named, diagnostics: Diagnostic[]): Service {
  const spec = asRecord(n.object.value.spec) ?? {};
  const rawType = spec.type;
  let type: ServiceType = rawType === 'NodePort' || rawType === 'LoadBalancer' || rawType === 'ExternalName' ? rawType : 'ClusterIP';
  if (type === 'ClusterIP' && spec.clusterIP === 'None') type = 'Headless';
  const selectorMap = stringMap(spec.selector);
  const hasSelector = Object.keys(selectorMap).length > 0;
  if (!hasSelector && type !== 'ExternalName') {
    diagnostics.push(diagnostic('warning', 'service/no-selector',
      `Service ${n.namespace}/${n.name} has no selector; its backends are unknown`, n.object.locate(['spec'])));
  }
  const ports: ServicePort[] = [];
  if (Array.isArray(spec.ports)) {
    // (an index, not an entries iterator, and the port's fields assigned in their order rather than
    // spread from objects made for them: 9,000 Services on the XL benchmark size)
    for (let i = 0; i < spec.ports.length; i++) {
      const p = asRecord(spec.ports[i]);
      if (!p) continue;
      const port = numberOf(p.port);
      if (!Number.isInteger(port) || port < 1 || port > 65535) continue;
      const protocol = isProtocol(p.protocol) ? p.protocol : 'TCP';
      const target = p.targetPort;
      const targetPort = typeof target === 'number' ? target : typeof target === 'string' && target !== '' ? (/^\d+$/.test(target) ? Number(target) : target) : port;
      const servicePort: { -readonly [K in keyof ServicePort]: ServicePort[K] } = typeof p.name === 'string' && p.name !== ''
        ? { name: p.name, port, protocol, targetPort } : { port, protocol, targetPort };
      if (typeof p.nodePort === 'number') servicePort.nodePort = p.nodePort;
      servicePort.location = n.object.locate(['spec', 'ports', i, p.targetPort !== undefined ? 'targetPort' : 'port']);
      ports.push(servicePort);
    }
  }
  const ranges = Array.isArray(spec.loadBalancerSourceRanges) ? spec.loadBalancerSourceRanges.filter((r): r is string => typeof r === 'string') : [];
  return {
    id: `${n.namespace}/${n.name}[Service]`, namespace: n.namespace, name: n.name, type,
    ...(hasSelector ? { selector: selectorMap } : {}),
    ports, loadBalancerSourceRanges: ranges,
    labels: stringMap(asRecord(n.object.value.metadata)?.labels),
    location: n.object.locate([]),
  };
}

export function buildIngress(n: Named): IngressObject {
  const spec = asRecord(n.object.value.spec) ?? {};
  const backends: IngressBackend[] = [];
  const hosts = new Set<string>();
  if (n.object.kind === 'Route') {
    // OpenShift Route: spec.to and spec.alternateBackends name Services; spec.port.targetPort picks a port
    const target = asRecord(spec.port)?.targetPort;
    const port = typeof target === 'number' || (typeof target === 'string' && target !== '') ? target : undefined;
    const add = (raw: unknown, path: (string | number)[]) => {
      const to = asRecord(raw);
      if (to && (to.kind === undefined || to.kind === 'Service') && typeof to.name === 'string') {
        backends.push({ service: to.name, ...(port !== undefined ? { port } : {}), location: n.object.locate(path) });
      }
    };
    add(spec.to, ['spec', 'to']);
    if (Array.isArray(spec.alternateBackends)) spec.alternateBackends.forEach((b, i) => add(b, ['spec', 'alternateBackends', i]));
    if (typeof spec.host === 'string') hosts.add(spec.host);
  } else {
    const add = (raw: unknown, path: (string | number)[]) => {
      const service = asRecord(asRecord(raw)?.service);
      if (!service || typeof service.name !== 'string') return;
      const portSpec = asRecord(service.port) ?? {};
      const port = typeof portSpec.number === 'number' ? portSpec.number : typeof portSpec.name === 'string' ? portSpec.name : undefined;
      backends.push({ service: service.name, ...(port !== undefined ? { port } : {}), location: n.object.locate(path) });
    };
    add(spec.defaultBackend, ['spec', 'defaultBackend']);
    if (Array.isArray(spec.rules)) {
      spec.rules.forEach((rawRule, i) => {
        const rule = asRecord(rawRule) ?? {};
        if (typeof rule.host === 'string') hosts.add(rule.host);
        const paths = asRecord(rule.http)?.paths;
        if (Array.isArray(paths)) paths.forEach((p, j) => add(asRecord(p)?.backend, ['spec', 'rules', i, 'http', 'paths', j, 'backend']));
      });
    }
  }
  return {
    id: `${n.namespace}/${n.name}[${n.object.kind}]`,
    kind: n.object.kind === 'Route' ? 'Route' : 'Ingress',
    namespace: n.namespace, name: n.name,
    hosts: [...hosts].sort(), backends, location: n.object.locate([]),
  };
}

/** A ConfigMap, Secret or volume, by name: only names are kept, and a Secret's data never enters the model. */
export function buildConfig(n: Named, defaultNamespace: string): ConfigObject {
  const spec = asRecord(n.object.value.spec) ?? {};
  const volumeName = n.object.kind === 'PersistentVolumeClaim' ? spec.volumeName : undefined;
  const claimRef = n.object.kind === 'PersistentVolume' ? asRecord(spec.claimRef) : undefined;
  const claim = claimRef && typeof claimRef.name === 'string' ? `${typeof claimRef.namespace === 'string' ? claimRef.namespace : defaultNamespace}/${claimRef.name}` : undefined;
  const provider = n.object.kind === 'PersistentVolume' ? volumeProvider(spec)
    : n.object.kind === 'PersistentVolumeClaim' && typeof spec.storageClassName === 'string' ? spec.storageClassName : undefined;
  return {
    id: n.namespace ? `${n.namespace}/${n.name}[${n.object.kind}]` : `${n.name}[${n.object.kind}]`,
    kind: n.object.kind as ConfigObject['kind'],
    ...(n.namespace ? { namespace: n.namespace } : {}),
    name: n.name,
    ...(typeof volumeName === 'string' ? { volumeName } : {}),
    ...(claim ? { claim } : {}),
    ...(provider ? { provider } : {}),
    location: n.object.locate([]),
  };
}

/** What backs a PersistentVolume: its volume source's kind, with the CSI driver where there is one. */
function volumeProvider(spec: Record<string, unknown>): string | undefined {
  const csiDriver = asRecord(spec.csi)?.driver;
  if (typeof csiDriver === 'string') return `csi: ${csiDriver}`;
  const ignored = new Set(['accessModes', 'capacity', 'claimRef', 'mountOptions', 'nodeAffinity', 'persistentVolumeReclaimPolicy', 'storageClassName', 'volumeMode', 'csi']);
  return Object.keys(spec).filter((k) => !ignored.has(k) && asRecord(spec[k]) !== undefined).sort()[0];
}
