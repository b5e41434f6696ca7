// Bundles the CLI (dist/run.js with core, commander, graphology, js-yaml and ipaddr.js) into one
// file, dist/netdiagram.js, that dist/bin.js starts when it is up to date (src/bundled-cli.ts):
// node resolves and compiles one module instead of ~130, which saves about 0.2 s of CPU on every
// run. Run by the workspace's `npm run build` after `tsc -b`. The renderer and the interactive page
// stay separate modules, loaded by the commands that draw (and elkjs with them); so does `yaml`,
// which core loads only for documents that need the exact parser, and the Kubernetes client,
// loaded only by --cluster.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  absWorkingDir: root,
  entryPoints: ['dist/run.js'],
  outfile: 'dist/netdiagram.js',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@netdiagram/render', '@netdiagram/view', 'yaml', 'elkjs', '@kubernetes/client-node'],
  // commander is CommonJS: its require() calls of node's modules need a require in an ES module
  banner: { js: "import { createRequire as __netdiagramRequire } from 'node:module'; const require = __netdiagramRequire(import.meta.url);" },
  legalComments: 'eof',
  charset: 'utf8',
  logLevel: 'warning',
});
