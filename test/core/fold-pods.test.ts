import { buildTrafficGraph, parseManifests, parseSelectorText, toGraphJson } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';
import { analyse, docs, flowsOf, namespace, policy } from '../support/analyse.js';

/** `kubectl get deploy,rs,pod -o yaml` of one Deployment: its ReplicaSet and pods carry pod-template-hash. */
function deploymentWithPods(ns: string, name: string, labels: Record<string, string>, pods: { name: string; extra?: Record<string, string> }[]): string[] {
  const hash = '7d4b9c8f6';
  const rs = `${name}-${hash}`;
  return [
    JSON.stringify({
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: ns },
      spec: { selector: { matchLabels: labels }, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] } } },
    }),
    JSON.stringify({
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: { name: rs, namespace: ns, labels: { ...labels, 'pod-template-hash': hash }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, controller: true }] },
      spec: { replicas: pods.length, template: { metadata: { labels: { ...labels, 'pod-template-hash': hash } }, spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] } } },
    }),
    ...pods.map((p) => JSON.stringify({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: p.name, namespace: ns, labels: { ...labels, 'pod-template-hash': hash, ...p.extra }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rs, controller: true }] },
      spec: { containers: [{ name: 'c', image: 'x', ports: [{ name: 'http', containerPort: 8080 }] }] },
    })),
  ];
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

const client = JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'client', namespace: 'shop', labels: { app: 'client' } }, spec: { containers: [{ name: 'c', image: 'x' }] } });

/** The incident-response pattern: quarantine a pod by label, and a policy that cuts it off. */
const quarantine = policy('shop', 'quarantine', { podSelector: { matchLabels: { quarantine: 'true' } }, policyTypes: ['Ingress', 'Egress'] });

describe('pods judged by their own labels', () => {
  it('draws a relabelled pod (kubectl label pod web-1 quarantine=true) as a workload of its own, which the quarantine policy isolates', () => {
    const input = docs(namespace('shop'), client, quarantine,
      ...deploymentWithPods('shop', 'web', { app: 'web' }, [{ name: 'web-7d4b9c8f6-a' }, { name: 'web-7d4b9c8f6-b', extra: { quarantine: 'true' } }]));
    const { parsed, json } = analyse(input);
    expect(json.endpoints.filter((e) => e.type === 'workload').map((e) => e.id)).toEqual([
      'shop/client[Pod]', 'shop/web-7d4b9c8f6-b[Pod]', 'shop/web[Deployment]',
    ]);
    const flows = flowsOf(input);
    expect(flows.get('shop/client[Pod] => shop/web[Deployment]')).toBe('All Connections');
    expect(flows.has('shop/client[Pod] => shop/web-7d4b9c8f6-b[Pod]')).toBe(false);
    expect(flows.has('shop/web-7d4b9c8f6-b[Pod] => shop/client[Pod]')).toBe(false);
    const warning = parsed.diagnostics.find((d) => d.code === 'k8s/owner-label-gap');
    expect(warning?.message).toBe('Pod shop/web-7d4b9c8f6-b differs from the pod template of its owner shop/web-7d4b9c8f6[ReplicaSet] in label quarantine ' +
      '(read by NetworkPolicy shop/quarantine); it is analysed as a workload of its own (shop/web-7d4b9c8f6-b[Pod]), by its own labels');
    expect(warning?.location?.file).toBe('input-0.yaml');
  });

  it('folds a relabelled pod into its Deployment when no selector reads the label, and ignores pod-template-hash', () => {
    const input = docs(namespace('shop'), client,
      ...deploymentWithPods('shop', 'web', { app: 'web' }, [{ name: 'web-7d4b9c8f6-a' }, { name: 'web-7d4b9c8f6-b', extra: { debug: 'on' } }]));
    const { parsed, json } = analyse(input);
    expect(json.endpoints.filter((e) => e.type === 'workload').map((e) => e.id)).toEqual(['shop/client[Pod]', 'shop/web[Deployment]']);
    expect(parsed.diagnostics).toEqual([]);
  });

  it('counts pod-template-hash like any label once a selector reads it: the ReplicaSet and its pods leave the Deployment', () => {
    const canary = policy('shop', 'pin-revision', { podSelector: { matchLabels: { 'pod-template-hash': '7d4b9c8f6' } }, policyTypes: ['Ingress'] });
    const { json } = analyse(docs(namespace('shop'), client, canary, ...deploymentWithPods('shop', 'web', { app: 'web' }, [{ name: 'web-7d4b9c8f6-a' }])));
    expect(json.endpoints.filter((e) => e.type === 'workload').map((e) => e.id)).toEqual(['shop/client[Pod]', 'shop/web-7d4b9c8f6[ReplicaSet]', 'shop/web[Deployment]']);
    expect(json.connections.some((c) => c.to === 'shop/web-7d4b9c8f6[ReplicaSet]')).toBe(false);
    expect(json.connections.some((c) => c.from === 'shop/client[Pod]' && c.to === 'shop/web[Deployment]')).toBe(true);
  });

  it('splits pods only where a selector judges them differently: an Exists requirement does not tell two values apart', () => {
    const exists = policy('shop', 'tiered', { podSelector: { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, policyTypes: ['Ingress'] });
    const { json } = analyse(docs(namespace('shop'), client, exists,
      ...deploymentWithPods('shop', 'web', { app: 'web', tier: 'a' }, [{ name: 'web-7d4b9c8f6-a', extra: { tier: 'b' } }])));
    expect(json.endpoints.filter((e) => e.type === 'workload').map((e) => e.id)).toEqual(['shop/client[Pod]', 'shop/web[Deployment]']);
  });

  it('draws a StatefulSet as its pods when a policy selects statefulset.kubernetes.io/pod-name, and applies the policy to that pod alone', () => {
    const db = JSON.stringify({
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' },
      spec: { replicas: 3, serviceName: 'db', template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'pg', image: 'postgres', ports: [{ containerPort: 5432 }] }] } } },
    });
    const primaryOnly = policy('shop', 'primary-from-client', {
      podSelector: { matchLabels: { 'statefulset.kubernetes.io/pod-name': 'db-0' } }, policyTypes: ['Ingress'],
      ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }] }],
    });
    const input = docs(namespace('shop'), client, db, primaryOnly);
    const { json } = analyse(input);
    expect(json.endpoints.filter((e) => e.type === 'workload').map((e) => e.id)).toEqual(['shop/client[Pod]', 'shop/db-0[Pod]', 'shop/db-1[Pod]', 'shop/db-2[Pod]']);
    const flows = flowsOf(input);
    expect(flows.has('shop/client[Pod] => shop/db-0[Pod]')).toBe(false);
    expect(flows.get('shop/client[Pod] => shop/db-1[Pod]')).toBe('All Connections');
  });

  it('keeps a StatefulSet whole while nothing reads its per-pod labels', () => {
    const pod = (i: number) => JSON.stringify({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: `db-${i}`, namespace: 'shop', labels: { app: 'db', 'statefulset.kubernetes.io/pod-name': `db-${i}`, 'apps.kubernetes.io/pod-index': String(i) }, ownerReferences: [{ kind: 'StatefulSet', name: 'db', controller: true }] },
      spec: { containers: [{ name: 'pg', image: 'postgres' }] },
    });
    const { parsed, json } = analyse(docs(namespace('shop'), client, pod(0), pod(1)));
    const db = json.endpoints.filter((e) => e.type === 'workload').map((e) => e.id);
    expect(db).toEqual(['shop/client[Pod]', 'shop/db[StatefulSet]']);
    const workload = parsed.cluster.workloads.find((w) => w.id === 'shop/db[StatefulSet]');
    expect(workload?.labels).toEqual({ app: 'db' }); // the per-pod labels describe one pod, not the set
  });

  it('folds pods of a missing owner that differ only in labels nothing reads, and splits them where a --cde selector reads the difference', () => {
    const pod = (name: string, labels: Record<string, string>) => JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'pay', labels, ownerReferences: [{ kind: 'ReplicaSet', name: 'api-5f6', controller: true }] },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    const input = docs(namespace('pay'), pod('api-5f6-a', { app: 'api', build: '1' }), pod('api-5f6-b', { app: 'api', build: '2', pci: 'true' }));
    const folded = analyse(input);
    expect(folded.json.endpoints.map((e) => e.id)).toContain('pay/api-5f6[ReplicaSet]');
    expect(folded.parsed.cluster.workloads.find((w) => w.id === 'pay/api-5f6[ReplicaSet]')?.labels).toEqual({ app: 'api' });
    const cde = parseSelectorText('pci=true');
    if (!cde.ok) throw new Error(cde.reason);
    const split = analyse(input, { selectors: [{ selector: cde.selector, by: '--cde pci=true' }] });
    expect(split.json.endpoints.filter((e) => e.type === 'workload').map((e) => e.id)).toEqual(['pay/api-5f6-a[Pod]', 'pay/api-5f6-b[Pod]']);
    expect(split.parsed.diagnostics.map((d) => d.message)).toEqual([
      'the pods owned by pay/api-5f6[ReplicaSet], which is not in the input, differ in label pci (read by --cde pci=true); each is analysed as a workload of its own (pay/api-5f6-a[Pod], pay/api-5f6-b[Pod])',
    ]);
  });

  it('lets an old ReplicaSet scaled to 0 stay folded, since it runs no pod', () => {
    const versioned = policy('shop', 'v2-only', { podSelector: { matchLabels: { version: 'v1' } }, policyTypes: ['Ingress'] });
    const old = JSON.stringify({
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: { name: 'web-old', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', controller: true }] },
      spec: { replicas: 0, template: { metadata: { labels: { app: 'web', version: 'v1' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    const { json } = analyse(docs(namespace('shop'), versioned, old, ...deploymentWithPods('shop', 'web', { app: 'web', version: 'v2' }, [])));
    expect(json.endpoints.filter((e) => e.type === 'workload').map((e) => e.id)).toEqual(['shop/web[Deployment]']);
  });

  it('survives an ownerReference cycle (a ReplicaSet and a pod that own each other) without losing either', () => {
    const rs = JSON.stringify({
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'r', namespace: 'shop', ownerReferences: [{ kind: 'Pod', name: 'p', controller: true }] },
      spec: { template: { metadata: { labels: { app: 'r' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    const pod = JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'shop', labels: { app: 'p' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'r', controller: true }] },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    const { parsed } = analyse(docs(namespace('shop'), rs, pod, policy('shop', 'reads-app', { podSelector: { matchLabels: { app: 'p' } } })));
    expect(parsed.cluster.workloads.map((w) => w.id)).toEqual(['shop/p[Pod]', 'shop/r[ReplicaSet]']);
  });

  it('keeps a StatefulSet pod the input holds when the set is drawn pod by pod, whatever its labels', () => {
    const db = JSON.stringify({
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name: 'db', namespace: 'shop' },
      spec: { replicas: 3, template: { metadata: { labels: { app: 'db' } }, spec: { containers: [{ name: 'pg', image: 'postgres' }] } } },
    });
    const pod = JSON.stringify({
      apiVersion: 'v1', kind: 'Pod',
      metadata: { name: 'db-1', namespace: 'shop', labels: { app: 'db', 'statefulset.kubernetes.io/pod-name': 'db-1' }, ownerReferences: [{ kind: 'StatefulSet', name: 'db', controller: true }] },
      spec: { containers: [{ name: 'pg', image: 'postgres' }] },
    });
    const primary = policy('shop', 'primary', { podSelector: { matchLabels: { 'statefulset.kubernetes.io/pod-name': 'db-0' } }, policyTypes: ['Ingress'] });
    const { json } = analyse(docs(namespace('shop'), db, pod, primary));
    expect(json.endpoints.filter((e) => e.type === 'workload').map((e) => e.id)).toEqual(['shop/db-0[Pod]', 'shop/db-1[Pod]', 'shop/db-2[Pod]']);
  });

  it('draws StatefulSets pod by pod within one budget for the whole input, and says which it does not', () => {
    const set = (name: string, replicas: number) => JSON.stringify({
      apiVersion: 'apps/v1', kind: 'StatefulSet', metadata: { name, namespace: 'shop' },
      spec: { replicas, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    const reads = policy('shop', 'reads', { podSelector: { matchLabels: { 'apps.kubernetes.io/pod-index': '0' } }, policyTypes: ['Ingress'] });
    const parsed = parseManifests([{ name: 'sets.yaml', text: docs(namespace('shop'), set('a', 200), set('b', 200), reads) }]);
    expect(parsed.cluster.workloads.filter((w) => w.name.startsWith('a-'))).toHaveLength(200);
    expect(parsed.cluster.workloads.filter((w) => w.id === 'shop/b[StatefulSet]')).toHaveLength(1);
    expect(parsed.diagnostics.map((d) => d.message)).toEqual([
      'StatefulSet shop/b has 200 replicas, more than the 56 pods netdiagram still draws one by one (256 for the whole input); ' +
      'its pods are not told apart by label apps.kubernetes.io/pod-index (read by NetworkPolicy shop/reads)',
    ]);
  });

  it('judges a pod of an old ReplicaSet scaled to 0 by its ReplicaSet, not by the Deployment it has left', () => {
    const newOnly = policy('shop', 'deny-new', { podSelector: { matchLabels: { tier: 'new' } }, policyTypes: ['Ingress'] });
    const old = JSON.stringify({
      apiVersion: 'apps/v1', kind: 'ReplicaSet',
      metadata: { name: 'web-old', namespace: 'shop', ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', controller: true }] },
      spec: { replicas: 0, template: { metadata: { labels: { app: 'web', tier: 'old' } }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    const terminating = JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-old-abc', namespace: 'shop', labels: { app: 'web', tier: 'old' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-old', controller: true }] },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    const input = docs(namespace('shop'), client, newOnly, old, terminating, ...deploymentWithPods('shop', 'web', { app: 'web', tier: 'new' }, []));
    const flows = flowsOf(input);
    expect(flows.get('shop/client[Pod] => shop/web-old[ReplicaSet]')).toBe('All Connections');
    expect(flows.has('shop/client[Pod] => shop/web[Deployment]')).toBe(false);
  });

  it('gives a Job\'s pods the job-name labels the Job controller adds, so a policy selecting them applies', () => {
    const job = JSON.stringify({
      apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'migrate', namespace: 'shop' },
      spec: { template: { metadata: { labels: { app: 'migrate' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'x' }] } } },
    });
    const noEgress = policy('shop', 'migrate-no-egress', { podSelector: { matchLabels: { 'batch.kubernetes.io/job-name': 'migrate' } }, policyTypes: ['Egress'] });
    const { parsed, json } = analyse(docs(namespace('shop'), client, job, noEgress));
    expect(parsed.cluster.workloads.find((w) => w.id === 'shop/migrate[Job]')?.labels).toEqual({
      app: 'migrate', 'batch.kubernetes.io/job-name': 'migrate', 'job-name': 'migrate',
    });
    expect(json.connections.some((c) => c.from === 'shop/migrate[Job]')).toBe(false);
  });

  it('folds alike whatever the order of the input: an owner cycle cut at the chain limit, a missing owner\'s members, owner-label gaps', () => {
    const rs = (name: string, owner: string | undefined, labels: Record<string, string>) => JSON.stringify({
      apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name, namespace: 'shop', ...(owner ? { ownerReferences: [{ kind: 'ReplicaSet', name: owner, controller: true }] } : {}) },
      spec: { replicas: 1, template: { metadata: { labels }, spec: { containers: [{ name: 'c', image: 'x' }] } } },
    });
    const ownedPod = (name: string, owner: string, labels: Record<string, string>) => JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'shop', labels, ownerReferences: [{ kind: 'ReplicaSet', name: owner, controller: true }] },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    const objects = [
      namespace('shop'),
      // two ReplicaSets that own each other, alike: the chain is cut at the limit, at one of the two
      rs('loop-a', 'loop-b', { app: 'loop' }), rs('loop-b', 'loop-a', { app: 'loop' }),
      // pods of a missing owner that a selector judges alike (tier In (x, y)) but whose tier differs:
      // the owner is drawn with one member's labels
      ownedPod('api-1', 'api-5f6', { app: 'api', tier: 'x' }), ownedPod('api-2', 'api-5f6', { app: 'api', tier: 'y' }),
      // pods of a missing owner that a selector tells apart, and a pod unlike its owner
      ownedPod('db-1', 'db-77c', { app: 'db', quarantine: 'true' }), ownedPod('db-2', 'db-77c', { app: 'db' }), ownedPod('db-3', 'db-77c', { app: 'db' }),
      rs('web', undefined, { app: 'web' }), ownedPod('web-1', 'web', { app: 'web', quarantine: 'true' }), ownedPod('web-2', 'web', { app: 'web' }),
      policy('shop', 'tiers', { podSelector: { matchExpressions: [{ key: 'tier', operator: 'In', values: ['x', 'y'] }] }, policyTypes: ['Ingress'] }),
      quarantine,
    ];
    // one file per object, named by its place in the list above, so that no location changes with the order; the orders are
    // the list reversed and stepped through by steps prime to its length. With the cycle and without it (a cut cycle
    // has the fold visit the objects in id order, which would hide what the order of the rest changes)
    const result = (order: readonly { name: string; text: string }[]) => {
      const parsed = parseManifests(order);
      return { workloads: parsed.cluster.workloads, diagnostics: parsed.diagnostics, graph: toGraphJson(buildTrafficGraph(parsed.cluster)) };
    };
    for (const input of [objects, objects.filter((o) => !o.includes('"loop-'))]) {
      const sources = input.map((text, i) => ({ name: `object-${String(i).padStart(2, '0')}.yaml`, text }));
      const reference = result(sources);
      expect(reference.workloads.filter((w) => w.name.startsWith('loop')).map((w) => w.id)).toEqual(input === objects ? ['shop/loop-a[ReplicaSet]'] : []);
      expect(reference.workloads.find((w) => w.id === 'shop/api-5f6[ReplicaSet]')?.labels).toEqual({ app: 'api', tier: 'x' });
      expect(reference.workloads.map((w) => w.id).filter((id) => !id.includes('loop'))).toEqual([
        'shop/api-5f6[ReplicaSet]', 'shop/db-1[Pod]', 'shop/db-2[Pod]', 'shop/db-3[Pod]', 'shop/web-1[Pod]', 'shop/web[ReplicaSet]',
      ]);
      expect(reference.diagnostics.map((d) => d.message)).toEqual([
        'the pods owned by shop/db-77c[ReplicaSet], which is not in the input, differ in label quarantine (read by NetworkPolicy shop/quarantine); ' +
        'each is analysed as a workload of its own (shop/db-1[Pod], shop/db-2[Pod], shop/db-3[Pod])',
        'Pod shop/web-1 differs from the pod template of its owner shop/web[ReplicaSet] in label quarantine (read by NetworkPolicy shop/quarantine); ' +
        'it is analysed as a workload of its own (shop/web-1[Pod]), by its own labels',
      ]);
      const steps = [3, 5, 7, 9, 11].filter((step) => gcd(step, sources.length) === 1).slice(0, 3);
      const orders = [[...sources].reverse(), ...steps.map((step) => sources.map((_, i) => sources[(i * step + 1) % sources.length]!))];
      for (const order of orders) {
        expect(new Set(order).size).toBe(sources.length);
        expect(result(order)).toEqual(reference);
      }
    }
  });

  it('reads an owner chain of thousands of pods without running out of stack', () => {
    const chain = Array.from({ length: 3000 }, (_, i) => JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: `p${i}`, namespace: 'shop', labels: { app: 'x' }, ownerReferences: [{ kind: 'Pod', name: `p${i + 1}`, controller: true }] },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    }));
    const { parsed } = analyse(docs(namespace('shop'), ...chain));
    expect(parsed.cluster.workloads.length).toBeGreaterThan(0);
  });

  it('folds the pods of `kubectl get deploy,pod` into their Deployment, though their ReplicaSet is not in the input', () => {
    const [deployment, , ...pods] = deploymentWithPods('shop', 'web', { app: 'web' }, [{ name: 'web-7d4b9c8f6-a' }, { name: 'web-7d4b9c8f6-b' }]);
    const { parsed, json } = analyse(docs(namespace('shop'), client, deployment!, ...pods));
    expect(json.endpoints.filter((e) => e.type === 'workload').map((e) => e.id)).toEqual(['shop/client[Pod]', 'shop/web[Deployment]']);
    expect(parsed.diagnostics).toEqual([]);
  });

  it('never lets a controller reference to a Service (or another kind drawn apart) make a workload whose id the Service has', () => {
    const svc = JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' }, spec: { selector: { app: 'web' }, ports: [{ port: 80 }] } });
    const owned = (kind: string) => JSON.stringify({
      apiVersion: 'v1', kind: 'Pod', metadata: { name: `by-${kind.toLowerCase()}`, namespace: 'shop', labels: { app: 'web' }, ownerReferences: [{ apiVersion: 'v1', kind, name: 'web', controller: true }] },
      spec: { containers: [{ name: 'c', image: 'x' }] },
    });
    const { json } = analyse(docs(namespace('shop'), svc, owned('Service'), owned('Ingress'), owned('ConfigMap')));
    expect(json.endpoints.map((e) => e.id)).toEqual(['external', 'shop/by-configmap[Pod]', 'shop/by-ingress[Pod]', 'shop/by-service[Pod]', 'shop/web[Service]']);
  });
});
