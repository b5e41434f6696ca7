import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';
import { fakeIo } from '../pci/support.js';

const shop = join(import.meta.dirname, '../../examples/shop');

describe('--ingress-controller', () => {
  it('warns of a namespace one letter away from one the policies name, which would block every Ingress flow', async () => {
    const io = fakeIo();
    expect(await main(['connections', shop, '--ingress-controller', 'ingres-nginx'], io)).toBe(0);
    expect(io.err).toContain('netdiagram: warning: --ingress-controller namespace "ingres-nginx" is neither in the input nor named by its policies; did you mean ingress-nginx?');
  });

  it('says nothing of the real controller namespace, or of one far from every name', async () => {
    for (const namespace of ['ingress-nginx', 'traefik-system']) {
      const io = fakeIo();
      await main(['connections', shop, '--ingress-controller', namespace], io);
      expect(io.err).not.toContain('--ingress-controller namespace');
    }
  });
});
