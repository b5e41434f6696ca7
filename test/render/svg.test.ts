import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { ASSUMPTION, layoutGraph, renderSvg } from '@netdiagram/render';
import { buildTrafficGraph, computeScope, parseManifests } from '@netdiagram/core';
import { placeholder, withHostileText } from '../support/hostile.js';
import { denyAll, graphOf, ingress, namespace, policy, service, workload } from './builders.js';

const HOSTILE = [`a<b>&"c'`, 'x]]>y', 'café-日本-😀', '<script>alert(1)</script>', 'tab\there', 'ctl\u0001\u001f', '&amp;', '--><!--'];

/**
 * Manifests whose every name, host and reference carries hostile text. Names, namespaces and port
 * names hold a placeholder the loader accepts, swapped for the hostile text in the parsed model.
 */
function hostileManifests(): string[] {
  return HOSTILE.flatMap((text, i) => {
    const name = placeholder(i);
    const ns = `ns-${i}-${name}`;
    const web = `web${i}`;
    const db = `db${i}`;
    return [
      namespace(ns, { team: `t${i}` }),
      workload(ns, `web-${name}`, { labels: { app: web }, ports: [{ name, containerPort: 8080 }], containers: [`c-${text}`, 'sidecar'], configMap: `cm-${name}`, secret: `s-${name}` }),
      workload(ns, `db-${name}`, { labels: { app: db }, ports: [{ containerPort: 5432 }] }),
      service(ns, `svc-${name}`, { app: web }, [{ port: 80, targetPort: 8080 }], 'LoadBalancer'),
      ingress(ns, `ing-${name}`, `${text}.example.com`, `svc-${name}`, 80),
      denyAll(ns),
      policy(ns, `p-${name}`, {
        podSelector: { matchLabels: { app: db } },
        ingress: [{ from: [{ podSelector: { matchLabels: { app: web } } }], ports: [{ port: 5432 }] }],
      }),
      policy(ns, `e-${name}`, {
        podSelector: { matchLabels: { app: web } },
        egress: [{ to: [{ podSelector: { matchLabels: { app: db } } }, { ipBlock: { cidr: '198.51.100.0/24' } }], ports: [{ port: 5432 }] }],
      }),
    ];
  });
}

async function render(manifests: readonly string[], detail: 'full' | 'workload' | 'namespace' = 'full'): Promise<string> {
  const parsed = parseManifests([{ name: 'input.yaml', text: manifests.join('\n---\n') }]);
  expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const cluster = withHostileText(parsed.cluster, HOSTILE);
  const graph = buildTrafficGraph(cluster);
  // the CDE is the namespace of the <script> names, so zones, boundary numbers and the boundary table carry hostile text too
  const scope = computeScope(cluster, graph, { cde: ['team=t3'] });
  return renderSvg(await layoutGraph(graph, { detail, scope }), {
    title: `Title ${HOSTILE.join(' ')}`, source: `src/${HOSTILE[0]}`, inputDigest: 'sha256:00', toolVersion: '1.2.3', commit: HOSTILE[1],
  });
}

describe('renderSvg output safety', () => {
  it.each(['full', 'workload', 'namespace'] as const)('writes well-formed XML for hostile names at %s detail', async (detail) => {
    const svg = await render(hostileManifests(), detail);
    expect(XMLValidator.validate(svg, { allowBooleanAttributes: false })).toBe(true);
    const parsed = new XMLParser({ ignoreAttributes: false, processEntities: true, htmlEntities: false }).parse(svg) as Record<string, unknown>;
    expect(parsed.svg).toBeDefined();
  });

  it('keeps hostile text as text: no markup, script, event attribute or external reference gets through', async () => {
    const svg = await render(hostileManifests());
    expect(svg).not.toMatch(/<script|<foreignObject|<iframe|<image|<a[\s>]|<style|<!\[CDATA\[|<!--/i);
    expect(svg).not.toMatch(/\son[a-z]+=/i);
    // the one reference is the CDE's hatch pattern, inside the document
    expect(svg.replace(/url\(#cde-hatch\)/g, '')).not.toMatch(/href=|url\(|xlink:/);
    expect(svg).toContain('class="node workload');
    expect(svg).toContain('boundary-table');
    expect(svg).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/);
    expect(svg).toContain('a&lt;b&gt;&amp;&quot;c&apos;');
    expect(svg).toContain('x]]&gt;y');
    expect(svg).toContain('café-日本-😀');
  });

  it('writes ids derived from node ids, each once', async () => {
    const svg = await render(hostileManifests());
    const ids = [...svg.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]!);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[A-Za-z][A-Za-z0-9_-]*$/.test(id))).toBe(true);
  });
});

describe('renderSvg output form', () => {
  const small = [
    namespace('shop'),
    workload('shop', 'web', { ports: [{ containerPort: 8080 }] }),
    workload('shop', 'db', { ports: [{ containerPort: 5432 }] }),
    denyAll('shop'),
    policy('shop', 'db', { podSelector: { matchLabels: { app: 'db' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'web' } } }], ports: [{ port: 5432 }] }] }),
    policy('shop', 'web', { podSelector: { matchLabels: { app: 'web' } }, egress: [{ to: [{ podSelector: { matchLabels: { app: 'db' } } }], ports: [{ port: 5432 }] }] }),
  ];

  it('rounds every number to two decimals and ends with a newline', async () => {
    const svg = await render(small);
    expect(svg.endsWith('</svg>\n')).toBe(true);
    expect(svg).not.toContain('\r');
    expect(svg.match(/\d+\.\d{3,}/g)).toBeNull();
    expect(svg).not.toMatch(/NaN|Infinity|undefined|\[object/);
  });

  it('explains each flow in a <title> naming the policy rules that allow it', async () => {
    const svg = await render(small);
    expect(svg).toContain('<title>shop/web[Deployment] → shop/db[Deployment]\nTCP 5432\nallowed by: netpol:shop/db#ingress[0], netpol:shop/web#egress[0]</title>');
    expect(svg).toContain('>TCP 5432</text>');
  });

  it('states the assumption, the inputs and the counts in the title block, and no date unless given', async () => {
    const svg = await render(small);
    expect(svg).toContain(ASSUMPTION);
    expect(svg).toContain('sha256:00');
    expect(svg).toContain('netdiagram 1.2.3');
    expect(svg).toContain('2 workloads · 1 allowed flow · 0 unrestricted workloads');
    expect(svg).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    const dated = renderSvg(await layoutGraph(graphOf(small)), { date: '2025-07-01' });
    expect(dated).toContain('2025-07-01');
  });

  it('lists in the legend only what the diagram draws', async () => {
    const svg = await render(small);
    expect(svg).toContain('Deployment</text>');
    expect(svg).toContain('allowed flow: protocol and ports');
    expect(svg).not.toContain('StatefulSet</text>');
    expect(svg).not.toContain('unrestricted: that side admits every peer');
    expect(svg).not.toContain('Internet: every outside address');
    const open = renderSvg(await layoutGraph(graphOf([workload('x', 'a'), workload('x', 'b')])));
    expect(open).toContain('unrestricted: that side admits every peer');
  });

  it('shortens long names with an ellipsis and keeps the full name in the tooltip', async () => {
    const long = 'a-really-long-workload-name-that-goes-on-and-on';
    const svg = await render([workload('x', long)]);
    expect(svg).toContain('>a-really-long-workload-name-tha…</text>');
    expect(svg).toContain(`x/${long}`);
  });
});
