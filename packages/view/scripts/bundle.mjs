// Bundles the page's TypeScript (src/page) with d3-zoom and d3-selection into one script,
// dist/page.js, that the HTML output inlines. Run by the workspace's `npm run build` after `tsc -b`
// (which type-checks the page); esbuild's output is the same bytes for the same sources.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
await build({
  absWorkingDir: root,
  entryPoints: ['src/page/main.ts'],
  outfile: 'dist/page.js',
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify: true,
  legalComments: 'none',
  charset: 'utf8',
  logLevel: 'warning',
});
