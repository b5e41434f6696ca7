import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let loaded: typeof Yaml | undefined;

/**
 * The `yaml` package (the exact reader), loaded when first used: it is 72 files that take 70-100 ms
 * to load, and a run whose documents all take the fast reader (js-yaml) and ask for no position
 * never needs it. Its entry point for Node is CommonJS, so `require` gives the module an `import`
 * would.
 */
export function yamlPackage(): typeof Yaml {
  return (loaded ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
}
