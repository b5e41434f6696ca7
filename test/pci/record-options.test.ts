import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';
import { demo, fakeIo, tempDir } from './support.js';

const run = async (argv: string[]) => {
  const io = fakeIo();
  const code = await main(argv, io);
  return { code, out: io.out, err: io.err };
};
const people = ['--prepared-by', 'Ann <ann@example.com>', '--approved-by', 'Bob & "QSA"', '--review-date', '2027-01-15'];

describe('--prepared-by, --approved-by, --review-date (PCI DSS 1.2.3, 12.5.2)', () => {
  it('puts the names and the review date in the title block, escaped', async () => {
    const { code, out } = await run(['diagram', demo, '--cde', 'app=pci', '--no-commit', ...people]);
    expect(code).toBe(0);
    expect(out).toContain('>Prepared by</text>');
    expect(out).toContain('>Ann &lt;ann@example.com&gt;</text>');
    expect(out).toContain('>Bob &amp; &quot;QSA&quot;</text>');
    expect(out).toContain('>2027-01-15</text>');
    const plain = (await run(['diagram', demo, '--cde', 'app=pci', '--no-commit'])).out;
    expect(plain).not.toContain('Prepared by');
  });

  it('refuses a review date that is not a calendar date', async () => {
    for (const bad of ['2027-02-30', '15.01.2027', '2027-13-01']) {
      const { code, err } = await run(['dataflow', demo, '--cde', 'app=pci', '--review-date', bad]);
      expect(code).toBe(2);
      expect(err).toBe(`netdiagram: --review-date "${bad}" is not a date (YYYY-MM-DD)\n`);
    }
  });

  it('records them and the segmentation controls\' identities in the evidence metadata and README', async () => {
    const dir = join(tempDir(), 'evidence');
    expect((await run(['evidence', demo, '--cde', 'app=pci', '-o', dir, '--date', '2026-01-01', ...people])).code).toBe(0);
    const metadata = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8'));
    expect(metadata.record).toEqual({ preparedBy: 'Ann <ann@example.com>', approvedBy: 'Bob & "QSA"', reviewDate: '2027-01-15' });
    expect(metadata.segmentationControls.map((c: { id: string }) => c.id)).toEqual([
      'NetworkPolicy default/deny-all', 'NetworkPolicy default/pci-backend-from-frontend', 'NetworkPolicy default/pci-frontend-from-outside', 'NetworkPolicy default/pci-frontend-to-backend',
    ]);
    expect(metadata.segmentationControls[0].identifier).toMatch(/^sc-[0-9a-f]{12}$/);
    const readme = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(readme).toContain('- Next review: 2027-01-15');
    expect(readme).toContain('- Prepared by: Ann &lt;ann@');
    const record = readFileSync(join(dir, 'scope-record.md'), 'utf8');
    expect(record).toContain('- Prepared by: Ann &lt;ann@');
    expect(record).toContain('- Approved by: Bob &amp; "QSA"');
    expect(record).toContain('- Next review: 2027-01-15');
    expect(JSON.parse(readFileSync(join(dir, 'scope-record.json'), 'utf8'))).toMatchObject({ preparedBy: 'Ann <ann@example.com>', approvedBy: 'Bob & "QSA"', reviewDate: '2027-01-15' });
  });
});
