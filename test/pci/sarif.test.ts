import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { auditCluster, computeScope, FINDING_RULES, findingsToSarif } from '@netdiagram/core';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { analyse, docs, policy } from '../support/analyse.js';
import { deployment, service } from './support.js';

// the SARIF 2.1.0 schema (draft-04), vendored: see sarif-schema-2.1.0.NOTICE.md
const schema = JSON.parse(readFileSync(join(import.meta.dirname, 'sarif-schema-2.1.0.json'), 'utf8'));
// both are CommonJS: under NodeNext the default import is module.exports, which carries .default
const Ajv = ajvDraft04.default;
const addFormats = ajvFormats.default;
const validator = () => {
  // the schema's `language` pattern is not valid with the `u` flag, so compile patterns without it
  const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
};

describe('findingsToSarif', () => {
  it('writes SARIF that validates against the SARIF 2.1.0 schema, with one rule per finding code', () => {
    const yaml = docs(deployment('x', 'pay', { app: 'pay' }, { hostNetwork: true }), deployment('x', 'web', { app: 'web' }),
      service('x', 'pay', { app: 'pay' }, [{ port: 443 }], 'LoadBalancer'),
      policy('x', 'ghost', { podSelector: { matchLabels: { app: 'ghost' } } }));
    const { parsed, graph } = analyse(yaml);
    const findings = auditCluster(parsed.cluster, graph, computeScope(parsed.cluster, graph, { cde: ['app=pay'] }));
    expect(findings.length).toBeGreaterThan(3);
    const log = JSON.parse(JSON.stringify(findingsToSarif(findings, { toolVersion: '0.1.0' })));
    const validate = validator();
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);
    const run = log.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(Object.keys(FINDING_RULES));
    expect(run.results).toHaveLength(findings.length);
    const first = run.results.find((r: { ruleId: string }) => r.ruleId === 'workload/host-network');
    expect(first.level).toBe('error');
    expect(first.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'input-0.yaml' }, region: { startLine: 1, startColumn: 1 } });
    expect(run.tool.driver.rules[first.ruleIndex].id).toBe('workload/host-network');
  });

  it('validates with no findings, and leaves out the physical location of standard input', () => {
    const validate = validator();
    expect(validate(JSON.parse(JSON.stringify(findingsToSarif([], { toolVersion: '0.1.0' }))))).toBe(true);
    const log = findingsToSarif([{ code: 'scope/no-cde', severity: 'warning', message: 'm', object: 'cluster', requirements: ['12.5.2'], location: { file: '<stdin>', line: 1, column: 1, document: 0 } }], { toolVersion: '0.1.0' });
    expect(validate(JSON.parse(JSON.stringify(log)))).toBe(true);
    expect(validate({ ...JSON.parse(JSON.stringify(log)), version: '2.0.0' })).toBe(false); // the validator does reject
    expect((log.runs[0] as { results: { locations: object[] }[] }).results[0]!.locations[0]).not.toHaveProperty('physicalLocation');
  });

  it.each([
    ['examples/pci-demo/policies.yaml', 'examples/pci-demo/policies.yaml'],
    ['./k8s/a b.yaml', 'k8s/a%20b.yaml'],
    ['/srv/k8s/app.yaml', 'file:///srv/k8s/app.yaml'],
    ['C:\\repo\\k8s\\app.yaml', 'file:///C:/repo/k8s/app.yaml'],
    ['origin/main:k8s/app.yaml', 'origin/main%3Ak8s/app.yaml'],
  ])('turns the file name %j into the URI %j', (file, uri) => {
    const log = findingsToSarif([{ code: 'scope/no-cde', severity: 'warning', message: 'm', object: 'cluster', requirements: ['12.5.2'], location: { file, line: 3, column: 2, document: 0 } }], { toolVersion: '0.1.0' });
    const result = (log.runs[0] as { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }).results[0]!;
    expect(result.locations[0]!.physicalLocation.artifactLocation.uri).toBe(uri);
  });
});
