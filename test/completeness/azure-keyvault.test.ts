/**
 * Key Vault's GetCertificates leaves out certificates that are not completely provisioned unless
 * asked with includePending=true (docs/completeness.md): certwarden sees them, through the real
 * @azure/keyvault-certificates client against the simulated data plane.
 */
import { CertificateClient } from '@azure/keyvault-certificates';
import { openSession } from '../../providers/azure-shared/session.js';
import type { AzureScenario } from '../../src/sim/azure/index.js';
import { quiet, startAzure, SUB_A, SUB_B, type AzureHarness, type ScopeOutcome } from '../providers/azure-fixture.js';

const SUB_C = '0b1f6471-1bf0-4dda-aec3-333333333333';
const SUB_D = '0b1f6471-1bf0-4dda-aec3-444444444444';

const scenario: AzureScenario = {
  subscriptions: [
    {
      id: SUB_A,
      vaults: [
        {
          name: 'kv-all',
          certificates: [
            // Ordered by name: one pending certificate on the first page of 25, one on the second.
            { name: 'a-ordered', cn: 'ordered.example.com', pending: true, policy: { issuerName: 'DigiCert' } },
            { name: 'disabled', cn: 'off.example.com', enabled: false },
            { name: 'expired', cn: 'gone.example.com', expiresInDays: -2 },
            {
              name: 'zz-ordered',
              cn: 'later.example.com',
              key: 'ec-p256',
              pending: true,
              policy: { issuerName: 'GlobalSign' },
            },
          ],
          generate: { count: 24, prefix: 'm', template: { cn: 'host{i}.example.com' } },
        },
      ],
    },
    // Subscriptions the list names in every state: Warned and PastDue still hold live resources.
    { id: SUB_B, state: 'Warned', vaults: [{ name: 'kv-warned', certificates: [{ name: 'w', cn: 'w.example.com' }] }] },
    {
      id: SUB_C,
      state: 'PastDue',
      vaults: [{ name: 'kv-pastdue', certificates: [{ name: 'p', cn: 'p.example.com' }] }],
    },
    {
      id: SUB_D,
      state: 'Disabled',
      vaults: [{ name: 'kv-disabled', certificates: [{ name: 'd', cn: 'd.example.com' }] }],
    },
  ],
};

let h: AzureHarness;
let outcomes: ScopeOutcome[];
let vault: ScopeOutcome;
const PENDING = ['a-ordered', 'zz-ordered'];

beforeAll(async () => {
  h = await startAzure(scenario);
  outcomes = await h.run();
  vault = outcomes.find((o) => o.location === 'kv-all')!;
});
afterAll(() => h.close());

test('the simulator leaves pending certificates out of a listing without includePending, as documented', async () => {
  const s = await openSession(h.config.providers.azure!, quiet);
  const client = new CertificateClient('https://kv-all.vault.azure.net/', s.keyVaultCredential, {
    httpClient: s.httpClient,
    retryOptions: { maxRetries: 0 },
  });
  const names = async (includePending?: boolean) => {
    const out: string[] = [];
    for await (const c of client.listPropertiesOfCertificates({ includePending })) out.push(c.name!);
    return out;
  };
  const plain = await names();
  expect(plain).toHaveLength(26);
  for (const name of PENDING) expect(plain).not.toContain(name);
  const all = await names(true);
  expect(all).toHaveLength(28);
  expect(all).toEqual(expect.arrayContaining(PENDING));
});

test.each(PENDING)('certwarden sees the pending certificate %s, as pending, with its policy', (name) => {
  const record = vault.certificates.find((c) => c.name === name);
  expect(record).toBeDefined();
  expect(record).toMatchObject({
    state: 'pending',
    keyVault: { enabled: false, policy: { issuerName: expect.any(String) } },
  });
  expect(record!.fingerprintSha256).toBeUndefined();
});

test('certwarden sees every certificate the vault holds, pending, disabled and expired alike', () => {
  expect(vault.status).toBe('ok');
  const held = h.world.vaults
    .get('kv-all.vault.azure.net')!
    .certificates.map((c) => c.name)
    .sort();
  expect(vault.certificates.map((c) => c.name).sort()).toEqual(held);
  expect(
    Object.fromEntries(['disabled', 'expired'].map((n) => [n, vault.certificates.find((c) => c.name === n)!.state])),
  ).toEqual({ disabled: 'disabled', expired: 'expired' });
});

test('subscriptions: [all] audits Warned and PastDue subscriptions, and skips Disabled ones', () => {
  expect(outcomes.map((o) => [o.location, o.status, o.certificates.length])).toEqual([
    ['kv-all', 'ok', 28],
    ['kv-warned', 'ok', 1],
    ['kv-pastdue', 'ok', 1],
  ]);
});
