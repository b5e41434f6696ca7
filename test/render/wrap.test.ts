import { describe, expect, it } from 'vitest';
import { layoutGraph, renderSvg } from '@netdiagram/render';
import { wrapText } from '../../packages/render/src/wrap.js';
import { denyAll, graphOf, namespace, policy, scopedGraphOf, workload } from './builders.js';

describe('text that wraps instead of being cut', () => {
  it('breaks at commas and spaces and loses nothing', () => {
    const text = 'ipblock:172.17.0.0/16 except 172.17.1.0/24, 172.17.2.0/24, 172.17.3.0/24';
    const lines = wrapText(text, 30);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((l) => Array.from(l).length <= 30)).toBe(true);
    expect(lines.join(' ').replace(/\s+/g, ' ')).toBe(text);
  });

  it('cuts inside a word only when the word alone is longer than a line', () => {
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText('short', 40)).toEqual(['short']);
  });

  it('writes an ipBlock’s except ranges in full in the boundary table', async () => {
    const manifests = [
      namespace('pay', { 'pci-dss/scope': 'cde' }),
      workload('pay', 'api', { ports: [{ containerPort: 8443 }] }),
      denyAll('pay'),
      policy('pay', 'partner-in', {
        podSelector: { matchLabels: { app: 'api' } },
        ingress: [{ from: [{ ipBlock: { cidr: '172.17.0.0/16', except: ['172.17.1.0/24', '172.17.2.0/24', '172.17.30.0/24'] } }], ports: [{ port: 8443 }] }],
      }),
    ];
    const { graph, scope } = scopedGraphOf(manifests, { cde: ['pci-dss/scope=cde'] });
    const svg = renderSvg(await layoutGraph(graph, { scope }));
    const table = svg.slice(svg.indexOf('<g id="boundary-table"'));
    expect(table).not.toContain('\u2026');
    const text = [...table.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).join(' ');
    for (const range of ['172.17.1.0/24', '172.17.2.0/24', '172.17.30.0/24']) expect(text).toContain(range);
  });

  it('wraps a long title in the title block instead of cutting it', async () => {
    const title = 'Online Boutique (GoogleCloudPlatform/microservices-demo) with its network-policies component, as deployed';
    const svg = renderSvg(await layoutGraph(graphOf([workload('x', 'a')])), { title, source: 'a/very/long/source/path/'.repeat(6) });
    const block = svg.slice(svg.indexOf('<g id="title-block"'));
    expect(block).not.toContain('\u2026');
    const text = [...block.matchAll(/<text [^>]*font-size="18"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]).join(' ');
    expect(text).toBe(title);
  });
});
