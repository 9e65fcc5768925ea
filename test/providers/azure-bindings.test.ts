/**
 * End to end: Key Vault, Application Gateway, App Service and Front Door providers through the
 * real Azure pipeline against the simulated ARM and Key Vault, then the linker and the rules.
 * Every ARM list is paged one item a page.
 */
import { readFileSync } from 'node:fs';
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import { ScenarioCa } from '../../src/sim/template.js';
import { azureServices, seedAzure, type AzureScenario } from '../../src/sim/azure/index.js';
import { configSchema } from '../../src/config/schema.js';
import { activeRules } from '../../src/config/load.js';
import { audit, type AuditResult } from '../../src/engine/runtime/audit.js';
import { RULES } from '../../rules/index.js';
import type { SimOptions } from '../../src/sim/types.js';
import { createAzureKeyVaultProvider } from '../../providers/azure-keyvault/index.js';
import { createAzureAppGatewayProvider } from '../../providers/azure-appgateway/index.js';
import { createAzureAppServiceProvider } from '../../providers/azure-appservice/index.js';
import { createAzureFrontDoorProvider } from '../../providers/azure-frontdoor/index.js';

const NOW = new Date('2025-06-01T00:00:00.000Z');
const SUB_A = '0b1f6471-1bf0-4dda-aec3-aaaaaaaaaaaa';
const SUB_B = '0b1f6471-1bf0-4dda-aec3-bbbbbbbbbbbb';
const TOKEN_ENV = 'CERTWARDEN_TEST_AZURE_BINDINGS_TOKEN';
const TOKEN = 'sim-token-bindings-do-not-print';
const quiet = { info: () => {}, warn: () => {}, debug: () => {} };

const scenario: AzureScenario = {
  token: TOKEN,
  pageSize: { resources: 1 },
  subscriptions: [
    {
      id: SUB_A,
      vaults: [
        {
          name: 'kv-web',
          certificates: [
            { name: 'shop', cn: 'shop.example.com', expiresInDays: 5 },
            { name: 'portal', cn: 'portal.example.com', enabled: false, expiresInDays: 200 },
            { name: 'edge', cn: 'www.example.com', expiresInDays: 200, versions: 2 },
            { name: 'internal', cn: 'intranet.example.com', expiresInDays: 250 },
            { name: 'idle', cn: 'idle.example.com', expiresInDays: 300 },
          ],
        },
      ],
      appGateways: [
        {
          name: 'agw-shop',
          listeners: [
            { name: 'shop', hostNames: ['shop.example.com'], certificate: 'kv-web/shop' },
            { name: 'legacy', port: 8443, certificate: 'kv-web/deleted-cert' },
            { name: 'uploaded', port: 9443, inline: true },
            { name: 'http', protocol: 'Http', port: 80 },
            { name: 'elsewhere', port: 10443, certificate: 'kv-unknown/other' },
          ],
        },
        {
          name: 'agw-internal',
          public: false,
          state: 'Stopped',
          listeners: [{ name: 'intranet', certificate: 'kv-web/internal', version: 'current' }],
        },
      ],
      webCertificates: [
        {
          name: 'portal-cert',
          certificate: 'kv-web/portal',
          sites: [{ name: 'app-portal', hostNames: ['portal.example.com'] }],
        },
        { name: 'gone-vault-cert', certificate: 'kv-gone/thing' },
        { name: 'other-sub-cert', certificate: 'kv-b/thing' },
      ],
      frontDoors: [
        {
          name: 'fd-edge',
          secrets: [
            { name: 'edge-latest', certificate: 'kv-web/edge' },
            { name: 'edge-pinned', certificate: 'kv-web/edge', version: 'previous' },
          ],
          domains: [
            { name: 'www', hostName: 'www.example.com', secret: 'edge-latest' },
            { name: 'old', hostName: 'old.example.com', secret: 'edge-pinned' },
            { name: 'managed', hostName: 'm.example.com' },
          ],
        },
        { name: 'cdn-classic', sku: 'Standard_Microsoft' },
      ],
    },
    {
      id: SUB_B,
      access: 'denied',
      vaults: [{ name: 'kv-b', certificates: [{ name: 'thing', cn: 'thing.example.com' }] }],
    },
  ],
};

let sim: SimServer;
let run: (overrides?: Record<string, unknown>, options?: SimOptions) => Promise<AuditResult>;
let r: AuditResult;

beforeAll(async () => {
  const world = seedAzure(scenario, new ScenarioCa(NOW), NOW);
  sim = await startSimServer(azureServices(world), {}, { now: () => NOW });
  process.env[TOKEN_ENV] = TOKEN;
  const providers = [
    createAzureKeyVaultProvider({ minDelayMs: 5 }),
    createAzureAppGatewayProvider({ minDelayMs: 5 }),
    createAzureAppServiceProvider({ minDelayMs: 5 }),
    createAzureFrontDoorProvider({ minDelayMs: 5 }),
  ];
  run = async (overrides = {}, options = {}) => {
    sim.configure(options);
    const config = configSchema.parse({
      providers: {
        azure: {
          cloud: { resourceManager: sim.url },
          credential: { type: 'token', env: TOKEN_ENV },
          subscriptions: ['all'],
          maxAttempts: 3,
          ...overrides,
        },
      },
    });
    return audit({ config, providers, rules: activeRules(config, RULES), now: NOW, log: quiet });
  };
  r = await run();
}, 60_000);
afterAll(() => sim.close());

const findings = (res: AuditResult, rule: string) => res.findings.filter((f) => f.ruleId === rule);
const binding = (res: AuditResult, name: string) => res.inventory.bindings.find((b) => b.name === name)!;
const kvCert = (res: AuditResult, name: string) =>
  res.inventory.certificates.find((c) => c.provider === 'azure-keyvault' && c.name === name)!;

test('one scope per (provider, subscription); the denied subscription fails alone, with the reason', () => {
  const scopes = r.inventory.scopes
    .map((s) => `${s.provider} ${s.account === SUB_A ? 'A' : 'B'}/${s.location} ${s.status}`)
    .sort();
  expect(scopes).toEqual([
    'azure-appgateway A/* ok',
    'azure-appgateway B/* failed',
    'azure-appservice A/* ok',
    'azure-appservice B/* failed',
    'azure-frontdoor A/* ok',
    'azure-frontdoor B/* failed',
    'azure-keyvault A/kv-web ok',
    'azure-keyvault B/* failed',
  ]);
  const denied = r.inventory.scopes.find((s) => s.provider === 'azure-appgateway' && s.account === SUB_B)!;
  expect(denied.error).toMatchObject({ code: 'AuthorizationFailed', operation: 'ApplicationGateways_ListAll' });
  expect(denied.error!.message).toMatch(
    new RegExp(`^subscription ${SUB_B}: .*Microsoft\\.Network/applicationGateways/read.*\\(HTTP 403\\)$`),
  );
});

test('every list was paged one item at a time, and nothing but the documented reads was called', () => {
  const pages = (action: string) =>
    sim.calls.filter((c) => c.action === action && c.scope === SUB_A && c.status === 200).length;
  expect(pages('ApplicationGateways_ListAll')).toBe(2);
  expect(pages('Profiles_List')).toBe(2);
  expect(pages('Secrets_ListByProfile')).toBe(3); // two customer certificates and one managed
  expect(pages('AFDCustomDomains_ListByProfile')).toBe(3);
  expect(pages('Certificates_List')).toBe(3);
  // The classic CDN profile is never opened.
  expect(sim.calls.filter((c) => c.action.startsWith('GET ') || c.permission === 'unsupported')).toEqual([]);
  expect(new Set(sim.calls.filter((c) => c.service === 'azure-arm').map((c) => c.permission))).toEqual(
    new Set([
      'Microsoft.Resources/subscriptions/read',
      'Microsoft.KeyVault/vaults/read',
      'Microsoft.Network/applicationGateways/read',
      'Microsoft.Web/certificates/read',
      'Microsoft.Web/sites/read',
      'Microsoft.Cdn/profiles/read',
      'Microsoft.Cdn/profiles/secrets/read',
      'Microsoft.Cdn/profiles/customdomains/read',
    ]),
  );
});

test('an expiring Key Vault certificate served by a running gateway is critical and names the gateway', () => {
  const f = findings(r, 'cert-expiring').find((x) => x.resource.name === 'shop')!;
  expect(f.severity).toBe('critical');
  expect(f.message).toBe(
    `shop expires in 5 day(s) (${kvCert(r, 'shop').notAfter}); served by app-gateway-listener agw-shop:443 (shop.example.com)`,
  );
  expect(f.related).toEqual([binding(r, 'agw-shop/shop').uid]);
  expect(binding(r, 'agw-shop/shop')).toMatchObject({
    public: true,
    live: true,
    port: 443,
    certificateRef: 'https://kv-web.vault.azure.net/secrets/shop',
    certificateUid: kvCert(r, 'shop').uid,
  });
});

test('a listener naming a deleted Key Vault secret is dangling; a vault nobody audited gets no verdict', () => {
  const dangling = findings(r, 'dangling-binding');
  const legacy = dangling.find((f) => f.resource.name === 'agw-shop/legacy')!;
  expect(legacy).toMatchObject({
    severity: 'high',
    message:
      'app-gateway-listener agw-shop:8443 points at https://kv-web.vault.azure.net/secrets/deleted-cert, which does not exist',
  });
  expect(dangling.find((f) => f.resource.name === 'agw-shop/elsewhere')).toBeUndefined();
  // A vault in a listed subscription that holds no such vault; a vault in the denied subscription: no verdict.
  expect(dangling.find((f) => f.resource.name === 'gone-vault-cert')).toMatchObject({
    severity: 'medium',
    message: expect.stringMatching(/vault kv-gone does not exist in subscription/),
  });
  expect(dangling.find((f) => f.resource.name === 'other-sub-cert')).toBeUndefined();
  // Inline-uploaded certificates and plain HTTP listeners are not bindings to Key Vault.
  expect(
    r.inventory.bindings
      .filter((b) => b.provider === 'azure-appgateway')
      .map((b) => b.name)
      .sort(),
  ).toEqual(['agw-internal/intranet', 'agw-shop/elsewhere', 'agw-shop/legacy', 'agw-shop/shop']);
});

test('a disabled Key Vault certificate served by App Service is bound-cert-unhealthy', () => {
  const f = findings(r, 'bound-cert-unhealthy');
  expect(f.map((x) => x.message)).toEqual([
    'app-service-host app-portal:443 (portal.example.com) serves portal, which is disabled',
  ]);
  expect(binding(r, 'app-portal/portal.example.com')).toMatchObject({
    live: true,
    certificateRef: 'https://kv-web.vault.azure.net/secrets/portal',
    appService: { thumbprint: kvCert(r, 'portal').keyVault!.thumbprintSha1 },
  });
});

test('Front Door: a versionless secret follows the current version; one pinned to an old version stays unresolved and is reported', () => {
  const edge = kvCert(r, 'edge');
  expect(binding(r, 'fd-edge/www.example.com')).toMatchObject({
    certificateRef: 'https://kv-web.vault.azure.net/secrets/edge',
    certificateUid: edge.uid,
    live: true,
    public: true,
  });
  const pinned = binding(r, 'fd-edge/old.example.com');
  expect(pinned.certificateUid).toBeUndefined();
  expect(pinned.certificateRef).toMatch(/^https:\/\/kv-web\.vault\.azure\.net\/secrets\/edge\/[0-9a-f]{32}$/);
  const f = findings(r, 'dangling-binding').find((x) => x.resource.uid === pinned.uid)!;
  expect(f.severity).toBe('medium');
  expect(f.message).toMatch(
    /, which is version [0-9a-f]{32} of edge, not its current version [0-9a-f]{32}: a renewed certificate never reaches it$/,
  );
  expect(f.related).toEqual([edge.uid]);
  // A gateway pinned to the current version resolves through the versioned secret alias.
  expect(binding(r, 'agw-internal/intranet')).toMatchObject({
    certificateUid: kvCert(r, 'internal').uid,
    live: false,
    public: false,
  });
});

test('an unbound Key Vault certificate is unused only when all three binding sources completed in every subscription audited', async () => {
  const unused = (res: AuditResult) =>
    findings(res, 'unused-certificate')
      .map((f) => f.resource.name)
      .sort();
  // A gateway, app or profile of any subscription may use any vault (other-sub-cert above uses
  // kv-b from A): B's binding scopes were denied, so nothing in kv-web is known to be unused.
  expect(unused(r)).toEqual([]);
  const onlyA = await run({ subscriptions: [SUB_A] });
  // internal: bound only by a stopped gateway, which serves nothing.
  expect(unused(onlyA)).toEqual(['idle', 'internal']);
  const failed = await run(
    { subscriptions: [SUB_A] },
    { faults: [{ kind: 'server-error', action: 'Certificates_List' }] },
  );
  expect(failed.inventory.scopes.find((s) => s.provider === 'azure-appservice' && s.account === SUB_A)).toMatchObject({
    status: 'failed',
    error: { code: 'InternalServerError' },
  });
  expect(unused(failed)).toEqual([]);
  const off = await run({ subscriptions: [SUB_A], services: { frontDoor: false } });
  expect(off.inventory.scopes.some((s) => s.provider === 'azure-frontdoor')).toBe(false);
  expect(unused(off)).toEqual([]);
});

test('docs/permissions.md: the custom role is exactly what every Azure provider calls, and enough', async () => {
  const doc = readFileSync(new URL('../../docs/permissions.md', import.meta.url), 'utf8');
  const azure = doc.slice(doc.indexOf('## Azure'));
  const role = JSON.parse(/```json\n(\{\s*"Name"[\s\S]*?)```/.exec(azure)![1]) as {
    Actions: string[];
    DataActions: string[];
  };
  // Listing subscriptions needs no action of its own (the simulator names it subscriptions/read).
  const allowed = new Set([...role.Actions, ...role.DataActions, 'Microsoft.Resources/subscriptions/read']);
  sim.calls.length = 0;
  const again = await run({}, { allowPermissions: [...allowed] });
  const outline = (res: AuditResult) => [
    res.inventory.scopes
      .map((x) => `${x.provider} ${x.account}/${x.location} ${x.status} ${x.error?.code ?? ''}`)
      .sort(),
    res.inventory.bindings.map((b) => `${b.uid} ${b.certificateUid ?? '-'}`).sort(),
  ];
  expect(outline(again)).toEqual(outline(r));
  // ARM's cloud metadata (the vault suffix of the simulator's cloud) is anonymous: no permission.
  const used = new Set(sim.calls.filter((c) => !c.anonymous).map((c) => c.permission));
  expect([...used].filter((p) => !allowed.has(p))).toEqual([]);
  expect([...allowed].filter((p) => !used.has(p)).sort()).toEqual([]);
  expect([...used].filter((p) => /secrets\/getSecret|vaults\/keys\//.test(p))).toEqual([]);
});

test('faults: a throttled page is retried after Retry-After; a next link that repeats stops the listing with a reason (what came before it is kept)', async () => {
  const throttled = await run(
    {},
    { faults: [{ kind: 'throttle', action: 'ApplicationGateways_ListAll', scope: SUB_A, count: 1 }] },
  );
  expect(throttled.inventory.scopes.find((s) => s.provider === 'azure-appgateway' && s.account === SUB_A)!.status).toBe(
    'ok',
  );
  expect(throttled.inventory.bindings.filter((b) => b.provider === 'azure-appgateway')).toHaveLength(4);
  const looping = await run({}, { faults: [{ kind: 'loop-paging', action: 'Profiles_List', scope: SUB_A }] });
  expect(looping.inventory.scopes.find((s) => s.provider === 'azure-frontdoor' && s.account === SUB_A)).toMatchObject({
    status: 'partial',
    error: { code: 'PagingLoop', operation: 'Profiles_List' },
  });
}, 30_000);
