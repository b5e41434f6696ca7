import { clear, el } from './dom.js';
import { flowMatches, type Model } from './model.js';
import type { ViewState } from './state.js';

export interface SearchResult {
  /** What picking it selects; with `open`, a graph node id, selected as the shape drawing it in that view. */
  readonly selection: NonNullable<ViewState['selected']>;
  readonly text: string;
  readonly kind: string;
  /** A workload inside a collapsed namespace: the namespace to expand first. */
  readonly open?: string;
}

const MAX_RESULTS = 50;

/**
 * What a query finds: workloads and addresses by name, namespaces by name, `key=value` by label,
 * and a number by port (a badge of the node, or a flow into or out of it).
 */
export function searchModel(model: Model, query: string): SearchResult[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [];
  const port = /^\d{1,5}$/.test(q) ? q : undefined;
  const results: SearchResult[] = [];
  for (const ns of model.data.namespaces) {
    if (ns.name.toLowerCase().includes(q) || ns.labels.some((l) => l.toLowerCase().includes(q))) {
      results.push({ selection: { type: 'namespace', id: ns.id }, text: ns.name, kind: 'namespace' });
    }
  }
  const portNodes = port !== undefined ? nodesWithPort(model, port) : new Set<string>();
  for (const n of model.data.nodes) {
    const byName = n.label.toLowerCase().includes(q) || (n.namespace?.toLowerCase() === q);
    const byLabel = n.labels.some((l) => l.toLowerCase().includes(q));
    if (byName || byLabel || portNodes.has(n.id)) results.push({ selection: { type: 'node', id: n.id }, text: n.label, kind: n.kind });
  }
  // a workload (or Service, Ingress) inside a collapsed namespace, by name: picking it expands the namespace
  const expandable = new Set(model.data.expandable);
  for (const n of model.data.nodes) {
    if (n.collapsed === undefined) continue;
    for (const m of n.members) {
      const name = m.replace(/\[[^\]]*\]$/, '');
      const namespace = name.slice(0, name.indexOf('/'));
      if (!expandable.has(namespace) || namespace === model.data.open || !name.toLowerCase().includes(q)) continue;
      results.push({ selection: { type: 'node', id: m }, text: name, kind: `in collapsed ${namespace}`, open: namespace });
    }
  }
  // the closest names first: exact, then a name starting with the query, then the rest in drawing
  // order; a summary's text lists several namespaces, each a name
  const rankOf = (text: string) => {
    const t = text.toLowerCase();
    const name = t.slice(t.lastIndexOf('/') + 1);
    return t === q || name === q ? 0 : name.startsWith(q) || t.startsWith(q) ? 1 : t.includes(q) ? 2 : 3;
  };
  const rank = (r: SearchResult) => Math.min(...r.text.split(', ').map(rankOf));
  return results.map((r, i) => ({ r, i })).sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i).slice(0, MAX_RESULTS).map(({ r }) => r);
}

function nodesWithPort(model: Model, port: string): Set<string> {
  const found = new Set<string>();
  for (const n of model.data.nodes) if (n.ports.some((key) => key.split('/')[1] === port)) found.add(n.id);
  for (const f of model.data.flows) {
    if (!flowMatches(f, port, '')) continue;
    if (f.toNode !== undefined) found.add(f.toNode);
  }
  return found;
}

/** The search box and its result list, driven by the keyboard: ↓ ↑ move, Enter picks, Escape closes. It searches the view shown now. */
export function mountSearch(host: HTMLElement, model: () => Model, pick: (result: SearchResult) => void): HTMLInputElement {
  const input = el('input', { type: 'search', id: 'search', placeholder: 'Search workload, namespace, label, port', 'aria-label': 'Search', autocomplete: 'off', role: 'combobox', 'aria-controls': 'results', 'aria-expanded': 'false' });
  const list = el('ul', { id: 'results', role: 'listbox', hidden: '' });
  host.append(el('div', { class: 'search' }, input, list));
  let results: SearchResult[] = [];
  let active = -1;
  const show = () => {
    clear(list);
    results.forEach((r, i) => {
      const item = el('li', { role: 'option', 'aria-selected': String(i === active), 'data-index': String(i) }, r.text, el('span', { class: 'kind' }, r.kind));
      item.addEventListener('mousedown', (event) => {
        event.preventDefault();
        choose(i);
      });
      list.append(item);
    });
    list.hidden = results.length === 0;
    input.setAttribute('aria-expanded', String(results.length > 0));
    list.children[active]?.scrollIntoView({ block: 'nearest' });
  };
  const choose = (i: number) => {
    const r = results[i];
    if (!r) return;
    results = [];
    active = -1;
    show();
    pick(r);
  };
  input.addEventListener('input', () => {
    results = searchModel(model(), input.value);
    active = results.length > 0 ? 0 : -1;
    show();
  });
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (results.length === 0) return;
      active = (active + (event.key === 'ArrowDown' ? 1 : results.length - 1)) % results.length;
      show();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      choose(active);
    } else if (event.key === 'Escape') {
      results = [];
      active = -1;
      show();
    }
  });
  input.addEventListener('blur', () => {
    results = [];
    show();
  });
  return input;
}
