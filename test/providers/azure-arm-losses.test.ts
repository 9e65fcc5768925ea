/**
 * What a denied or unreadable ARM call costs the App Service and Front Door providers, through
 * the real pipeline against the simulated ARM: the deployment slots only enrich (the production
 * apps' bindings stay), and one Front Door profile that cannot be read costs only itself.
 */
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { ScenarioCa } from '../../src/sim/template.js';
import { azureServices, seedAzure, type AzureScenario } from '../../src/sim/azure/index.js';
import { configSchema } from '../../src/config/schema.js';
import { activeRules } from '../../src/config/load.js';
import { audit, type AuditResult } from '../../src/engine/runtime/audit.js';
import { RULES } from '../../rules/index.js';
import type { SimOptions } from '../../src/sim/types.js';
import { createAzureKeyVaultProvider } from '../../providers/azure-keyvault/index.js';
import { createAzureAppServiceProvider } from '../../providers/azure-appservice/index.js';
import { createAzureFrontDoorProvider } from '../../providers/azure-frontdoor/index.js';

const NOW = new Date('2025-06-01T00:00:00.000Z');
const SUB = '0b1f6471-1bf0-4dda-aec3-cccccccccccc';
const TOKEN_ENV = 'CERTWARDEN_TEST_AZURE_LOSSES_TOKEN';
const TOKEN = 'sim-token-losses-do-not-print';
const quiet = { info: () => {}, warn: () => {}, debug: () => {} };

const scenario: AzureScenario = {
  token: TOKEN,
  subscriptions: [
    {
      id: SUB,
      vaults: [
        {
          name: 'kv-web',
          certificates: [
            { name: 'prod', cn: 'prod.example.com', expiresInDays: 200 },
            { name: 'staging', cn: 'staging.example.com', expiresInDays: 200 },
            { name: 'edge-a', cn: 'a.example.com', expiresInDays: 200 },
            { name: 'edge-b', cn: 'b.example.com', expiresInDays: 200 },
          ],
        },
      ],
      webCertificates: [
        { name: 'prod-cert', certificate: 'kv-web/prod', sites: [{ name: 'app', hostNames: ['prod.example.com'] }] },
        {
          name: 'staging-cert',
          certificate: 'kv-web/staging',
          sites: [{ name: 'app', slot: 'staging', hostNames: ['staging.example.com'] }],
        },
      ],
      frontDoors: [
        {
          name: 'fd-a',
          secrets: [{ name: 'a', certificate: 'kv-web/edge-a' }],
          domains: [{ name: 'a', hostName: 'a.example.com', secret: 'a' }],
        },
        {
          name: 'fd-b',
          secrets: [{ name: 'b', certificate: 'kv-web/edge-b' }],
          domains: [{ name: 'b', hostName: 'b.example.com', secret: 'b' }],
        },
      ],
    },
  ],
};

let sim: SimServer;
let run: (options?: SimOptions) => Promise<AuditResult>;

beforeAll(async () => {
  const world = seedAzure(scenario, new ScenarioCa(NOW), NOW);
  sim = await startSimServer(azureServices(world), {}, { now: () => NOW });
  process.env[TOKEN_ENV] = TOKEN;
  const providers = [
    createAzureKeyVaultProvider({ minDelayMs: 5 }),
    createAzureAppServiceProvider({ minDelayMs: 5 }),
    createAzureFrontDoorProvider({ minDelayMs: 5 }),
  ];
  run = async (options = {}) => {
    sim.configure(options);
    const config = configSchema.parse({
      providers: {
        azure: {
          cloud: { resourceManager: sim.url },
          credential: { type: 'token', env: TOKEN_ENV },
          subscriptions: [SUB],
          maxAttempts: 2,
        },
      },
    });
    return audit({ config, providers, rules: activeRules(config, RULES), now: NOW, log: quiet });
  };
}, 60_000);
afterAll(() => sim.close());

const scope = (r: AuditResult, provider: string) => r.inventory.scopes.find((s) => s.provider === provider)!;
const hosts = (r: AuditResult, provider: string) =>
  r.inventory.bindings
    .filter((b) => b.provider === provider)
    .map((b) => b.name)
    .sort();

test('App Service: with the slots read, the slot serves its certificate; denied, the production bindings stay and the scope names the slots', async () => {
  const full = await run();
  expect(scope(full, 'azure-appservice').status).toBe('ok');
  expect(hosts(full, 'azure-appservice')).toEqual(['app/prod.example.com', 'app/staging/staging.example.com']);

  const denied = await run({
    faults: [{ kind: 'denied', service: 'azure-arm', action: 'WebApps_ListByResourceGroup' }],
  });
  expect(scope(denied, 'azure-appservice')).toMatchObject({
    status: 'partial',
    error: {
      enrichment: 'slots',
      operation: 'WebApps_ListByResourceGroup',
      permission: 'Microsoft.Web/sites/read',
    },
  });
  const kept = denied.inventory.bindings.filter((b) => b.provider === 'azure-appservice');
  // The production app's binding is kept; the slot's host is absent, its certificate left unserved.
  expect(kept.find((b) => b.name === 'app/prod.example.com')).toMatchObject({ live: true, unread: ['slots'] });
  expect(kept.some((b) => b.name.includes('staging.example.com'))).toBe(false);
  expect(kept.find((b) => b.type === 'app-service-certificate')).toMatchObject({ name: 'staging-cert', live: false });
  expect(kept.every((b) => b.unread?.includes('slots'))).toBe(true);
}, 60_000);

test('Front Door: one profile whose secrets cannot be read costs only itself', async () => {
  const full = await run();
  expect(hosts(full, 'azure-frontdoor')).toHaveLength(2);
  const one = await run({
    faults: [{ kind: 'denied', service: 'azure-arm', action: 'Secrets_ListByProfile', count: 1 }],
  });
  expect(scope(one, 'azure-frontdoor')).toMatchObject({
    status: 'partial',
    error: { operation: 'Secrets_ListByProfile', permission: 'Microsoft.Cdn/profiles/secrets/read' },
  });
  expect(scope(one, 'azure-frontdoor').error!.message).toMatch(/^profile fd-[ab] not read: /);
  expect(hosts(one, 'azure-frontdoor')).toHaveLength(1);
}, 60_000);
