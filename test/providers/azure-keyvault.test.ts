/**
 * End to end: the real Azure SDK clients, through the provider, against the simulated Resource
 * Manager and Key Vault data plane. Two subscriptions, four vaults, two of which refuse us.
 */
import { createHash, X509Certificate } from 'node:crypto';
import type { AzureScenario } from '../../src/sim/azure/index.js';
import { startAzure, SUB_A, SUB_B, TOKEN, type AzureHarness, type ScopeOutcome } from './azure-fixture.js';

const scenario: AzureScenario = {
  pageSize: { vaults: 1 }, // every vault list is paged
  subscriptions: [
    {
      id: SUB_A,
      displayName: 'Production',
      vaults: [
        {
          name: 'kv-web',
          certificates: [
            {
              name: 'web-rsa',
              cn: 'www.example.com',
              sans: ['www.example.com', 'example.com'],
              tags: { owner: 'web-team' },
              policy: {
                issuerName: 'DigiCert',
                certificateType: 'OV-SSL',
                certificateTransparency: true,
                lifetimeActions: [{ action: 'AutoRenew', daysBeforeExpiry: 30 }],
              },
            },
            { name: 'api-ec', cn: 'api.example.com', key: 'ec-p384', selfSigned: true, versions: 2 },
            { name: 'legacy-disabled', cn: 'legacy.example.com', key: 'rsa-3072', enabled: false },
            {
              name: 'no-renew',
              cn: 'old.example.com',
              selfSigned: true,
              expiresInDays: -5,
              policy: { issuerName: 'Self', lifetimeActions: [] },
            },
            { name: 'imported', cn: 'partner.example.org' },
          ],
          generate: { count: 30, prefix: 'bulk', template: { cn: 'host{i}.example.com', key: 'ec-p256' } },
        },
        { name: 'kv-denied', access: 'denied', certificates: [{ name: 'hidden', cn: 'hidden.example.com' }] },
      ],
    },
    {
      id: SUB_B,
      vaults: [
        {
          name: 'kv-policy',
          rbac: false,
          softDeleteRetentionInDays: 30,
          purgeProtection: true,
          certificates: [{ name: 'edge', cn: 'edge.example.net', key: 'ec-p256' }],
        },
        { name: 'kv-firewall', access: 'firewall', certificates: [{ name: 'x', cn: 'x.example.net' }] },
      ],
    },
  ],
};

let h: AzureHarness;
let outcomes: ScopeOutcome[];
const find = (vault: string) => outcomes.find((o) => o.location === vault)!;
const cert = (vault: string, name: string) => find(vault).certificates.find((c) => c.name === name)!;
const stored = (vault: string, name: string) => h.world.vaults.get(`${vault}.vault.azure.net`)!.byName.get(name)!;

beforeAll(async () => {
  h = await startAzure(scenario);
  outcomes = await h.run();
});
afterAll(() => h.close());

test('one scope per vault; denied vaults fail alone with the reason and the vault name', () => {
  expect(outcomes.map((o) => [o.account, o.location, o.status, o.certificates.length])).toEqual([
    [SUB_A, 'kv-web', 'ok', 35],
    [SUB_A, 'kv-denied', 'failed', 0],
    [SUB_B, 'kv-policy', 'ok', 1],
    [SUB_B, 'kv-firewall', 'failed', 0],
  ]);
  expect(find('kv-denied').error).toMatchObject({ code: 'ForbiddenByRbac', operation: 'GetCertificates' });
  expect(find('kv-denied').error!.message).toMatch(/^vault kv-denied: Caller is not authorized/);
  expect(find('kv-firewall').error).toMatchObject({ code: 'ForbiddenByFirewall', operation: 'GetCertificates' });
  expect(find('kv-firewall').error!.message).toMatch(/^vault kv-firewall: Client address is not authorized/);
});

test('an RSA certificate: facts from its bytes, Key Vault metadata and policy', () => {
  const s = stored('kv-web', 'web-rsa');
  const v = s.versions[s.versions.length - 1];
  const x = new X509Certificate(v.der);
  const ref = 'https://kv-web.vault.azure.net/certificates/web-rsa';
  expect(cert('kv-web', 'web-rsa')).toEqual({
    kind: 'certificate',
    uid: `azure-keyvault:${ref}`,
    provider: 'azure-keyvault',
    account: SUB_A,
    location: 'kv-web',
    name: 'web-rsa',
    ref,
    aliases: [
      `${ref}/${v.version}`,
      'https://kv-web.vault.azure.net/secrets/web-rsa',
      `https://kv-web.vault.azure.net/secrets/web-rsa/${v.version}`,
    ],
    subject: 'CN=www.example.com',
    issuer: 'CN=certwarden simulated Issuing CA',
    commonName: 'www.example.com',
    sans: { dns: ['www.example.com', 'example.com'], ip: [], email: [], uri: [] },
    serial: x.serialNumber.toUpperCase(),
    fingerprintSha256: x.fingerprint256,
    notBefore: '2024-12-18T00:00:00.000Z',
    notAfter: '2025-12-18T00:00:00.000Z',
    key: { algorithm: 'RSA', bits: 2048 },
    signatureAlgorithm: 'sha256WithRSAEncryption',
    selfSigned: false,
    isCA: false,
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extendedKeyUsage: ['serverAuth', 'clientAuth'],
    chain: [],
    state: 'active',
    tags: { owner: 'web-team' },
    createdAt: '2024-12-18T00:10:00.000Z',
    keyVault: {
      vaultUri: 'https://kv-web.vault.azure.net/',
      version: v.version,
      enabled: true,
      nbf: '2024-12-18T00:00:00.000Z',
      exp: '2025-12-18T00:00:00.000Z',
      created: '2024-12-18T00:10:00.000Z',
      updated: '2024-12-18T00:10:00.000Z',
      recoveryLevel: 'Recoverable+Purgeable',
      recoverableDays: 90,
      thumbprintSha1: createHash('sha1').update(v.der).digest('hex').toUpperCase(),
      policy: {
        keyType: 'RSA',
        keySize: 2048,
        exportable: true,
        reuseKey: false,
        validityMonths: 12,
        issuerName: 'DigiCert',
        certificateType: 'OV-SSL',
        certificateTransparency: true,
        contentType: 'application/x-pkcs12',
        subject: 'CN=www.example.com',
        sans: { dns: ['www.example.com', 'example.com'] },
        lifetimeActions: [{ action: 'AutoRenew', daysBeforeExpiry: 30 }],
      },
    },
  });
});

test('an EC certificate with older versions: the current version only, Self issuer auto-renewing', () => {
  const c = cert('kv-web', 'api-ec');
  const s = stored('kv-web', 'api-ec');
  expect(s.versions).toHaveLength(3);
  expect(c).toMatchObject({
    key: { algorithm: 'EC', bits: 384, curve: 'P-384' },
    signatureAlgorithm: 'ecdsa-with-SHA384',
    selfSigned: true,
    state: 'active',
  });
  expect(c.keyVault!.version).toBe(s.versions[2].version);
  expect(c.keyVault!.policy).toEqual({
    keyType: 'EC',
    curve: 'P-384',
    exportable: true,
    reuseKey: false,
    validityMonths: 12,
    issuerName: 'Self',
    contentType: 'application/x-pkcs12',
    subject: 'CN=api.example.com',
    lifetimeActions: [{ action: 'AutoRenew', lifetimePercentage: 80 }],
  });
});

test('disabled, expired-without-renewal and imported (Unknown issuer) certificates', () => {
  expect(cert('kv-web', 'legacy-disabled')).toMatchObject({
    state: 'disabled',
    key: { algorithm: 'RSA', bits: 3072 },
    keyVault: { enabled: false },
  });
  const noRenew = cert('kv-web', 'no-renew');
  expect(noRenew.state).toBe('expired');
  expect(noRenew.keyVault!.policy!.lifetimeActions).toEqual([]);
  expect(cert('kv-web', 'imported').keyVault!.policy).toMatchObject({
    issuerName: 'Unknown',
    lifetimeActions: [{ action: 'EmailContacts', lifetimePercentage: 80 }],
  });
});

test('more certificates than one page: all 35 read, each once', () => {
  // Records stream as their reads complete; the report orders them by uid.
  const names = find('kv-web').certificates.map((c) => c.name);
  expect(new Set(names).size).toBe(35);
  expect(names.filter((n) => n.startsWith('bulk-'))).toHaveLength(30);
  const lists = h.sim.calls.filter((c) => c.action === 'GetCertificates' && c.scope === 'kv-web' && c.status === 200);
  expect(lists).toHaveLength(2); // 25 + 10
  expect(cert('kv-web', 'bulk-00007')).toMatchObject({
    commonName: 'host7.example.com',
    key: { algorithm: 'EC', curve: 'P-256' },
  });
});

test('access-policy vault with custom retention and purge protection', () => {
  expect(cert('kv-policy', 'edge').keyVault).toMatchObject({
    recoveryLevel: 'CustomizedRecoverable',
    recoverableDays: 30,
    vaultUri: 'https://kv-policy.vault.azure.net/',
  });
});

test('the call log: Key Vault challenge first, one list per page, one get per certificate, never a secret or a key', () => {
  const kv = h.sim.calls.filter((c) => c.service === 'azure-keyvault');
  expect(kv.find((c) => c.scope === 'kv-web')).toMatchObject({ action: 'GetCertificates', status: 401 });
  expect(kv.filter((c) => c.action === 'GetCertificate' && c.scope === 'kv-web')).toHaveLength(35);
  const actions = new Set(h.sim.calls.map((c) => c.action));
  // The simulator's cloud states no vault suffix: ARM's (anonymous) metadata gives it.
  expect([...actions].sort()).toEqual([
    'GetCertificate',
    'GetCertificates',
    'GetMetadataEndpoints',
    'Subscriptions_List',
    'Vaults_ListBySubscription',
  ]);
  expect(
    h.sim.calls.filter((c) => /vaults\/(secrets|keys)\//.test(c.permission) || /Secret|Key/.test(c.action)),
  ).toEqual([]);
});

test('configured subscriptions are visited without listing all; no record or error carries the token', async () => {
  expect(JSON.stringify(outcomes)).not.toContain(TOKEN);
  const only = await h.run({ subscriptions: [SUB_B] });
  expect(only.map((o) => o.location)).toEqual(['kv-policy', 'kv-firewall']);
});

test('the documented permissions suffice: with only them allowed, the run is the same', async () => {
  h.sim.configure({
    allowPermissions: [
      'Microsoft.Resources/subscriptions/read',
      'Microsoft.KeyVault/vaults/read',
      'Microsoft.KeyVault/vaults/certificates/read',
    ],
  });
  try {
    const again = await h.run();
    expect(again.map((o) => [o.location, o.status, o.certificates.length])).toEqual(
      outcomes.map((o) => [o.location, o.status, o.certificates.length]),
    );
    expect(again).toEqual(outcomes);
  } finally {
    h.sim.configure({});
  }
});
