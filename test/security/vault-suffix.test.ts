/**
 * A custom cloud that does not state its vault suffix takes it from Resource Manager's metadata
 * (`GET /metadata/endpoints?api-version=2022-09-01`, anonymous); when the metadata does not give
 * it, every Azure scope fails with a config error naming `providers.azure.cloud.keyVaultSuffix`,
 * and nothing else is called.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { ScenarioCa } from '../../src/sim/template.js';
import { azureServices, seedAzure } from '../../src/sim/azure/index.js';
import { configSchema } from '../../src/config/schema.js';
import { audit } from '../../src/engine/runtime/audit.js';
import { createAzureKeyVaultProvider } from '../../providers/azure-keyvault/index.js';
import { createAzureAppGatewayProvider } from '../../providers/azure-appgateway/index.js';
import { loopbackHttpClient } from '../../providers/azure-shared/pipeline.js';
import { resolveCloud } from '../../providers/azure-shared/cloud.js';
import { vaultSuffixFromArm } from '../../providers/azure-shared/metadata.js';

const NOW = new Date('2025-06-01T00:00:00.000Z');
const SUB = '7a0c1d2e-0000-4000-8000-0000000000c1';
const TOKEN_ENV = 'CERTWARDEN_TEST_SUFFIX_TOKEN';
const ARM = 'https://management.contoso.example';
const quiet = { info: () => {}, warn: () => {}, debug: () => {} };

let sim: SimServer;
const sent: Array<{ url: string; authorization?: string }> = [];

beforeAll(async () => {
  process.env[TOKEN_ENV] = 'suffix-test-token';
  const world = seedAzure(
    {
      token: 'suffix-test-token',
      keyVaultSuffix: 'vault.contoso.example',
      subscriptions: [
        {
          id: SUB,
          vaults: [{ name: 'kv-c', certificates: [{ name: 'web', cn: 'web.example.com' }] }],
          appGateways: [{ name: 'agw', listeners: [{ name: 'web', certificate: 'kv-c/web' }] }],
        },
      ],
    },
    new ScenarioCa(NOW),
    NOW,
  );
  sim = await startSimServer(azureServices(world), {}, { now: () => NOW });
});
afterAll(() => sim.close());

/** Every request, as it leaves for the network (the simulator, over loopback). */
function recording(inner: HttpClient): HttpClient {
  return {
    sendRequest: (request) => (
      sent.push({ url: request.url, authorization: request.headers.get('authorization') }),
      inner.sendRequest(request)
    ),
  };
}

async function run(cloud: Record<string, unknown>, faults = [] as Parameters<SimServer['configure']>[0]['faults']) {
  sim.configure({ faults });
  sim.calls.length = 0;
  sent.length = 0;
  const config = configSchema.parse({
    providers: {
      azure: {
        cloud,
        credential: { type: 'token', env: TOKEN_ENV },
        subscriptions: ['all'],
        maxAttempts: 2,
        services: { keyVault: true, appGateway: true, appService: false, frontDoor: false },
      },
    },
  });
  const options = { minDelayMs: 5, transport: recording(loopbackHttpClient(new URL(sim.url))) };
  const { inventory } = await audit({
    config,
    providers: [createAzureKeyVaultProvider(options), createAzureAppGatewayProvider(options)],
    rules: [],
    now: NOW,
    log: quiet,
  });
  return inventory.scopes
    .map((s) => ({ scope: `${s.provider} ${s.account}/${s.location}`, status: s.status, error: s.error }))
    .sort((a, b) => (a.scope < b.scope ? -1 : 1));
}

test('not stated: read once, without a token, from ARM; the run completes', async () => {
  const scopes = await run({ resourceManager: ARM });
  expect(scopes).toEqual([
    { scope: `azure-appgateway ${SUB}/*`, status: 'ok', error: undefined },
    { scope: `azure-keyvault ${SUB}/kv-c`, status: 'ok', error: undefined },
  ]);
  const metadata = sent.filter((r) => r.url.includes('/metadata/endpoints'));
  expect(metadata).toEqual([{ url: `${ARM}/metadata/endpoints?api-version=2022-09-01`, authorization: undefined }]);
  expect(sim.calls.filter((c) => c.action === 'GetMetadataEndpoints')).toEqual([
    expect.objectContaining({ service: 'azure-metadata', anonymous: true, status: 200 }),
  ]);
});

test('stated: the metadata is not read', async () => {
  const scopes = await run({ resourceManager: ARM, keyVaultSuffix: 'vault.contoso.example' });
  expect(scopes.map((s) => s.status)).toEqual(['ok', 'ok']);
  expect(sim.calls.filter((c) => c.action === 'GetMetadataEndpoints')).toEqual([]);
});

test('not stated and not given: every Azure scope fails naming the key, and nothing else is called', async () => {
  const scopes = await run({ resourceManager: ARM }, [{ kind: 'denied', service: 'azure-metadata' }]);
  const error = {
    code: 'ConfigError',
    operation: 'GetMetadataEndpoints',
    message: expect.stringContaining('providers.azure.cloud.keyVaultSuffix is not set'),
  };
  expect(scopes).toEqual([
    { scope: 'azure-appgateway */*', status: 'failed', error },
    { scope: 'azure-keyvault */*', status: 'failed', error },
  ]);
  expect(scopes[0].error!.message).toContain(`GET ${ARM}/metadata/endpoints?api-version=2022-09-01`);
  expect(sim.calls.map((c) => c.action)).toEqual(['GetMetadataEndpoints']);
});

describe('answers of other shapes', () => {
  let server: Server;
  let answer = '';
  let httpClient: HttpClient;
  const pass = {
    name: 'none',
    sendRequest: (
      r: Parameters<HttpClient['sendRequest']>[0],
      next: (r: Parameters<HttpClient['sendRequest']>[0]) => ReturnType<HttpClient['sendRequest']>,
    ) => next(r),
  };
  beforeAll(async () => {
    server = createServer((_, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(answer));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    httpClient = loopbackHttpClient(new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const cloud = resolveCloud({ resourceManager: ARM });
  const entry = (resourceManager: string, keyVaultDns: unknown) => ({
    name: resourceManager,
    resourceManager: `${resourceManager}/`,
    suffixes: { keyVaultDns },
  });

  test.each([
    [
      'a list of clouds (api-version 2019-05-01): the one whose resourceManager is ours',
      [entry('https://management.azure.com', 'vault.azure.net'), entry(ARM, '.vault.contoso.example')],
      'vault.contoso.example',
    ],
    ['one cloud whose suffix is a top-level domain', entry(ARM, 'example'), /suffixes.keyVaultDns is not a DNS suffix/],
    [
      'a list without this cloud',
      [
        entry('https://management.azure.com', 'vault.azure.net'),
        entry('https://management.usgovcloudapi.net', 'vault.usgovcloudapi.net'),
      ],
      /no suffixes.keyVaultDns for this cloud/,
    ],
    ['no suffixes at all', { name: 'x' }, /no suffixes.keyVaultDns/],
    ['not JSON', '<html>', /not JSON/],
  ])('%s', async (_, body, expected) => {
    answer = typeof body === 'string' ? body : JSON.stringify(body);
    const result = vaultSuffixFromArm(cloud, httpClient, pass);
    if (typeof expected === 'string') await expect(result).resolves.toBe(expected);
    else await expect(result).rejects.toMatchObject({ code: 'ConfigError', message: expect.stringMatching(expected) });
  });
});
