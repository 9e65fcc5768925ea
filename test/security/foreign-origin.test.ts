/**
 * Azure tokens go only to origins the cloud owns. A simulated ARM and Key Vault, reached at their
 * real https names (management.azure.com, *.vault.azure.net, or a custom cloud's) through the real
 * SDK clients, answer with URLs on another host: a subscription-list nextLink, a vault-list
 * nextLink, a binding-list nextLink, a vaultUri, a certificate-list nextLink. That host is a real
 * server recording what it receives. It must receive nothing; the scope that met the URL fails
 * with `ForeignOrigin` naming the host; every other scope completes with all its records.
 */
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { ScenarioCa } from '../../src/sim/template.js';
import { azureServices, seedAzure, type AzureScenario } from '../../src/sim/azure/index.js';
import type { FaultRule } from '../../src/sim/types.js';
import { configSchema } from '../../src/config/schema.js';
import { audit } from '../../src/engine/runtime/audit.js';
import type { Origin } from '../../src/model/types.js';
import { createAzureKeyVaultProvider } from '../../providers/azure-keyvault/index.js';
import { createAzureAppGatewayProvider } from '../../providers/azure-appgateway/index.js';
import { routeByHost, startCollector, type Collector } from './collector.js';

const NOW = new Date('2025-06-01T00:00:00.000Z');
const SUB_A = '7a0c1d2e-0000-4000-8000-00000000000a';
const SUB_B = '7a0c1d2e-0000-4000-8000-00000000000b';
const TOKEN_ENV = 'CERTWARDEN_TEST_ORIGIN_TOKEN';
const TOKEN = 'origin-test-token-3c9e1f-never-leaves';
/** The host outside the cloud; its challenge names its parent domain, which the Key Vault client accepts. */
const FOREIGN = 'tokens.attacker.example';
const quiet = { info: () => {}, warn: () => {}, debug: () => {} };

const scenario = (keyVaultSuffix: string): AzureScenario => ({
  token: TOKEN,
  keyVaultSuffix,
  pageSize: { subscriptions: 1 },
  subscriptions: [
    {
      id: SUB_A,
      vaults: [
        {
          name: 'kv-good',
          certificates: [
            { name: 'web', cn: 'web.example.com' },
            { name: 'api', cn: 'api.example.com' },
            { name: 'mail', cn: 'mail.example.com' },
          ],
        },
        { name: 'kv-foreign', vaultUri: `https://${FOREIGN}/`, certificates: [{ name: 'x', cn: 'x.example.com' }] },
      ],
      appGateways: [{ name: 'agw-a', listeners: [{ name: 'web', certificate: 'kv-good/web' }] }],
    },
    {
      id: SUB_B,
      vaults: [
        {
          name: 'kv-other',
          certificates: [
            { name: 'one', cn: 'one.example.com' },
            { name: 'two', cn: 'two.example.com' },
          ],
        },
      ],
      appGateways: [{ name: 'agw-b', listeners: [{ name: 'one', certificate: 'kv-other/one' }] }],
    },
  ],
});

/** What each scope holds when it completes: certificates or bindings. */
const RECORDS: Record<string, number> = {
  [`azure-keyvault ${SUB_A}/kv-good`]: 3,
  [`azure-keyvault ${SUB_B}/kv-other`]: 2,
  [`azure-appgateway ${SUB_A}/*`]: 1,
  [`azure-appgateway ${SUB_B}/*`]: 1,
};
const FOREIGN_VAULT = `azure-keyvault ${SUB_A}/kv-foreign`;

interface Cloud {
  name: string;
  config: unknown;
  sim: SimServer;
}

const clouds: Cloud[] = [];
let collector: Collector;

beforeAll(async () => {
  collector = await startCollector('https://attacker.example');
  process.env[TOKEN_ENV] = TOKEN;
  const ca = new ScenarioCa(NOW);
  const start = (suffix: string) =>
    startSimServer(azureServices(seedAzure(scenario(suffix), ca, NOW)), {}, { now: () => NOW });
  clouds.push({ name: 'public', config: 'public', sim: await start('vault.azure.net') });
  // A custom https cloud that does not state its vault suffix: the setting of the finding.
  clouds.push({
    name: 'custom',
    config: { resourceManager: 'https://management.contoso.example' },
    sim: await start('vault.contoso.example'),
  });
}, 60_000);
afterAll(async () => {
  await collector?.close();
  for (const c of clouds) await c.sim.close();
});

const key = (s: Origin) => `${s.provider} ${s.account}/${s.location}`;

async function run(cloud: Cloud, faults: FaultRule[]) {
  cloud.sim.configure({ faults });
  collector.received.length = 0;
  const config = configSchema.parse({
    providers: {
      azure: {
        cloud: cloud.config,
        credential: { type: 'token', env: TOKEN_ENV },
        subscriptions: ['all'],
        maxAttempts: 2,
        services: { keyVault: true, appGateway: true, appService: false, frontDoor: false },
      },
    },
  });
  const options = { minDelayMs: 5, transport: routeByHost(FOREIGN, collector, cloud.sim.url) };
  const providers = [createAzureKeyVaultProvider(options), createAzureAppGatewayProvider(options)];
  return audit({ config, providers, rules: [], now: NOW, log: quiet });
}

const link = (service: string, action: string, scope?: string): FaultRule => ({
  kind: 'foreign-link',
  service,
  action,
  ...(scope ? { scope } : {}),
  host: FOREIGN,
});

const CASES: Array<[string, FaultRule[], Record<string, string>, string[]]> = [
  // The failed scopes beyond the foreign vault, each with the operation that met the URL; the scopes never listed.
  ['a vaultUri on a foreign host', [], {}, []],
  [
    'a subscription-list nextLink',
    [link('azure-arm', 'Subscriptions_List')],
    { 'azure-keyvault */*': 'Subscriptions_List', 'azure-appgateway */*': 'Subscriptions_List' },
    [`azure-keyvault ${SUB_B}/kv-other`, `azure-appgateway ${SUB_B}/*`],
  ],
  [
    'a vault-list nextLink',
    [link('azure-arm', 'Vaults_ListBySubscription', SUB_B)],
    { [`azure-keyvault ${SUB_B}/*`]: 'Vaults_ListBySubscription' },
    [`azure-keyvault ${SUB_B}/kv-other`],
  ],
  [
    'a binding-list nextLink',
    [link('azure-arm', 'ApplicationGateways_ListAll', SUB_A)],
    { [`azure-appgateway ${SUB_A}/*`]: 'ApplicationGateways_ListAll' },
    [],
  ],
  [
    'a certificate-list nextLink',
    [link('azure-keyvault', 'GetCertificates', 'kv-good')],
    { [`azure-keyvault ${SUB_A}/kv-good`]: 'GetCertificates' },
    [],
  ],
];

describe.each(['public', 'custom'])('%s cloud', (name) => {
  test.each(CASES)(
    '%s: nothing reaches the foreign host; that scope fails with the reason, the rest complete',
    async (_, faults, failing, unlisted) => {
      const cloud = clouds.find((c) => c.name === name)!;
      const { inventory } = await run(cloud, faults);
      expect(collector.received).toEqual([]);

      const failed: Record<string, string> = { [FOREIGN_VAULT]: 'Vaults_ListBySubscription', ...failing };
      const complete = Object.keys(RECORDS).filter((k) => !failed[k] && !unlisted.includes(k));
      expect(inventory.scopes.map(key).sort()).toEqual([...complete, ...Object.keys(failed)].sort());
      for (const s of inventory.scopes) {
        const k = key(s);
        if (failed[k]) {
          expect([k, s.status]).toEqual([k, expect.stringMatching(/^(failed|partial)$/)]);
          expect([k, s.error]).toEqual([
            k,
            expect.objectContaining({
              code: 'ForeignOrigin',
              operation: failed[k],
              message: expect.stringContaining(FOREIGN),
            }),
          ]);
          expect(s.error!.message).not.toContain(TOKEN);
        } else {
          expect([k, s.status, s.error, s.stats.certificates + s.stats.bindings]).toEqual([
            k,
            'ok',
            undefined,
            RECORDS[k],
          ]);
        }
      }
    },
  );
});
