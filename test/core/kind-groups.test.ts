import { parseManifests } from '@netdiagram/core';
import { describe, expect, it } from 'vitest';

const parse = (text: string) => parseManifests([{ name: 'in.yaml', text }]);
const errors = (text: string) => parse(text).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`);

// the shapes Knative's and Volcano's docs show: kinds named as Kubernetes kinds, with fields Kubernetes does not have
const KNATIVE_SERVICE = `apiVersion: serving.knative.dev/v1
kind: Service
metadata: {name: hello, namespace: shop}
spec:
  template:
    spec:
      containers:
      - image: ghcr.io/knative/helloworld-go:latest
        ports: [{containerPort: 8080}]
  traffic:
  - latestRevision: true
    percent: 100
`;
const KNATIVE_ROUTE = `apiVersion: serving.knative.dev/v1
kind: Route
metadata: {name: hello, namespace: shop}
spec:
  traffic:
  - revisionName: hello-00001
    percent: 100
`;
const VOLCANO_JOB = `apiVersion: batch.volcano.sh/v1alpha1
kind: Job
metadata: {name: train, namespace: shop}
spec:
  minAvailable: 1
  schedulerName: volcano
  tasks:
  - replicas: 1
    name: worker
    template:
      spec:
        containers: [{name: w, image: busybox}]
`;
const SERVICE = `apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{port: 80}]
`;
const join = (...docs: string[]) => docs.join('---\n');

describe('a kind is read only from its own API group', () => {
  it('skips a Knative Service and Route and a Volcano Job without an error, and keeps the Kubernetes Service beside them', () => {
    const { cluster, diagnostics, skippedKinds } = parse(join(KNATIVE_SERVICE, KNATIVE_ROUTE, VOLCANO_JOB, SERVICE));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(cluster.services.map((s) => s.id)).toEqual(['shop/web[Service]']);
    expect(cluster.ingresses).toEqual([]);
    expect(cluster.workloads.map((w) => w.id)).toEqual([]);
    expect(skippedKinds).toEqual([
      { kind: 'Job (batch.volcano.sh/v1alpha1)', count: 1 },
      { kind: 'Route (serving.knative.dev/v1)', count: 1 },
      { kind: 'Service (serving.knative.dev/v1)', count: 1 },
    ]);
  });

  it('rejects a modelled kind written in another group netdiagram reads, naming where the kind lives', () => {
    expect(errors(join(SERVICE.replace('apiVersion: v1', 'apiVersion: apps/v1')))).toEqual([
      'k8s/unknown-kind: apps/v1 has no kind "Service" (Service is v1); object skipped',
    ]);
    expect(errors('apiVersion: v1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec: {}\n')).toEqual([
      'k8s/unknown-kind: v1 has no kind "Deployment" (Deployment is apps/v1); object skipped',
    ]);
  });

  it('still reads a Deployment of extensions/v1beta1 and a Route of the legacy v1 group, as it did before', () => {
    const deployment = 'apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata: {name: web, namespace: shop}\nspec:\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: c, image: x}]}\n';
    const route = 'apiVersion: v1\nkind: Route\nmetadata: {name: r, namespace: shop}\nspec:\n  to: {kind: Service, name: web}\n';
    const { cluster, diagnostics } = parse(join(deployment, route, SERVICE));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(cluster.workloads.map((w) => w.id)).toEqual(['shop/web[Deployment]']);
    expect(cluster.ingresses.map((i) => i.kind)).toEqual(['Route']);
  });

  it('suggests a kind of the same group for a typo, and names the home of a kind of another group', () => {
    expect(errors('apiVersion: apps/v1\nkind: Deploymet\nmetadata: {name: web}\n')).toEqual([
      'k8s/unknown-kind: apps/v1 has no kind "Deploymet" (did you mean Deployment?); object skipped',
    ]);
    expect(errors('apiVersion: v1\nkind: Networkpolicy\nmetadata: {name: p}\n')).toEqual([
      'k8s/unknown-kind: v1 has no kind "Networkpolicy" (did you mean networking.k8s.io/v1 NetworkPolicy?); object skipped',
    ]);
  });

  it('keeps the removed-version errors and the not-evaluated warnings of policy kinds', () => {
    expect(errors('apiVersion: extensions/v1beta1\nkind: NetworkPolicy\nmetadata: {name: old, namespace: shop}\nspec: {podSelector: {}}\n')).toEqual([
      'k8s/unsupported-api-version: NetworkPolicy extensions/v1beta1 was removed in Kubernetes 1.16; rewrite it as networking.k8s.io/v1; object skipped',
    ]);
    // under the generic profile a Calico policy is not evaluated, and says so
    const calico = parseManifests([{ name: 'in.yaml', text: 'apiVersion: projectcalico.org/v3\nkind: NetworkPolicy\nmetadata: {name: c, namespace: shop}\nspec: {selector: all()}\n' }], { cni: 'generic' });
    expect(calico.diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['warning policy/not-evaluated']);
  });
});
