/** What the page shows: the selection and the filters. The permalink writes exactly this. */
export interface ViewState {
  readonly selected?: { readonly type: 'node' | 'edge' | 'namespace'; readonly id: string };
  readonly cde: boolean;
  readonly boundary: boolean;
  /** A port number as typed (`443`), or empty. */
  readonly port: string;
  /** `TCP`, `UDP`, `SCTP`, or empty. */
  readonly protocol: string;
  /** The collapsed namespace shown expanded (its pre-laid-out view), when one is. */
  readonly open?: string;
  /** The zoom transform, when the view was moved. */
  readonly zoom?: { readonly k: number; readonly x: number; readonly y: number };
}

export const INITIAL_STATE: ViewState = { cde: false, boundary: false, port: '', protocol: '' };

const SELECTION_TYPES = new Set(['node', 'edge', 'namespace']);
const PROTOCOLS = new Set(['TCP', 'UDP', 'SCTP']);

/** The URL fragment for a state: `#node=shop%2Fweb%5BDeployment%5D&open=shop&cde=1&port=443`. */
export function toFragment(state: ViewState): string {
  const params = new URLSearchParams();
  if (state.selected) params.set(state.selected.type, state.selected.id);
  if (state.open !== undefined) params.set('open', state.open);
  if (state.cde) params.set('cde', '1');
  if (state.boundary) params.set('boundary', '1');
  if (state.port !== '') params.set('port', state.port);
  if (state.protocol !== '') params.set('protocol', state.protocol);
  if (state.zoom) params.set('zoom', [state.zoom.k, state.zoom.x, state.zoom.y].map((n) => Math.round(n * 1000) / 1000).join(','));
  const text = params.toString();
  return text === '' ? '' : `#${text}`;
}

/** The state a fragment names; anything it does not understand is left at its initial value. */
export function fromFragment(fragment: string): ViewState {
  const params = new URLSearchParams(fragment.replace(/^#/, ''));
  let selected: ViewState['selected'];
  for (const type of SELECTION_TYPES) {
    const id = params.get(type);
    if (id !== null) selected = { type: type as 'node' | 'edge' | 'namespace', id };
  }
  const port = params.get('port') ?? '';
  const protocol = params.get('protocol') ?? '';
  const zoom = (params.get('zoom') ?? '').split(',').map(Number);
  const open = params.get('open');
  return {
    ...(selected ? { selected } : {}),
    ...(open !== null && open !== '' ? { open } : {}),
    cde: params.get('cde') === '1',
    boundary: params.get('boundary') === '1',
    port: /^\d{1,5}$/.test(port) ? port : '',
    protocol: PROTOCOLS.has(protocol) ? protocol : '',
    ...(zoom.length === 3 && zoom.every(Number.isFinite) && zoom[0]! > 0 ? { zoom: { k: zoom[0]!, x: zoom[1]!, y: zoom[2]! } } : {}),
  };
}
