import { join } from 'node:path';
import { main } from '@netdiagram/cli';
import { describe, expect, it } from 'vitest';
import { fakeIo } from '../pci/support.js';

const crossNamespace = join(import.meta.dirname, '../fixtures/gateway-api/cross-namespace-routing');

describe('--gateway-controller', () => {
  it('names the data plane of a Gateway whose own Deployment is not in the input', async () => {
    const io = fakeIo();
    expect(await main(['explain', crossNamespace, '--from', 'infra-ns/shared-gateway[Gateway]', '--to', 'store-ns/store', '--gateway-controller', 'infra-ns/app=envoy'], io)).toBe(0);
    expect(io.out).toContain('data plane of Gateway infra-ns/shared-gateway (infra-ns) → store-ns/store[Deployment]: allowed');
    expect(io.out).toContain('routes to store-ns/store[Deployment] through HTTPRoute store-ns/store → Service store-ns/store port 8080');
  });
  it('refuses a value that is not NAMESPACE[/KEY=VALUE,...], naming the option', async () => {
    const io = fakeIo();
    expect(await main(['connections', crossNamespace, '--gateway-controller', 'infra-ns/app'], io)).toBe(2);
    expect(io.err).toContain('--gateway-controller: "app" is not KEY=VALUE');
  });
  it('warns of a namespace one letter away from one the input has', async () => {
    const io = fakeIo();
    await main(['connections', crossNamespace, '--gateway-controller', 'infra-nz'], io);
    expect(io.err).toContain('netdiagram: warning: --gateway-controller namespace "infra-nz" is neither in the input nor named by its policies; did you mean infra-ns?');
  });
});
