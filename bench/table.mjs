/** The plain-text tables `npm run bench` prints, from the results object it writes to results.json. */

const ms = (x) => (x === undefined || x === null ? 'n/a' : x >= 10000 ? `${(x / 1000).toFixed(1)} s` : `${Math.round(x)}`);

function stageCell(entry, stage) {
  const value = entry.stages?.[stage]?.medianMs;
  if (value !== undefined) return ms(value);
  if (entry.timeout?.stage === stage) return `>${entry.timeout.afterS} s`;
  return 'n/a';
}

function e2eCell(run) {
  if (!run) return 'n/a';
  if (run.medianMs !== undefined) return ms(run.medianMs);
  if (run.timeoutS !== undefined) return `>${run.timeoutS} s`;
  if (run.failure) return 'failed';
  return 'skipped';
}

/** min–median–max of a paired run's figure, in ms. */
function rangeCell(run) {
  if (!run || run.minMs === undefined || run.medianMs === undefined) return e2eCell(run);
  return `${ms(run.minMs)}–${ms(run.medianMs)}–${ms(run.maxMs)}`;
}

function ratioCell(e) {
  if (e.cliOverJsyaml === undefined) return 'n/a';
  return e.cliOverJsyamlRange ? `${e.cliOverJsyamlRange[0]}–${e.cliOverJsyaml}–${e.cliOverJsyamlRange[1]}` : String(e.cliOverJsyaml);
}

function table(title, header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i]) : String(c).padStart(widths[i]))).join('  ');
  return [title, line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), ''].join('\n');
}

export function formatTables(results) {
  const entries = Object.entries(results.sizes);
  const out = [];
  out.push(table('In-process stages, median ms (runs in results.json)',
    ['size', 'workloads', 'pods', 'policies', 'MiB', 'docs', 'yaml', 'model', 'parseManifests', 'graph', 'json', 'after/parse', 'layout auto', 'svg auto', 'layout workload', 'svg workload'],
    entries.map(([size, e]) => [
      size, e.spec?.workloads ?? e.model?.workloads ?? 'n/a', e.kinds.Pod ?? 0, e.spec?.policies ?? e.model?.policies ?? 'n/a', e.mib, e.documents,
      stageCell(e, 'yaml'), stageCell(e, 'model'), stageCell(e, 'parseManifests'), stageCell(e, 'graph'), stageCell(e, 'json'),
      e.afterParseOverParse ?? 'n/a',
      stageCell(e, 'layout:auto'), stageCell(e, 'svg:auto'), stageCell(e, 'layout:workload'), stageCell(e, 'svg:workload'),
    ])));
  out.push(table('End to end (node start-up included), paired runs, min–median–max ms; peak RSS in MiB',
    ['size', 'connections', 'runs', 'peak MiB', 'js-yaml loadAll', 'js-yaml MiB', '× js-yaml (pairs)', 'diagram auto', 'diagram workload', 'nodes', 'edges', 'flows'],
    entries.map(([size, e]) => [
      size, rangeCell(e.cli), e.cli?.runs ?? 0, e.cli?.peakRssMiB ?? 'n/a', rangeCell(e.jsyamlCli), e.jsyamlCli?.peakRssMiB ?? 'n/a', ratioCell(e),
      e2eCell(e.diagram?.auto), e2eCell(e.diagram?.workload), e.graph?.nodes ?? 'n/a', e.graph?.edges ?? 'n/a', e.graph?.flows ?? 'n/a',
    ])));
  out.push(table('Reference parsers on the same files, in-process, median ms',
    ['size', 'yaml parseAllDocuments', 'js-yaml loadAll', 'JSON.parse', 'netdiagram yaml stage'],
    entries.map(([size, e]) => [size, stageCell(e, 'ref.yaml'), stageCell(e, 'ref.jsyaml'), stageCell(e, 'ref.json'), stageCell(e, 'yaml')])));
  if (results.targets?.length) {
    out.push(table('Targets of issues 5 and 14',
      ['target', 'limit', 'measured', 'holds'],
      results.targets.map((t) => [t.target, `${t.limit} ${t.unit}`, t.value === null ? 'n/a' : `${t.value} ${t.unit}`, t.pass === null ? 'n/a' : t.pass ? 'yes' : 'NO']),
    ));
  }
  if (results.growth) {
    out.push(`Growth M→XL (time ∝ n^k, n = workloads; n·log n ≈ 1.13): ${Object.entries(results.growth).map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
  }
  const notes = [];
  for (const [size, e] of entries) {
    for (const [detail, l] of Object.entries(e.layouts ?? {})) {
      notes.push(`${size}: --detail ${detail} drew the ${l.resolved} level, ${l.nodes} shapes, ${l.edges} edges`);
    }
    if (e.timeout) notes.push(`${size}: stopped in stage "${e.timeout.stage}" after ${e.timeout.afterS} s (budget); later stages not measured`);
    if (e.failure) notes.push(`${size}: in-process run failed: ${e.failure}`);
    if (e.cli?.failure) notes.push(`${size}: connections failed: ${e.cli.failure}`);
    for (const [detail, d] of Object.entries(e.diagram ?? {})) if (d.failure) notes.push(`${size}: diagram --detail ${detail} failed: ${d.failure}`);
  }
  if (notes.length > 0) out.push(`${notes.join('\n')}\n`);
  return out.join('\n');
}
