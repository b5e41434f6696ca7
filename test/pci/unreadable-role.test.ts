import { main } from '@netdiagram/cli';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeIo } from './support.js';

// the demo with pci-backend's role misspelt `store` (test/fixtures/review15/pd4)
const typo = join(import.meta.dirname, '../fixtures/review15/pd4');

const run = async (argv: string[]) => {
  const io = fakeIo();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
};

const MARK = 'INCOMPLETE: 1 input error; 0 left out; not read: Deployment default/pci-backend: its account-data role (k8s/invalid-annotation)';

describe('an account-data annotation that does not parse (review 15 #5)', () => {
  it('is an error at its line and column (exit 2), and the workload and its flows stay in the connections', async () => {
    const { code, out, err } = await run(['connections', typo]);
    expect(code).toBe(2);
    expect(err).toContain('pci-app.yaml:55:45: error k8s/invalid-annotation');
    expect(out).toContain('default/pci-frontend[Deployment] => default/pci-backend[Deployment] : TCP 6379');
  });

  it('marks the data-flow record INCOMPLETE, naming the workload, and lists its role as not read (never as none)', async () => {
    const md = await run(['dataflow', typo, '--cde', 'app=pci', '-f', 'md']);
    expect(md.code).toBe(2);
    expect(md.out.split('\n')[2]).toBe(`**${MARK}**`);
    expect(md.out).toContain('| default/pci-backend[Deployment] | NOT READ');
    // not reported as a CDE workload that states nothing: it did, unreadably
    expect(md.out).not.toContain('data/cde-workload-unannotated');
    const json = JSON.parse((await run(['dataflow', typo, '--cde', 'app=pci', '-f', 'json'])).out);
    expect(json.incomplete).toBe(MARK);
    expect(json.unreadable).toEqual([{ id: 'default/pci-backend[Deployment]', what: 'role', declaredOn: 'workload' }]);
    expect(json.declaredNone).toEqual([]);
  });

  it('marks the scope record and the segmentation plan INCOMPLETE too', async () => {
    const scope = await run(['scope', typo, '--cde', 'app=pci', '--no-commit']);
    expect(scope.code).toBe(2);
    expect(scope.out).toContain(`**${MARK}**`);
    expect(JSON.parse((await run(['scope', typo, '--cde', 'app=pci', '--no-commit', '-f', 'json'])).out).incomplete).toBe(MARK);
    const plan = await run(['segmentation-plan', typo, '--cde', 'app=pci', '-f', 'json']);
    expect(plan.code).toBe(2);
    expect(JSON.parse(plan.out).incomplete).toBe(MARK);
    expect((await run(['segmentation-plan', typo, '--cde', 'app=pci', '-f', 'md'])).out).toContain(`**${MARK}**`);
  });

  it('is named on the drawn data-flow diagram', async () => {
    const { out } = await run(['dataflow', typo, '--cde', 'app=pci', '-f', 'svg', '--no-commit']);
    expect(out).toContain('INCOMPLETE: 1 input error; 0 left out; not read: Deployment default/pci-backend');
  });
});
