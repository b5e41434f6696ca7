import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DATA_ELEMENT_ID, jsonForScript, type ExploreData } from '@netdiagram/view';
import { renderHtmlFile, run } from './support.js';

const PCI = ['examples/pci-demo', '--cde', 'app=pci', '--title', 'PCI demo'];

function embeddedData(html: string): ExploreData {
  const match = new RegExp(`<script type="application/json" id="${DATA_ELEMENT_ID}">([^<]*)</script>`).exec(html);
  expect(match).not.toBeNull();
  return JSON.parse(match![1]!) as ExploreData;
}

describe('netdiagram diagram -o x.html', () => {
  it('writes the same SVG as the static diagram, and the same bytes whatever order the inputs come in', async () => {
    const html = await renderHtmlFile(PCI);
    const svg = await run(['diagram', ...PCI, '--no-commit']);
    const body = svg.stdout.replace(/^<\?xml[^>]*\?>\s*/, '').trimEnd();
    expect(html).toContain(`<main id="canvas">${body}</main>`);
    const files = readdirSync('examples/pci-demo').filter((f) => f.endsWith('.yaml') && f !== 'expectations.yaml').map((f) => join('examples/pci-demo', f));
    const forward = await renderHtmlFile([...files.sort(), '--cde', 'app=pci', '--title', 'PCI demo']);
    const backward = await renderHtmlFile([...files.sort().reverse(), '--cde', 'app=pci', '--title', 'PCI demo']);
    expect(forward).toBe(backward);
    expect(await renderHtmlFile(PCI)).toBe(html);
  });

  it('--format html and the .html extension agree; --page is refused for HTML', async () => {
    const r = await run(['diagram', ...PCI, '--no-commit', '--format', 'html']);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(r.stdout).toBe(await renderHtmlFile(PCI));
    const page = await run(['diagram', ...PCI, '--format', 'html', '--page', 'A4']);
    expect(page.code).toBe(2);
    expect(page.stderr).toMatch(/--page/);
  });

  it('holds a strict Content-Security-Policy whose hashes are those of its one script and one style', async () => {
    const html = await renderHtmlFile(PCI);
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
    expect(csp).toBeDefined();
    const directives = Object.fromEntries(csp!.split('; ').map((d) => [d.split(' ')[0], d.split(' ').slice(1).join(' ')]));
    expect(directives['default-src']).toBe("'none'");
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(scripts).toHaveLength(1);
    expect(styles).toHaveLength(1);
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(directives['script-src']).toBe(hash(scripts[0]!));
    expect(directives['style-src']).toBe(hash(styles[0]!));
    expect(csp).not.toMatch(/unsafe|https?:|\*/);
    // nothing to fetch: no src or href attribute outside the SVG's own fragment references
    expect(html.match(/\s(src|href)=/g)).toBeNull();
  });

  it('embeds the graph: every allowed flow with its rules, and where each rule is written', async () => {
    const html = await renderHtmlFile(PCI);
    const data = embeddedData(html);
    const connections = JSON.parse((await run(['connections', 'examples/pci-demo', '--format', 'json'])).stdout) as { connections: { from: string; to: string; via: string[] }[] };
    expect(data.flows.map((f) => [f.from, f.to, f.via])).toEqual(connections.connections.map((c) => [c.from, c.to, c.via]));
    const rule = data.rules['netpol:default/pci-backend-from-frontend#ingress[0]'];
    expect(rule?.policy).toBe('default/pci-backend-from-frontend');
    const [file, line] = rule!.at!.split(':');
    // the line holds the rule (its `- from:` item) of that policy's file
    expect(readFileSync(file!, 'utf8').split('\n')[Number(line) - 1]).toMatch(/from|ingress|-/);
    const backend = data.nodes.find((n) => n.id === 'default/pci-backend[Deployment]');
    expect(backend?.labels).toEqual(['app=pci', 'tier=backend']);
    const edge = data.edges.find((e) => e.id === 'default/pci-frontend[Deployment]->default/pci-backend[Deployment]');
    expect(edge?.flows.map((i) => data.flows[i]!.to)).toEqual(['default/pci-backend[Deployment]']);
  });

  it('writes JSON that cannot close its script element', () => {
    const text = jsonForScript({ a: '</script><script>alert(1)</script><!--', b: '\u2028' });
    expect(text).not.toMatch(/[<>]/);
    expect(JSON.parse(text)).toEqual({ a: '</script><script>alert(1)</script><!--', b: '\u2028' });
  });

  it("the page's own code never writes HTML from a string", () => {
    const dir = 'packages/view/src/page';
    for (const file of readdirSync(dir)) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text, file).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\.html\(|eval\(|new Function|createContextualFragment/);
      // the one markup parse: an expanded view's SVG, as the build wrote it, read as XML (which runs no script)
      for (const call of text.matchAll(/parseFromString\(([^)]*)\)/g)) expect(call[1], file).toMatch(/^level\.svg, 'image\/svg\+xml'$/);
    }
  });
});
