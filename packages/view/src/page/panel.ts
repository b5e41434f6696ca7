import { clear, el } from './dom.js';
import { expandableOf, flowMatches, flowsOfSelection, type Model } from './model.js';
import type { ViewState } from './state.js';

/** Rows the panel lists at most: a table of thousands of flows would take seconds to lay out. */
const MAX_ROWS = 200;
/** Members of a merged shape listed at most. */
const MAX_MEMBERS = 50;
/** Labels listed at most: a namespace summary's workloads can carry hundreds. */
const MAX_LABELS = 12;

/** What the panel's buttons do: show a collapsed namespace expanded, or go back to the overview. */
export interface PanelActions {
  expand(namespace: string): void;
  collapse(): void;
}

/**
 * The side panel: for a workload, namespace or address, every allowed flow into and out of it
 * (peer, ports, direction) with the rules that allow it; for an edge, its explanation and flows;
 * for a collapsed namespace box, a button per namespace to expand; in an expanded view, one back.
 */
export function renderPanel(panel: HTMLElement, model: Model, state: ViewState, actions: PanelActions): void {
  clear(panel);
  const selected = state.selected;
  const open = model.data.open;
  if (open !== undefined) {
    const back = el('button', { type: 'button', id: 'panel-collapse' }, `Collapse ${open}: back to the overview`);
    back.addEventListener('click', () => actions.collapse());
    panel.append(el('p', { class: 'open' }, `Namespace ${open} expanded: its workloads, every flow to or from them, and the namespaces at their other ends. `, back));
  }
  if (!selected) {
    panel.append(
      el('h2', {}, model.data.title),
      el('p', {}, 'Click a workload, namespace, outside address or edge, or search above, to see its allowed flows and the rules that allow them.'),
      el('p', {}, 'Keys: arrows pan, + and - zoom, 0 fits the drawing, / searches, Escape clears the selection; e expands the selected namespace box (so does a double click), c collapses it again.'),
      el('p', {}, 'Arrows are the connections NetworkPolicies allow, assuming a CNI that enforces them; not observed traffic.'),
    );
    return;
  }
  // the port, protocol and boundary filters narrow the list as they narrow the drawing
  const flows = flowsOfSelection(model, selected).filter(({ flow }) =>
    flowMatches(flow, state.port, state.protocol) && (!state.boundary || flow.boundary !== undefined));
  if (selected.type === 'edge') {
    const edge = model.edges.get(selected.id);
    if (!edge) return;
    panel.append(
      el('h2', {}, `${nameOf(model, edge.source)} → ${nameOf(model, edge.target)}`),
      el('p', {}, edge.label === '' ? edge.style : `${edge.label} (${edge.style})`),
      el('h3', {}, 'Explanation'),
      el('pre', { id: 'edge-explanation' }, edge.title),
    );
  } else {
    const node = model.nodes.get(selected.id);
    const namespace = model.namespaces.get(selected.id);
    panel.append(el('h2', {}, selected.type === 'namespace' ? `namespace ${namespace?.name ?? ''}` : node?.label ?? selected.id));
    if (node) {
      panel.append(el('p', {}, `${node.kind}${node.zone ? ` · ${node.zone === 'cde' ? 'in the CDE' : node.zone}` : ''}`));
      if (node.members.length > 1) panel.append(el('p', {}, `stands for ${node.members.length} objects`));
      // a merged or grouped shape names what it stands for (a collapsed namespace box expands instead)
      if (node.members.length > 1 && node.collapsed === undefined) {
        const more = node.members.length - MAX_MEMBERS;
        panel.append(el('ul', { class: 'members' }, ...node.members.slice(0, MAX_MEMBERS).map((m) => el('li', {}, m)),
          more > 0 ? el('li', {}, `… and ${more} more`) : null));
      }
      const expandable = new Set(expandableOf(model, node.id));
      if ((node.collapsed ?? []).length > 0) {
        panel.append(el('ul', { class: 'collapsed' }, ...(node.collapsed ?? []).map((ns) => {
          if (!expandable.has(ns)) return el('li', {}, `namespace ${ns}`);
          const button = el('button', { type: 'button', class: 'expand', 'data-namespace': ns }, `Expand ${ns}`);
          button.addEventListener('click', () => actions.expand(ns));
          return el('li', {}, button);
        })));
      }
      if (node.labels.length > 0) {
        const more = node.labels.length - MAX_LABELS;
        panel.append(el('p', { class: 'labels' }, node.labels.slice(0, MAX_LABELS).join(', ') + (more > 0 ? ` … and ${more} more labels` : '')));
      }
    }
  }
  panel.append(el('h3', {}, `${flows.length} allowed flow${flows.length === 1 ? '' : 's'}`));
  if (flows.length === 0) return;
  const rows = flows.slice(0, MAX_ROWS).map(({ flow, direction }) => {
    const peer = direction === 'inbound' ? flow.fromNode ?? flow.from : flow.toNode ?? flow.to;
    const peerObject = direction === 'inbound' ? flow.from : flow.to;
    const via = el('td', { class: 'via' }, ...flow.via.map((ref) => {
      const rule = model.data.rules[ref];
      // `netpol:ns/name#ingress[0]` reads as the policy, the rule, and where it is written
      return el('span', { class: 'rule' }, rule ? `${rule.policy} ${ref.slice(ref.indexOf('#'))}` : ref,
        rule?.at ? el('span', { class: 'at' }, ` ${rule.at}`) : null);
    }));
    return el('tr', { class: 'flow', 'data-direction': direction },
      el('td', { class: 'direction' }, direction === 'inbound' ? '← in' : direction === 'outbound' ? 'out →' : '↔ inside',
        flow.boundary ? el('span', { class: 'boundary', title: 'CDE boundary flow' }, ` ${flow.boundary}`) : null),
      el('td', { class: 'peer' }, selected.type === 'edge' ? `${flow.from} → ${flow.to}` : peerText(model, peer, peerObject)),
      el('td', { class: 'ports' }, flow.ports, flow.partial ? el('span', { class: 'partial' }, ' (partial)') : null),
      via);
  });
  panel.append(el('table', { id: 'flows' },
    el('colgroup', {}, el('col', { class: 'dir' }), el('col', { class: 'peer' }), el('col', { class: 'ports' }), el('col', { class: 'via' })),
    el('thead', {}, el('tr', {}, el('th', {}, 'Dir.'), el('th', {}, 'Peer'), el('th', {}, 'Ports'), el('th', {}, 'Allowed by'))),
    el('tbody', {}, ...rows)));
  if (flows.length > MAX_ROWS) {
    panel.append(el('p', { id: 'more-flows' }, `The first ${MAX_ROWS} of ${flows.length} flows are listed; a port or protocol filter, or a workload inside, narrows the list.`));
  }
}

/** A peer drawn for itself by its label; one inside a merged shape or a summary by its own id, then the shape. */
function peerText(model: Model, drawn: string, object: string): string {
  const node = model.nodes.get(drawn);
  if (!node || node.members.length <= 1) return nameOf(model, drawn);
  return `${object} (in ${node.label})`;
}

function nameOf(model: Model, id: string): string {
  return model.nodes.get(id)?.label ?? id;
}
