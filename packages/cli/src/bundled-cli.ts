import { statSync } from 'node:fs';

/** The one-file bundle of run.js that `npm run build` writes next to it (packages/cli/scripts/bundle.mjs). */
export const BUNDLE_NAME = 'netdiagram.js';

/**
 * The bundle's URL when it holds the code that was last compiled, else undefined. `tsc -b` alone
 * recompiles without bundling: then its build info (core's or the CLI's, in the repository) is newer
 * than the bundle, and the bundle would run yesterday's code, so the modules themselves are run.
 * An installed package has no build info, only the bundle it was packed with.
 */
export function bundledCli(dist: URL): string | undefined {
  const bundle = new URL(BUNDLE_NAME, dist);
  const built = mtimeOf(bundle);
  if (built === undefined) return undefined;
  for (const info of ['.tsbuildinfo', '../../core/dist/.tsbuildinfo']) {
    const compiled = mtimeOf(new URL(info, dist));
    if (compiled !== undefined && compiled > built) return undefined;
  }
  return bundle.href;
}

function mtimeOf(url: URL): number | undefined {
  try {
    return statSync(url).mtimeMs;
  } catch {
    return undefined;
  }
}
