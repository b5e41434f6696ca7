import { drawnEnds, LEVELS_ELEMENT_ID, type ExploreData, type ExploreLevel } from '../data.js';

/** The expanded views the page holds: namespace → its level, gzipped, in base64. */
export function readLevels(): ReadonlyMap<string, string> {
  const text = document.getElementById(LEVELS_ELEMENT_ID)?.textContent ?? '';
  return new Map(Object.entries(text === '' ? {} : (JSON.parse(text) as Record<string, string>)));
}

/**
 * Unpacks an expanded view: gunzips it (DecompressionStream: no request, no eval), reads its
 * drawing as SVG (an XML parse of the SVG the build wrote, whose text is escaped as the overview's
 * is; an XML document runs no script, and the page's CSP allows none), and completes its data with
 * the overview's flows and rules, each flow's drawn ends found among the view's shapes.
 */
export async function unpackLevel(packed: string, overview: ExploreData): Promise<{ data: ExploreData; svg: SVGSVGElement }> {
  const bytes = Uint8Array.from(atob(packed), (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  const level = JSON.parse(await new Response(stream).text()) as ExploreLevel;
  const parsed = new DOMParser().parseFromString(level.svg, 'image/svg+xml').documentElement;
  if (!(parsed instanceof SVGSVGElement)) throw new Error(`the expanded view of ${level.namespace} holds no drawing`);
  const data: ExploreData = {
    ...overview, detail: level.detail, nodes: level.nodes, namespaces: level.namespaces, edges: level.edges,
    flows: drawnEnds(level.nodes, overview.flows), open: level.namespace,
  };
  return { data, svg: document.importNode(parsed, true) };
}
