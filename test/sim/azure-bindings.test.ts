/**
 * The simulated binding services on the wire: ARM's bearer check, api-version refusal, absolute
 * next links, denied subscriptions and missing profiles in ARM's error shapes, throttling with
 * Retry-After, and resource shapes as the REST specs' examples spell them.
 */
import { request } from 'node:http';
import { createHash } from 'node:crypto';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { ScenarioCa } from '../../src/sim/template.js';
import { azureServices, seedAzure, type AzureWorld } from '../../src/sim/azure/index.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const SUB = '5e2a0c7b-0000-4000-8000-0000000000a1';
const DENIED = '5e2a0c7b-0000-4000-8000-0000000000a2';
let sim: SimServer;
let world: AzureWorld;

beforeAll(async () => {
  world = seedAzure(
    {
      pageSize: { resources: 1 },
      subscriptions: [
        {
          id: SUB,
          vaults: [{ name: 'kv-sim', certificates: [{ name: 'web', cn: 'web.example.com', versions: 1 }] }],
          appGateways: [
            {
              name: 'agw-1',
              listeners: [
                { name: 'a', hostNames: ['a.example.com', 'b.example.com'], certificate: 'kv-sim/web' },
                { name: 'pinned', port: 8443, certificate: 'kv-sim/web', version: 'previous' },
              ],
            },
            { name: 'agw-2', public: false, state: 'Stopped', listeners: [{ name: 'u', inline: true }] },
          ],
          webCertificates: [
            { name: 'web-cert', certificate: 'kv-sim/web', sites: [{ name: 'app-1', hostNames: ['www.example.com'] }] },
            { name: 'gone', certificate: 'kv-sim/deleted' },
          ],
          frontDoors: [
            {
              name: 'fd-1',
              secrets: [{ name: 's', certificate: 'kv-sim/web' }],
              domains: [
                { name: 'd', hostName: 'www.example.com', secret: 's' },
                { name: 'm', hostName: 'm.example.com' },
              ],
            },
          ],
        },
        { id: DENIED, access: 'denied' },
      ],
    },
    new ScenarioCa(NOW),
    NOW,
  );
  sim = await startSimServer(azureServices(world), {}, { now: () => NOW });
});
afterAll(() => sim.close());

function get(
  path: string,
  headers: Record<string, string> = { authorization: 'Bearer t' },
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

async function all(path: string): Promise<any[]> {
  const out: any[] = [];
  let next: string | undefined = path;
  while (next) {
    const r = await get(next);
    expect(r.status).toBe(200);
    out.push(...r.body.value);
    next = r.body.nextLink ? new URL(r.body.nextLink).pathname + new URL(r.body.nextLink).search : undefined;
  }
  return out;
}

const GATEWAYS = `/subscriptions/${SUB}/providers/Microsoft.Network/applicationGateways?api-version=2025-03-01`;

test('ARM refuses a request without a bearer token, and an api-version the resource provider does not have', async () => {
  const anon = await get(GATEWAYS, {});
  expect(anon.status).toBe(401);
  expect(anon.body.error.code).toBe('AuthenticationFailed');
  const old = await get(`/subscriptions/${SUB}/providers/Microsoft.Web/certificates?api-version=2016-03-01`);
  expect(old.status).toBe(400);
  expect(old.body.error).toMatchObject({
    code: 'NoRegisteredProviderFound',
    message: expect.stringContaining("The supported api-versions are '2024-11-01'"),
  });
});

test('pages are one resource each, with absolute next links that keep the api-version', async () => {
  const first = await get(GATEWAYS, { authorization: 'Bearer t', 'x-forwarded-proto': 'https' });
  expect(first.body.value).toHaveLength(1);
  expect(first.body.nextLink).toMatch(
    new RegExp(
      `^https://127\\.0\\.0\\.1:${sim.port}/subscriptions/${SUB}/providers/Microsoft\\.Network/applicationGateways\\?api-version=2025-03-01&\\$skiptoken=`,
    ),
  );
  expect((await all(GATEWAYS)).map((g) => g.name)).toEqual(['agw-1', 'agw-2']);
});

test('a gateway: Key Vault secret ids (versionless with the trailing slash, or pinned), uploaded certificates, frontends and state', async () => {
  const [gw1, gw2] = await all(GATEWAYS);
  const previous = world.vaults.get('kv-sim.vault.azure.net')!.byName.get('web')!.versions[0].version;
  expect(gw1.properties.sslCertificates.map((c: any) => c.properties.keyVaultSecretId)).toEqual([
    'https://kv-sim.vault.azure.net/secrets/web/',
    `https://kv-sim.vault.azure.net/secrets/web/${previous}`,
  ]);
  expect(gw1.properties.httpListeners[0].properties).toMatchObject({
    protocol: 'Https',
    hostNames: ['a.example.com', 'b.example.com'],
    sslCertificate: { id: gw1.properties.sslCertificates[0].id },
  });
  expect(gw1.properties.frontendIPConfigurations[0].properties.publicIPAddress.id).toMatch(
    /publicIPAddresses\/pip-agw-1$/,
  );
  expect(gw1.properties.operationalState).toBe('Running');
  expect(gw1.identity.type).toBe('UserAssigned');
  expect(gw2.properties).toMatchObject({
    operationalState: 'Stopped',
    sslCertificates: [{ properties: { publicCertData: expect.any(String) } }],
  });
  expect(gw2.properties.frontendIPConfigurations[0].properties.privateIPAddress).toBe('10.0.0.10');
});

test('App Service: the certificate names its vault by ARM id and carries the current thumbprint; the site serves it by SNI', async () => {
  const certs = await all(`/subscriptions/${SUB}/providers/Microsoft.Web/certificates?api-version=2024-11-01`);
  const current = world.vaults.get('kv-sim.vault.azure.net')!.byName.get('web')!.versions[1];
  const thumbprint = createHash('sha1').update(current.der).digest('hex').toUpperCase();
  expect(certs[0].properties).toMatchObject({
    keyVaultId: `/subscriptions/${SUB}/resourceGroups/rg-certificates/providers/Microsoft.KeyVault/vaults/kv-sim`,
    keyVaultSecretName: 'web',
    keyVaultSecretStatus: 'Succeeded',
    thumbprint,
    subjectName: 'web.example.com',
  });
  expect(certs[1].properties.keyVaultSecretStatus).toBe('KeyVaultSecretDoesNotExist');
  const [site] = await all(`/subscriptions/${SUB}/providers/Microsoft.Web/sites?api-version=2024-11-01`);
  expect(site.properties.hostNameSslStates).toContainEqual({
    name: 'www.example.com',
    sslState: 'SniEnabled',
    thumbprint,
    hostType: 'Standard',
  });
});

test('Front Door: profiles, customer and managed secrets, domains; child lists by the profile id, case-insensitively', async () => {
  const [profile] = await all(`/subscriptions/${SUB}/providers/Microsoft.Cdn/profiles?api-version=2025-06-01`);
  expect(profile).toMatchObject({
    sku: { name: 'Standard_AzureFrontDoor' },
    kind: 'frontdoor',
    properties: { resourceState: 'Active' },
  });
  expect(profile.id).toContain('/resourcegroups/rg-edge/');
  const secrets = await all(
    `${profile.id.toUpperCase().replace('/SUBSCRIPTIONS/', '/subscriptions/')}/secrets?api-version=2025-06-01`,
  );
  expect(secrets.map((s) => s.properties.parameters.type)).toEqual(['CustomerCertificate', 'ManagedCertificate']);
  expect(secrets[0].properties.parameters).toMatchObject({
    secretSource: {
      id: `/subscriptions/${SUB}/resourceGroups/rg-certificates/providers/Microsoft.KeyVault/vaults/kv-sim/secrets/web`,
    },
    useLatestVersion: true,
  });
  const domains = await all(`${profile.id}/customDomains?api-version=2025-06-01`);
  expect(domains[0].properties.tlsSettings).toMatchObject({
    certificateType: 'CustomerCertificate',
    secret: { id: expect.stringContaining('/Microsoft.Cdn/Profiles/fd-1/secrets/s') },
  });
  const missing = await get(
    `/subscriptions/${SUB}/resourceGroups/rg-edge/providers/Microsoft.Cdn/profiles/nope/secrets?api-version=2025-06-01`,
  );
  expect(missing.status).toBe(404);
  expect(missing.body.error.code).toBe('ResourceNotFound');
});

test('a denied subscription answers AuthorizationFailed naming the action; throttling answers 429 with Retry-After', async () => {
  const denied = await get(`/subscriptions/${DENIED}/providers/Microsoft.Cdn/profiles?api-version=2025-06-01`);
  expect(denied.status).toBe(403);
  expect(denied.body.error).toMatchObject({
    code: 'AuthorizationFailed',
    message: expect.stringContaining(`'Microsoft.Cdn/profiles/read' over scope '/subscriptions/${DENIED}'`),
  });
  sim.configure({ faults: [{ kind: 'throttle', action: 'WebApps_List', count: 1 }] });
  try {
    const throttled = await get(`/subscriptions/${SUB}/providers/Microsoft.Web/sites?api-version=2024-11-01`);
    expect(throttled.status).toBe(429);
    expect(throttled.headers['retry-after']).toBe('1');
    expect(throttled.body.error.code).toBe('SubscriptionRequestsThrottled');
  } finally {
    sim.configure({});
  }
});
