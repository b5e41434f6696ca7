import { buildTrafficGraph, parseManifests } from '@netdiagram/core';
import { layoutGraph, renderSvg } from '@netdiagram/render';
import { describe, expect, it } from 'vitest';
import { docs, policy } from '../support/analyse.js';
import { denyAll, deployment } from '../pci/support.js';

const draw = async (text: string) => {
  const { cluster } = parseManifests([{ name: 'input.yaml', text }]);
  return renderSvg(await layoutGraph(buildTrafficGraph(cluster), { detail: 'full' }), { title: 't', toolVersion: 'test' });
};
const web = deployment('shop', 'web', { app: 'web' }, { ports: [{ containerPort: 80 }] });
const LOCK = '<title>isolated by NetworkPolicy for ingress and egress</title>';

describe('the padlock', () => {
  it('is drawn on a workload whose isolation restricts both directions', async () => {
    const svg = await draw(docs(web, denyAll('shop'), policy('shop', 'web-80', { podSelector: {}, ingress: [{ ports: [{ port: 80 }] }] })));
    expect(svg).toContain(LOCK);
    expect(svg).toContain('isolated for ingress and egress, restricting both');
  });

  it('is not drawn on a workload isolated in name only: a default-deny plus an allow-everything policy gets the warning triangle', async () => {
    const svg = await draw(docs(web, denyAll('shop'),
      policy('shop', 'allow-all', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{}], egress: [{}] })));
    expect(svg).not.toContain(LOCK);
    expect(svg).toContain('<title>isolated for ingress and egress in name only: its policies admit every peer on every port</title>');
    expect(svg).toContain('isolated in name only in a direction: its policies admit everything');
    expect(svg).not.toContain('restricting both');
    expect(svg).toContain('1 unrestricted workload');
  });

  it('is not drawn when only one direction is open in name only, and the tooltip names that direction', async () => {
    const svg = await draw(docs(web, denyAll('shop'),
      policy('shop', 'egress-anywhere', { podSelector: {}, policyTypes: ['Ingress', 'Egress'], ingress: [{ ports: [{ port: 80 }] }], egress: [{}] })));
    expect(svg).not.toContain(LOCK);
    expect(svg).toContain('<title>isolated for egress in name only: its policies admit every peer on every port</title>');
    expect(svg).toContain('egress: isolated in name only: its policies admit every destination on every port');
    // restricted for ingress, open for egress: the legend must not say the workload admits everything
    expect(svg).toContain('>isolated in name only in a direction: its policies admit everything</text>');
  });
});
