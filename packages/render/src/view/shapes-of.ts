import type { GatewayListener, ServiceNode, WorkloadNode } from '@netdiagram/core';
import type { ConfigBadge, ControllerCode, PortBadge, ServiceCode } from './types.js';
import { compareStrings } from './graph-data.js';

const CONTROLLERS: Readonly<Record<string, ControllerCode>> = {
  Deployment: 'D', StatefulSet: 'SS', DaemonSet: 'DS', Job: 'J', CronJob: 'CJ', ReplicaSet: 'RS', ReplicationController: 'RC', Pod: 'P',
};

/** KDL's controller badge for a workload kind (`?` for an owner kind KDL has no code for). */
export function controllerCode(kind: string): ControllerCode {
  return CONTROLLERS[kind] ?? '?';
}

const SERVICE_CODES: Readonly<Record<string, ServiceCode>> = {
  ClusterIP: 'CIP', Headless: 'HS', NodePort: 'NP', LoadBalancer: 'LB', ExternalName: 'EN',
};

/** KDL's Service type badge. */
export function serviceCode(type: string): ServiceCode {
  return SERVICE_CODES[type] ?? 'CIP';
}

/** Port squares, one per (protocol, port), sorted: `8080`, `53/UDP`. */
export function portBadges(ports: readonly { name?: string; port: number; protocol: 'TCP' | 'UDP' | 'SCTP' }[]): PortBadge[] {
  const byKey = new Map<string, PortBadge>();
  const order = { TCP: 0, UDP: 1, SCTP: 2 } as const;
  for (const p of [...ports].sort((a, b) => order[a.protocol] - order[b.protocol] || a.port - b.port || compareStrings(a.name ?? '', b.name ?? ''))) {
    const key = `${p.protocol}/${p.port}`;
    if (byKey.has(key)) continue;
    byKey.set(key, {
      key, protocol: p.protocol, port: p.port,
      label: p.protocol === 'TCP' ? `${p.port}` : `${p.port}/${p.protocol}`,
      title: `${p.name ? `${p.name} ` : ''}${p.port}/${p.protocol}`,
    });
  }
  return [...byKey.values()];
}

/** The ConfigMaps, Secrets and PVCs a workload uses, sorted and without repeats. */
export function configBadges(workload: WorkloadNode): ConfigBadge[] {
  const seen = new Map<string, ConfigBadge>();
  const order = { PersistentVolumeClaim: 0, Secret: 1, ConfigMap: 2 } as const;
  for (const u of workload.uses) seen.set(`${u.kind}/${u.name}`, { kind: u.kind, name: u.name });
  return [...seen.values()].sort((a, b) => order[a.kind] - order[b.kind] || compareStrings(a.name, b.name));
}

/** `LB web 80→8080, 443→8443`: a Service folded into its backend workload. */
export function serviceAnnotation(service: ServiceNode): string {
  const ports = service.ports.map((p) => (String(p.targetPort) === String(p.port) ? `${p.port}` : `${p.port}→${p.targetPort}`));
  return `${serviceCode(service.serviceType)} ${service.name}${ports.length > 0 ? ` ${ports.join(', ')}` : ''}`;
}

/** A Gateway's listeners as the diagram labels them: `HTTPS 443`, each protocol and port once, in the order written. */
export function listenerLabels(listeners: readonly GatewayListener[]): string[] {
  return [...new Set(listeners.map((l) => `${l.protocol} ${l.port}`))];
}
