/**
 * The simulated Azure on the wire: Key Vault's challenge, page sizes and error shapes, ARM's
 * bearer checks and absolute next links, and the refusal to serve secrets or keys. Raw HTTP where
 * the bytes matter, the real CertificateClient where the SDK's reading of them matters.
 */
import { request } from 'node:http';
import { CertificateClient } from '@azure/keyvault-certificates';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { ScenarioCa } from '../../src/sim/template.js';
import { azureServices, seedAzure, DEFAULT_TENANT, type AzureWorld } from '../../src/sim/azure/index.js';
import { loopbackHttpClient } from '../../providers/azure-shared/pipeline.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const SUB = '5e2a0c7b-0000-4000-8000-000000000001';
let sim: SimServer;
let world: AzureWorld;

beforeAll(async () => {
  world = seedAzure(
    {
      pageSize: { subscriptions: 1 },
      subscriptions: [
        {
          id: SUB,
          displayName: 'One',
          vaults: [
            {
              name: 'kv-sim',
              generate: { count: 27, template: { cn: 'n{i}.example.com', key: 'ec-p256' } },
              certificates: [{ name: 'aged', cn: 'aged.example.com', versions: 2 }],
            },
          ],
        },
        { id: '5e2a0c7b-0000-4000-8000-000000000002', state: 'Disabled' },
      ],
    },
    new ScenarioCa(NOW),
    NOW,
  );
  sim = await startSimServer(azureServices(world), {}, { now: () => NOW });
});
afterAll(() => sim.close());

function raw(
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }> {
  return new Promise((resolve, reject) => {
    const req = request(`${sim.url}${path}`, { headers }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

const vault = { host: 'kv-sim.vault.azure.net', authorization: 'Bearer t' };

test('Key Vault: the first request without a token gets the bearer challenge', async () => {
  const r = await raw('/certificates?api-version=2025-07-01', { host: vault.host });
  expect(r.status).toBe(401);
  expect(r.headers['www-authenticate']).toBe(
    `Bearer authorization="https://login.microsoftonline.com/${DEFAULT_TENANT}", resource="https://vault.azure.net"`,
  );
  expect(r.body).toEqual({
    error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' },
  });
});

test('Key Vault: 25 a page at most, absolute next links on :443, items without bytes', async () => {
  const first = await raw('/certificates?api-version=2025-07-01', vault);
  expect(first.status).toBe(200);
  expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(first.body.value).toHaveLength(25);
  expect(first.body.nextLink).toMatch(
    /^https:\/\/kv-sim\.vault\.azure\.net:443\/certificates\?api-version=2025-07-01&\$skiptoken=/,
  );
  expect(Object.keys(first.body.value[0]).sort()).toEqual(['attributes', 'id', 'x5t']);
  expect(first.body.value[0].id).toBe('https://kv-sim.vault.azure.net/certificates/aged');
  const next = new URL(first.body.nextLink);
  const second = await raw(`${next.pathname}${next.search}`, vault);
  expect(second.body.value).toHaveLength(3);
  expect(second.body.nextLink).toBeUndefined();
  expect((await raw('/certificates?api-version=2025-07-01&maxresults=26', vault)).body.error.code).toBe('BadParameter');
});

test('Key Vault: a bundle carries versioned ids, base64 DER, epoch-second attributes and the policy', async () => {
  const r = await raw('/certificates/aged/?api-version=2025-07-01', vault);
  const v = world.vaults.get(vault.host)!.byName.get('aged')!.versions[2];
  expect(r.body).toMatchObject({
    id: `https://kv-sim.vault.azure.net/certificates/aged/${v.version}`,
    kid: `https://kv-sim.vault.azure.net/keys/aged/${v.version}`,
    sid: `https://kv-sim.vault.azure.net/secrets/aged/${v.version}`,
    x5t: v.x5t,
    cer: v.der.toString('base64'),
    attributes: {
      enabled: true,
      nbf: v.nbf,
      exp: v.exp,
      created: v.created,
      updated: v.updated,
      recoveryLevel: 'Recoverable+Purgeable',
      recoverableDays: 90,
    },
    policy: {
      id: 'https://kv-sim.vault.azure.net/certificates/aged/policy',
      key_props: { exportable: true, kty: 'RSA', key_size: 2048, reuse_key: false },
      secret_props: { contentType: 'application/x-pkcs12' },
      x509_props: { subject: 'CN=aged.example.com', validity_months: 12 },
      lifetime_actions: [{ trigger: { lifetime_percentage: 80 }, action: { action_type: 'EmailContacts' } }],
      issuer: { name: 'Unknown' },
    },
  });
  expect((await raw('/certificates/missing/?api-version=2025-07-01', vault)).body.error.code).toBe(
    'CertificateNotFound',
  );
});

test('Key Vault: secrets and keys are refused with 403 and logged', async () => {
  sim.calls.length = 0;
  expect((await raw('/secrets/aged/?api-version=2025-07-01', vault)).status).toBe(403);
  expect((await raw('/keys?api-version=2025-07-01', vault)).status).toBe(403);
  expect(sim.calls.map((c) => [c.action, c.status])).toEqual([
    ['GetSecret', 403],
    ['GetKeys', 403],
  ]);
});

test('the real CertificateClient reads versions and the policy through the loopback transport', async () => {
  const client = new CertificateClient(
    'https://kv-sim.vault.azure.net',
    { getToken: () => Promise.resolve({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) },
    { httpClient: loopbackHttpClient(new URL(sim.url)), retryOptions: { maxRetries: 0 } },
  );
  const versions = [];
  for await (const p of client.listPropertiesOfCertificateVersions('aged')) versions.push(p);
  expect(versions.map((p) => p.version)).toEqual(
    world.vaults
      .get(vault.host)!
      .byName.get('aged')!
      .versions.map((v) => v.version),
  );
  const policy = await client.getCertificatePolicy('aged');
  expect(policy).toMatchObject({
    issuerName: 'Unknown',
    keyType: 'RSA',
    keySize: 2048,
    lifetimeActions: [{ action: 'EmailContacts', lifetimePercentage: 80 }],
  });
  const old = await client.getCertificateVersion('aged', versions[0].version!);
  expect(old.properties.expiresOn!.getTime()).toBeLessThan(NOW.getTime());
});

test('ARM: 401 without a bearer token, paged subscriptions with https next links behind a TLS hop', async () => {
  const anon = await raw('/subscriptions?api-version=2022-12-01');
  expect(anon.status).toBe(401);
  expect(anon.body.error.code).toBe('AuthenticationFailed');
  const page = await raw('/subscriptions?api-version=2022-12-01', {
    authorization: 'Bearer t',
    'x-forwarded-proto': 'https',
  });
  expect(page.body.value).toEqual([
    expect.objectContaining({
      id: `/subscriptions/${SUB}`,
      subscriptionId: SUB,
      tenantId: DEFAULT_TENANT,
      state: 'Enabled',
    }),
  ]);
  expect(page.body.nextLink).toMatch(
    new RegExp(`^https://127\\.0\\.0\\.1:${sim.port}/subscriptions\\?api-version=2022-12-01&\\$skiptoken=`),
  );
  expect((await raw('/subscriptions', { authorization: 'Bearer t' })).body.error.code).toBe(
    'MissingApiVersionParameter',
  );
});

test('ARM: vaults carry vaultUri, tenant, sku and the permission model', async () => {
  const r = await raw(`/subscriptions/${SUB}/providers/Microsoft.KeyVault/vaults?api-version=2026-02-01`, {
    authorization: 'Bearer t',
  });
  expect(r.body.value[0]).toMatchObject({
    id: `/subscriptions/${SUB}/resourceGroups/rg-certificates/providers/Microsoft.KeyVault/vaults/kv-sim`,
    type: 'Microsoft.KeyVault/vaults',
    properties: {
      vaultUri: 'https://kv-sim.vault.azure.net/',
      tenantId: DEFAULT_TENANT,
      sku: { family: 'A', name: 'standard' },
      enableRbacAuthorization: true,
    },
  });
  expect(
    (
      await raw('/subscriptions/nope/providers/Microsoft.KeyVault/vaults?api-version=2026-02-01', {
        authorization: 'Bearer t',
      })
    ).body.error.code,
  ).toBe('SubscriptionNotFound');
});

// Seeding time is the benchmark's figure (`seeded in` in `npm run bench`), not a test's timer.
test('seeding is deterministic, and seeds a thousand certificates', () => {
  const ca = new ScenarioCa(NOW);
  const scenario = (count: number) => ({
    subscriptions: [
      { id: SUB, vaults: [{ name: 'kv-big', generate: { count, template: { cn: 'b{i}.example.com' } } }] },
    ],
  });
  const ids = (w: AzureWorld) =>
    w.vaults
      .get('kv-big.vault.azure.net')!
      .certificates.map((c) => `${c.name}/${c.versions[0].version}/${c.versions[0].nbf}`);
  expect(ids(seedAzure(scenario(20), ca, NOW))).toEqual(ids(seedAzure(scenario(20), ca, NOW)));
  expect(ids(seedAzure(scenario(1000), ca, NOW))).toHaveLength(1000);
});
