/**
 * App Service lists leave deployment slots out (docs/completeness.md): WebApps_List names
 * production apps only, and WebApps_ListByResourceGroup includes slots only with
 * includeSlots=true. A slot serves its own host names with its own TLS bindings, so certwarden
 * must see a Key Vault certificate a slot serves, through the real pipeline against the simulator.
 */
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { ScenarioCa } from '../../src/sim/template.js';
import { azureServices, seedAzure, type AzureScenario } from '../../src/sim/azure/index.js';
import { configSchema } from '../../src/config/schema.js';
import { activeRules } from '../../src/config/load.js';
import { audit, type AuditResult } from '../../src/engine/runtime/audit.js';
import { RULES } from '../../rules/index.js';
import { createAzureKeyVaultProvider } from '../../providers/azure-keyvault/index.js';
import { createAzureAppServiceProvider } from '../../providers/azure-appservice/index.js';
import { armListAll } from '../../providers/azure-shared/arm.js';
import { openSession } from '../../providers/azure-shared/session.js';

const NOW = new Date('2025-06-01T00:00:00.000Z');
const SUB = '0b1f6471-1bf0-4dda-aec3-cccccccccccc';
const TOKEN_ENV = 'CERTWARDEN_TEST_AZURE_SLOTS_TOKEN';
const quiet = { info: () => {}, warn: () => {}, debug: () => {} };

const scenario: AzureScenario = {
  token: 'sim-token-slots',
  pageSize: { resources: 1 },
  subscriptions: [
    {
      id: SUB,
      vaults: [
        {
          name: 'kv-apps',
          certificates: [
            { name: 'shop', cn: 'shop.example.com', sans: ['shop.example.com', 'staging.shop.example.com'] },
            { name: 'beta', cn: 'beta.example.com', expiresInDays: 4 },
          ],
        },
      ],
      webCertificates: [
        {
          name: 'shop-cert',
          certificate: 'kv-apps/shop',
          sites: [
            { name: 'app-shop', hostNames: ['shop.example.com'] },
            { name: 'app-shop', slot: 'staging', hostNames: ['staging.shop.example.com'] },
          ],
        },
        // Served by a slot only: without the slots it looks unused, and its expiry unbound.
        {
          name: 'beta-cert',
          resourceGroup: 'rg-beta',
          certificate: 'kv-apps/beta',
          sites: [{ name: 'app-beta', slot: 'preview', hostNames: ['beta.example.com'] }],
        },
      ],
    },
  ],
};

let sim: SimServer;
let r: AuditResult;
const config = () =>
  configSchema.parse({
    providers: {
      azure: {
        cloud: { resourceManager: sim.url },
        credential: { type: 'token', env: TOKEN_ENV },
        subscriptions: [SUB],
        maxAttempts: 2,
      },
    },
  });

beforeAll(async () => {
  sim = await startSimServer(azureServices(seedAzure(scenario, new ScenarioCa(NOW), NOW)), {}, { now: () => NOW });
  process.env[TOKEN_ENV] = scenario.token;
  const providers = [createAzureKeyVaultProvider({ minDelayMs: 5 }), createAzureAppServiceProvider({ minDelayMs: 5 })];
  r = await audit({ config: config(), providers, rules: activeRules(config(), RULES), now: NOW, log: quiet });
}, 60_000);
afterAll(() => sim.close());

test('the simulator lists slots only by resource group with includeSlots=true, as documented', async () => {
  const s = await openSession(config().providers.azure!, quiet);
  const names = async (path: string) =>
    (await armListAll<{ name: string }>(s, path, '2024-11-01', 'test', 'test')).map((x) => x.name).sort();
  expect(await names(`/subscriptions/${SUB}/providers/Microsoft.Web/sites`)).toEqual(['app-beta', 'app-shop']);
  expect(await names(`/subscriptions/${SUB}/resourceGroups/rg-web/providers/Microsoft.Web/sites`)).toEqual([
    'app-shop',
  ]);
  expect(
    await names(`/subscriptions/${SUB}/resourceGroups/rg-web/providers/Microsoft.Web/sites?includeSlots=true`),
  ).toEqual(['app-shop', 'app-shop/staging']);
});

test('certwarden binds the host names deployment slots serve', () => {
  expect(r.inventory.scopes.map((s) => `${s.provider} ${s.status}`).sort()).toEqual([
    'azure-appservice ok',
    'azure-keyvault ok',
  ]);
  const hosts = r.inventory.bindings.map((b) => b.name).sort();
  expect(hosts).toEqual([
    'app-beta/preview/beta.example.com',
    'app-shop/shop.example.com',
    'app-shop/staging/staging.shop.example.com',
  ]);
  const beta = r.inventory.certificates.find((c) => c.name === 'beta')!;
  const slot = r.inventory.bindings.find((b) => b.name === 'app-beta/preview/beta.example.com')!;
  expect(slot).toMatchObject({ type: 'app-service-host', live: true, certificateUid: beta.uid });
});

test('a certificate served only by a slot is in use, and its expiry names the slot', () => {
  const beta = r.inventory.certificates.find((c) => c.name === 'beta')!;
  expect(r.findings.filter((f) => f.ruleId === 'unused-certificate' && f.resource.uid === beta.uid)).toEqual([]);
  const expiring = r.findings.find((f) => f.ruleId === 'cert-expiring' && f.resource.uid === beta.uid)!;
  expect(expiring.related.some((u) => u.includes('/slots/preview/'))).toBe(true);
});
