import { main } from '@netdiagram/cli';
import { describe, it } from 'vitest';
// @ts-expect-error: a plain ES module shared with bench/cost.mjs, without declarations
import { costCases } from './cost/index.mjs';
import { fakeIo, tempDir } from './support.js';

interface CostCase {
  readonly name: string;
  readonly sizes: { readonly test: number };
  write(dir: string, size: number): string[];
  check(result: { exit: number; stdout: string; stderr: string }, size: number): void;
}

// The answers of the cost cases at a small size; their time and memory at the size are the
// benchmark's (`npm run bench:cost`), never a timed test.
describe('cost cases at test size give the right answer', () => {
  for (const costCase of costCases as CostCase[]) {
    it(costCase.name, async () => {
      const dir = tempDir();
      const argv = costCase.write(dir, costCase.sizes.test);
      const io = fakeIo(dir);
      const exit = await main(argv, io);
      costCase.check({ exit, stdout: io.out, stderr: io.err }, costCase.sizes.test);
    });
  }
});
