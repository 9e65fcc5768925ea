/**
 * The Azure binding mappers and the Key Vault side of dangling-binding, without servers: shapes
 * follow the REST spec examples (Microsoft.Network 2025-03-01 ApplicationGatewayGet, Microsoft.Web
 * 2024-11-01 ListCertificates/ListWebApps, Microsoft.Cdn 2025-06-01 Secrets_ListByProfile and
 * AFDCustomDomains_ListByProfile), trimmed to the fields read.
 */
import { fromSecretResourceId, fromSecretUrl, fromVaultResourceId } from '../../providers/azure-shared/keyvault-ref.js';
import { mapAppGateway } from '../../providers/azure-appgateway/map.js';
import { mapWebCertificates } from '../../providers/azure-appservice/map.js';
import { mapFrontDoor } from '../../providers/azure-frontdoor/map.js';
import dangling from '../../rules/bindings/dangling-binding.js';
import { bindingRecord, certRecord } from '../fixtures/certs.js';
import type { ScopeResult } from '../../src/model/types.js';
import { run, summary } from '../rules/harness.js';

const SUB = 'subid';
const GW = `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Network/applicationGateways/appgw`;
const VAULT_ID = `/subscriptions/${SUB}/resourceGroups/rg-kv/providers/Microsoft.KeyVault/vaults/KV-Web`;

describe('Key Vault references', () => {
  test.each([
    [
      'versionless, trailing slash, upper-case host, explicit port',
      'https://KV-Web.Vault.Azure.NET:443/secrets/Shop/',
      { ref: 'https://kv-web.vault.azure.net/secrets/Shop', vault: 'kv-web', name: 'Shop' },
    ],
    [
      'versioned',
      'https://kv-web.vault.azure.net/secrets/shop/0123abcd',
      { ref: 'https://kv-web.vault.azure.net/secrets/shop/0123abcd', version: '0123abcd' },
    ],
    [
      'a certificate URL names the same secret',
      'https://kv-web.vault.azure.net/certificates/shop',
      { ref: 'https://kv-web.vault.azure.net/secrets/shop' },
    ],
  ])('%s', (_, url, expected) => expect(fromSecretUrl(url)).toMatchObject(expected));

  test.each([
    ['plain http', 'http://kv.vault.azure.net/secrets/x'],
    ['a key', 'https://kv.vault.azure.net/keys/x'],
    ['not a URL', 'kv/x'],
    ['nothing', undefined],
  ])('not a secret id: %s', (_, url) => expect(fromSecretUrl(url)).toBeUndefined());

  test('ARM ids map to the data-plane id by vault name, and keep the vault subscription', () => {
    expect(fromVaultResourceId(VAULT_ID, 'shop', 'vault.azure.net')).toEqual({
      ref: 'https://kv-web.vault.azure.net/secrets/shop',
      vault: 'kv-web',
      name: 'shop',
      vaultSubscription: SUB,
    });
    expect(
      fromSecretResourceId(
        `/subscriptions/${SUB}/resourcegroups/RG/providers/Microsoft.KeyVault/vaults/kv-web/secrets/shop`,
        'abc',
        'vault.azure.cn',
      ),
    ).toMatchObject({ ref: 'https://kv-web.vault.azure.cn/secrets/shop/abc', version: 'abc' });
    expect(
      fromSecretResourceId(
        `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/x`,
        undefined,
        'vault.azure.net',
      ),
    ).toBeUndefined();
  });
});

test('Application Gateway: one binding per HTTPS listener with a Key Vault certificate; uploaded certificates are skipped and counted', () => {
  const sub = (kind: string, name: string) => ({ id: `${GW}/${kind}/${name}`, name });
  const out = mapAppGateway(
    {
      id: GW,
      name: 'appgw',
      location: 'southcentralus',
      properties: {
        operationalState: 'Running',
        frontendIPConfigurations: [
          {
            ...sub('frontendIPConfigurations', 'appgwfip'),
            properties: { publicIPAddress: { id: '/subscriptions/subid/.../publicIPAddresses/appgwpip' } },
          },
        ],
        frontendPorts: [
          { ...sub('frontendPorts', 'appgwfp'), properties: { port: 443 } },
          { ...sub('frontendPorts', 'appgwfp80'), properties: { port: 80 } },
        ],
        sslCertificates: [
          {
            ...sub('sslCertificates', 'kvcert'),
            properties: { keyVaultSecretId: 'https://kv-web.vault.azure.net/secrets/shop/' },
          },
          { ...sub('sslCertificates', 'sslcert'), properties: { publicCertData: '*****' } },
        ],
        httpListeners: [
          // Sub-resource references differ in case from the ids they name; the service does that.
          {
            ...sub('httpListeners', 'appgwhl'),
            properties: {
              protocol: 'Https',
              hostNames: ['shop.example.com', 'www.shop.example.com'],
              frontendIPConfiguration: { id: `${GW}/frontendIPConfigurations/APPGWFIP` },
              frontendPort: { id: `${GW}/frontendPorts/appgwfp` },
              sslCertificate: { id: `${GW}/sslCertificates/kvcert` },
            },
          },
          {
            ...sub('httpListeners', 'uploaded'),
            properties: {
              protocol: 'Https',
              frontendPort: { id: `${GW}/frontendPorts/appgwfp` },
              sslCertificate: { id: `${GW}/sslCertificates/sslcert` },
            },
          },
          {
            ...sub('httpListeners', 'appgwhttplistener'),
            properties: { protocol: 'Http', frontendPort: { id: `${GW}/frontendPorts/appgwfp80` } },
          },
        ],
      },
    },
    SUB,
  );
  expect(out.inline).toBe(1);
  expect(out.bindings).toEqual([
    expect.objectContaining({
      provider: 'azure-appgateway',
      account: SUB,
      location: 'southcentralus',
      name: 'appgw/appgwhl',
      type: 'app-gateway-listener',
      certificateRef: 'https://kv-web.vault.azure.net/secrets/shop',
      refKind: 'keyvault',
      port: 443,
      public: true,
      live: true,
      loadBalancer: {
        name: 'appgw',
        arn: GW,
        type: 'application-gateway',
        scheme: 'internet-facing',
        dnsName: 'shop.example.com, www.shop.example.com',
      },
    }),
  ]);
  expect(
    mapAppGateway(
      {
        id: GW,
        name: 'appgw',
        properties: {
          operationalState: 'Stopped',
          sslCertificates: [
            { id: `${GW}/sslCertificates/c`, properties: { keyVaultSecretId: 'https://kv.vault.azure.net/secrets/x' } },
          ],
          httpListeners: [
            {
              id: `${GW}/httpListeners/l`,
              properties: { protocol: 'Https', sslCertificate: { id: `${GW}/sslCertificates/c` } },
            },
          ],
        },
      },
      SUB,
    ).bindings[0],
  ).toMatchObject({ live: false });
});

test('App Service: host names that serve the thumbprint; an unused import is a dead binding; uploaded PFX certificates are skipped', () => {
  const cert = (name: string, thumbprint: string, keyVaultId?: string) => ({
    id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/certificates/${name}`,
    name,
    properties: { thumbprint, ...(keyVaultId ? { keyVaultId, keyVaultSecretName: name } : {}) },
  });
  const site = {
    id: `/subscriptions/${SUB}/resourceGroups/rg/providers/Microsoft.Web/sites/app`,
    name: 'app',
    properties: {
      state: 'Stopped',
      hostNameSslStates: [
        { name: 'app.azurewebsites.net', sslState: 'Disabled', hostType: 'Standard' },
        { name: 'www.example.com', sslState: 'SniEnabled', thumbprint: 'aa11', hostType: 'Standard' },
        { name: 'old.example.com', sslState: 'Disabled', thumbprint: 'AA11' },
      ],
    },
  };
  const out = mapWebCertificates(
    [cert('www', 'AA11', VAULT_ID), cert('spare', 'BB22', VAULT_ID), cert('pfx', 'CC33')],
    [site],
    SUB,
    'vault.azure.net',
  );
  expect(out.map((b) => [b.type, b.name, b.certificateRef, b.live])).toEqual([
    ['app-service-host', 'app/www.example.com', 'https://kv-web.vault.azure.net/secrets/www', false],
    ['app-service-certificate', 'spare', 'https://kv-web.vault.azure.net/secrets/spare', false],
  ]);
  expect(out[0].appService).toMatchObject({ vaultSubscription: SUB, thumbprint: 'AA11', siteState: 'Stopped' });
});

test('Front Door: latest-version secrets are versionless, others pinned; domains match their secret case-insensitively; managed certificates are skipped', () => {
  const profile = {
    id: `/subscriptions/${SUB}/resourcegroups/RG/providers/Microsoft.Cdn/profiles/profile1`,
    name: 'profile1',
    sku: { name: 'Premium_AzureFrontDoor' },
    properties: { resourceState: 'Active' },
  };
  const source = {
    id: `/subscriptions/${SUB}/resourcegroups/RG/providers/Microsoft.KeyVault/vaults/keyvaultname/secrets/certificatename`,
  };
  const secrets = [
    {
      id: `${profile.id}/secrets/latest`,
      name: 'latest',
      properties: {
        parameters: {
          type: 'CustomerCertificate',
          secretSource: source,
          secretVersion: 'abcdef1234578900abcdef1234567890',
          useLatestVersion: true,
        },
      },
    },
    {
      id: `${profile.id}/secrets/pinned`,
      name: 'pinned',
      properties: {
        parameters: {
          type: 'CustomerCertificate',
          secretSource: source,
          secretVersion: '0123',
          useLatestVersion: false,
        },
      },
    },
    {
      id: `${profile.id}/secrets/managed`,
      name: 'managed',
      properties: { parameters: { type: 'ManagedCertificate' } },
    },
  ];
  const domains = [
    {
      id: `${profile.id}/customdomains/domain1`,
      name: 'domain1',
      properties: {
        hostName: 'www.contoso.com',
        tlsSettings: {
          certificateType: 'CustomerCertificate',
          secret: {
            id: `/subscriptions/${SUB}/resourceGroups/RG/providers/Microsoft.Cdn/Profiles/profile1/secrets/latest`,
          },
        },
      },
    },
  ];
  const out = mapFrontDoor(profile, secrets, domains, SUB, 'vault.azure.net');
  expect(out.map((b) => [b.type, b.name, b.certificateRef, b.live])).toEqual([
    [
      'front-door-domain',
      'profile1/www.contoso.com',
      'https://keyvaultname.vault.azure.net/secrets/certificatename',
      true,
    ],
    [
      'front-door-secret',
      'profile1/pinned',
      'https://keyvaultname.vault.azure.net/secrets/certificatename/0123',
      false,
    ],
  ]);
  expect(out[0].frontDoor).toMatchObject({
    useLatestVersion: true,
    deployedVersion: 'abcdef1234578900abcdef1234567890',
  });
});

describe('dangling-binding with Key Vault references', () => {
  const KV = 'https://kv-web.vault.azure.net/secrets/';
  const kvScope = (location: string, status: ScopeResult['status'] = 'ok', account = SUB): ScopeResult => ({
    provider: 'azure-keyvault',
    account,
    location,
    status,
    stats: { certificates: 0, bindings: 0 },
  });
  const cert = (name: string, version = 'v2') =>
    certRecord(
      'rsa-2048',
      {
        uid: `azure-keyvault:${name}`,
        provider: 'azure-keyvault',
        account: SUB,
        location: 'kv-web',
        name,
        ref: `https://kv-web.vault.azure.net/certificates/${name}`,
        aliases: [`${KV}${name}`, `${KV}${name}/${version}`],
        keyVault: { vaultUri: 'https://kv-web.vault.azure.net/', version },
      },
      'azure-keyvault',
    );
  const gw = (ref: string, over = {}) =>
    bindingRecord('l', ref, { provider: 'azure-appgateway', refKind: 'keyvault', ...over });
  // App Service names the vault by its ARM id, so the binding knows the vault's subscription.
  const app = (ref: string) =>
    gw(ref, {
      provider: 'azure-appservice',
      appService: {
        vault: 'kv-web',
        vaultSubscription: SUB,
        thumbprint: null,
        expirationDate: null,
        keyVaultSecretStatus: null,
      },
    });
  test.each([
    [
      'resolves (versionless): silent',
      { certificates: [cert('shop')], bindings: [gw(`${KV}shop`)], scopes: [kvScope('kv-web')] },
      [],
    ],
    [
      'resolves (current version): silent',
      { certificates: [cert('shop')], bindings: [gw(`${KV}shop/v2`)], scopes: [kvScope('kv-web')] },
      [],
    ],
    [
      'the vault was read and holds no such certificate: high',
      { certificates: [cert('shop')], bindings: [gw(`${KV}gone`)], scopes: [kvScope('kv-web')] },
      ['l:high'],
    ],
    [
      'the same on a stopped gateway: medium',
      { bindings: [gw(`${KV}gone`, { live: false })], scopes: [kvScope('kv-web')] },
      ['l:medium'],
    ],
    [
      'pinned to an old version: medium, not "missing"',
      { certificates: [cert('shop')], bindings: [gw(`${KV}shop/v1`)], scopes: [kvScope('kv-web')] },
      ['l:medium'],
    ],
    [
      'the vault could not be read: no verdict',
      { bindings: [gw(`${KV}gone`)], scopes: [kvScope('kv-web', 'failed')] },
      [],
    ],
    ['the vault was not audited: no verdict', { bindings: [gw(`${KV}gone`)], scopes: [kvScope('kv-other')] }, []],
    ['Key Vault did not run: no verdict', { bindings: [gw(`${KV}gone`)], scopes: [] }, []],
    [
      'no such vault in its listed subscription: high',
      { bindings: [app(`${KV}gone`)], scopes: [kvScope('kv-other')] },
      ['l:high'],
    ],
    [
      'no such vault, but its subscription could not be listed: no verdict',
      { bindings: [app(`${KV}gone`)], scopes: [kvScope('kv-other'), kvScope('*', 'failed')] },
      [],
    ],
  ])('%s', (name, c, expected) => expect(summary(run(dangling, { name, ...c }))).toEqual(expected));

  test('a stale pin names both versions and the certificate', () => {
    const [f] = run(dangling, {
      name: 'x',
      certificates: [cert('shop')],
      bindings: [gw(`${KV}shop/v1`)],
      scopes: [kvScope('kv-web')],
    });
    expect(f.message).toBe(
      `elbv2-listener l-lb:443 points at ${KV}shop/v1, which is version v1 of shop, not its current version v2: a renewed certificate never reaches it`,
    );
    expect(f.related).toEqual(['azure-keyvault:shop']);
    expect(f.evidence).toMatchObject({ pinnedVersion: 'v1', currentVersion: 'v2' });
  });
});
