/**
 * bench/scaling.svg: time against cluster size, one line per stage, both axes logarithmic, written as
 * plain SVG text (no DOM). A stage that hit the time budget is drawn at the budget with an open
 * marker and a "≥" label, so the curve shows at least how steep it is.
 */

const WIDTH = 860;
const HEIGHT = 480;
const MARGIN = { top: 48, right: 215, bottom: 78, left: 70 };

const SERIES = [
  { key: 'yaml', label: 'YAML parse (netdiagram)', color: '#1f77b4' },
  { key: 'model', label: 'model build', color: '#2ca02c' },
  { key: 'graph', label: 'policy evaluation + graph', color: '#d62728' },
  { key: 'json', label: 'connections JSON writer', color: '#9467bd' },
  { key: 'layout:auto', label: 'layout (detail auto)', color: '#8c564b' },
  { key: 'svg:auto', label: 'SVG (detail auto)', color: '#e377c2' },
  { key: 'cli', label: 'connections, end to end', color: '#111111', width: 2.5 },
  { key: 'diagram:auto', label: 'diagram (auto), end to end', color: '#ff7f0e', width: 2.5 },
  { key: 'jsyamlCli', label: 'js-yaml loadAll, end to end', color: '#7f7f7f', dash: '6 4' },
  { key: 'ref.yaml', label: 'yaml parseAllDocuments', color: '#17becf', dash: '2 3' },
];

const r2 = (x) => Math.round(x * 100) / 100;
const escape = (text) => String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The point of a series for one size: its median, or a lower bound where it timed out. */
function pointOf(entry, key) {
  if (key === 'cli' || key === 'jsyamlCli' || key === 'diagram:auto') {
    const run = key === 'diagram:auto' ? entry.diagram?.auto : entry[key];
    if (run?.medianMs !== undefined) return { ms: run.medianMs, bound: false };
    if (run?.timeoutS !== undefined) return { ms: run.timeoutS * 1000, bound: true };
    return undefined;
  }
  const value = entry.stages?.[key]?.medianMs;
  if (value !== undefined) return { ms: value, bound: false };
  if (entry.timeout?.stage === key) return { ms: entry.timeout.afterS * 1000, bound: true };
  return undefined;
}

function formatMs(ms) {
  if (ms >= 1000) return `${ms / 1000} s`;
  return `${ms} ms`;
}

export function renderScalingSvg(results) {
  // the scaling sizes only: the real-world inputs have no size on this axis, and dense sits on L's
  // (and the CNI sizes, which sit on S's point)
  const sizes = Object.entries(results.sizes).filter(([, e]) => e.spec && !e.spec.dense && !e.spec.cni);
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const series = SERIES.map((s) => ({
    ...s,
    points: sizes.flatMap(([size, e]) => {
      const p = pointOf(e, s.key);
      return p && p.ms > 0 ? [{ size, n: e.spec.workloads, ...p }] : [];
    }),
  })).filter((s) => s.points.length > 0);

  const all = series.flatMap((s) => s.points.map((p) => p.ms));
  const loY = Math.floor(Math.log10(Math.max(0.1, Math.min(...all, 1))));
  const hiY = Math.ceil(Math.log10(Math.max(...all, 10)));
  const ns = sizes.map(([, e]) => e.spec.workloads);
  const loX = Math.log10(Math.min(...ns, 100)) - 0.15;
  const hiX = Math.log10(Math.max(...ns, 1000)) + 0.15;
  const x = (n) => MARGIN.left + ((Math.log10(n) - loX) / (hiX - loX)) * plotW;
  const y = (ms) => MARGIN.top + plotH - ((Math.log10(ms) - loY) / (hiY - loY)) * plotH;

  const out = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="DejaVu Sans, Verdana, sans-serif" font-size="11">`);
  out.push(`<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`);
  out.push(`<text x="${MARGIN.left}" y="22" font-size="14" font-weight="bold">netdiagram: time against cluster size (median, log–log)</text>`);
  out.push(`<text x="${MARGIN.left}" y="38" fill="#555555">node ${escape(results.environment.node)}, ${results.environment.cpus} cores; open markers: stopped at the time budget (a lower bound)</text>`);

  // grid and axes
  for (let d = loY; d <= hiY; d++) {
    const ms = 10 ** d;
    const yy = r2(y(ms));
    out.push(`<line x1="${MARGIN.left}" y1="${yy}" x2="${MARGIN.left + plotW}" y2="${yy}" stroke="#e5e5e5"/>`);
    out.push(`<text x="${MARGIN.left - 6}" y="${r2(yy + 4)}" text-anchor="end" fill="#333333">${escape(formatMs(ms))}</text>`);
  }
  for (const [size, e] of sizes) {
    const xx = r2(x(e.spec.workloads));
    out.push(`<line x1="${xx}" y1="${MARGIN.top}" x2="${xx}" y2="${MARGIN.top + plotH}" stroke="#eeeeee"/>`);
    out.push(`<text x="${xx}" y="${MARGIN.top + plotH + 16}" text-anchor="middle" font-weight="bold">${escape(size)}</text>`);
    const lines = [
      `${e.spec.workloads.toLocaleString('en-US')} workloads`,
      ...(e.kinds?.Pod ? [`+ ${e.kinds.Pod.toLocaleString('en-US')} pods`] : []),
      `${e.spec.policies.toLocaleString('en-US')} policies`,
      `${e.mib} MiB`,
    ];
    lines.forEach((line, i) => {
      out.push(`<text x="${xx}" y="${MARGIN.top + plotH + 30 + i * 12}" text-anchor="middle" fill="#555555" font-size="10">${escape(line)}</text>`);
    });
  }
  out.push(`<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999999"/>`);

  // series
  for (const s of series) {
    // a lower bound is not a measurement: it gets a marker, not a line into it
    const pts = s.points.filter((p) => !p.bound).map((p) => `${r2(x(p.n))},${r2(y(p.ms))}`);
    if (pts.length > 1) {
      out.push(`<polyline points="${pts.join(' ')}" fill="none" stroke="${s.color}" stroke-width="${s.width ?? 1.6}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    }
    for (const p of s.points) {
      const cx = r2(x(p.n));
      const cy = r2(y(p.ms));
      out.push(p.bound
        ? `<circle cx="${cx}" cy="${cy}" r="4" fill="#ffffff" stroke="${s.color}" stroke-width="1.6"><title>${escape(`${s.label}, ${p.size}: ≥ ${formatMs(Math.round(p.ms))}`)}</title></circle><text x="${r2(cx + 6)}" y="${r2(cy - 6)}" fill="${s.color}">≥</text>`
        : `<circle cx="${cx}" cy="${cy}" r="3" fill="${s.color}"><title>${escape(`${s.label}, ${p.size}: ${formatMs(Math.round(p.ms))}`)}</title></circle>`);
    }
  }

  // legend
  series.forEach((s, i) => {
    const ly = MARGIN.top + 8 + i * 18;
    const lx = MARGIN.left + plotW + 14;
    out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 22}" y2="${ly}" stroke="${s.color}" stroke-width="${s.width ?? 1.6}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    out.push(`<text x="${lx + 28}" y="${ly + 4}">${escape(s.label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
