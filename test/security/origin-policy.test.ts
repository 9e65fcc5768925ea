/**
 * The origin rule (providers/azure-shared/origins.ts) and where it sits: in every pipeline
 * certwarden builds, ahead of the authentication policy, so a refused URL gets no token.
 */
import type { Pipeline } from '@azure/core-rest-pipeline';
import { configSchema } from '../../src/config/schema.js';
import { armClient, certificateClient } from '../../providers/azure-keyvault/fetch.js';
import { openSession } from '../../providers/azure-shared/session.js';
import { pipelineFor } from '../../providers/azure-shared/arm.js';
import { foreignOrigin } from '../../providers/azure-shared/origins.js';

const quiet = { info: () => {}, warn: () => {}, debug: () => {} };
const PUBLIC = { resourceManager: 'https://management.azure.com', keyVaultSuffix: 'vault.azure.net' };
const LOOPBACK = { resourceManager: 'https://127.0.0.1:7001', keyVaultSuffix: 'vault.azure.net' };

test.each([
  ['https://management.azure.com/subscriptions?api-version=2022-12-01&$skiptoken=x', PUBLIC, undefined],
  ['https://MANAGEMENT.azure.com:443/subscriptions', PUBLIC, undefined],
  [
    'https://management.azure.com:8443/subscriptions',
    PUBLIC,
    'https://management.azure.com:8443 is not Resource Manager (https://management.azure.com)',
  ],
  ['http://management.azure.com/subscriptions', PUBLIC, 'http://management.azure.com is not Resource Manager'],
  [
    'https://management.azure.com.attacker.example/subscriptions',
    PUBLIC,
    'https://management.azure.com.attacker.example is not Resource Manager',
  ],
  ['https://kv.vault.azure.net/certificates', PUBLIC, 'https://kv.vault.azure.net is not Resource Manager'],
  ['https://token:x@management.azure.com/subscriptions', PUBLIC, 'carries credentials'],
  ['https://127.0.0.1:7001/subscriptions', LOOPBACK, undefined],
  [
    'https://127.0.0.1:7002/subscriptions',
    LOOPBACK,
    'https://127.0.0.1:7002 is not Resource Manager (https://127.0.0.1:7001)',
  ],
  ['//management.azure.com/subscriptions', PUBLIC, 'is not a URL'],
] as const)('ARM pipelines: %s', (url, cloud, problem) => {
  const result = foreignOrigin(url, cloud, 'arm');
  if (problem === undefined) expect(result).toBeUndefined();
  else expect(result).toContain(problem);
});

test('a Key Vault pipeline reaches no vault while the suffix is unknown', () => {
  expect(
    foreignOrigin('https://kv.vault.azure.net/', { resourceManager: 'https://management.contoso.example' }, 'keyvault'),
  ).toContain('vault suffix is unknown');
});

test('every pipeline certwarden builds checks the origin before its authentication policy and its retries', async () => {
  process.env.CERTWARDEN_TEST_ORDER_TOKEN = 't';
  const config = configSchema.parse({
    providers: { azure: { credential: { type: 'token', env: 'CERTWARDEN_TEST_ORDER_TOKEN' } } },
  }).providers.azure!;
  const s = await openSession(config, quiet);
  // The Key Vault client keeps its pipeline in a private member; only this test reads it.
  const keyVault = (
    certificateClient(s, 'https://kv.vault.azure.net/') as unknown as { client: { pipeline: Pipeline } }
  ).client.pipeline;
  const pipelines: Array<[string, Pipeline]> = [
    [
      'arm-keyvault (subscriptions, vaults)',
      armClient(s, '00000000-0000-0000-0000-000000000000', 'Vaults_ListBySubscription').pipeline,
    ],
    ['ARM lists of the binding providers', pipelineFor(s, 'ApplicationGateways_ListAll')],
    ['Key Vault data plane', keyVault],
  ];
  for (const [name, pipeline] of pipelines) {
    const names = pipeline.getOrderedPolicies().map((p) => p.name);
    const at = (pattern: RegExp) => names.findIndex((n) => pattern.test(n));
    const origin = names.indexOf('certwardenOrigin');
    expect([name, names.filter((n) => n === 'certwardenOrigin').length]).toEqual([name, 1]);
    expect([
      name,
      at(/^(bearerToken|keyVault)AuthenticationPolicy$/) > origin,
      at(/^certwardenRetry$/) > origin,
    ]).toEqual([name, true, true]);
  }
});
