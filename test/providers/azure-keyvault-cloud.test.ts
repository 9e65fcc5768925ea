/**
 * Clouds and their endpoints, and the rule that plain http is only ever spoken to loopback.
 */
import { parse } from 'yaml';
import { configSchema } from '../../src/config/schema.js';
import { checkVaultUri, resolveCloud, type ResolvedCloud } from '../../providers/azure-shared/cloud.js';

test.each([
  [
    'public',
    'https://management.azure.com',
    'https://management.azure.com/.default',
    'vault.azure.net',
    'https://login.microsoftonline.com',
  ],
  [
    'usgov',
    'https://management.usgovcloudapi.net',
    'https://management.usgovcloudapi.net/.default',
    'vault.usgovcloudapi.net',
    'https://login.microsoftonline.us',
  ],
  [
    'china',
    'https://management.chinacloudapi.cn',
    'https://management.chinacloudapi.cn/.default',
    'vault.azure.cn',
    'https://login.chinacloudapi.cn',
  ],
] as const)('%s cloud', (name, resourceManager, armScope, keyVaultSuffix, authorityHost) => {
  expect(resolveCloud(name)).toEqual({ name, resourceManager, armScope, keyVaultSuffix, authorityHost });
});

test('a custom https cloud is used as given, with no routing', () => {
  expect(
    resolveCloud({
      resourceManager: 'https://management.contoso.local/',
      keyVaultSuffix: '.vault.contoso.local',
      audience: 'https://management.core.contoso.local/',
    }),
  ).toEqual({
    name: 'custom',
    resourceManager: 'https://management.contoso.local',
    armScope: 'https://management.core.contoso.local/.default',
    keyVaultSuffix: 'vault.contoso.local',
  });
});

test('a loopback http cloud: the clients see https, requests are routed to the loopback server', () => {
  const c = resolveCloud({ resourceManager: 'http://127.0.0.1:7001' });
  expect(c).toMatchObject({
    resourceManager: 'https://127.0.0.1:7001',
    armScope: 'https://127.0.0.1:7001/.default',
    keyVaultSuffix: undefined,
  });
  expect(c.loopback?.href).toBe('http://127.0.0.1:7001/');
  expect(() => resolveCloud({ resourceManager: 'http://10.1.2.3:7001' })).toThrow(/loopback/);
});

test('the documented simulator config parses; http elsewhere is refused naming the key', () => {
  const yaml = `
providers:
  azure:
    cloud: { resourceManager: "http://127.0.0.1:7001" }
    credential: { type: token, env: MY_TOKEN_VAR }
    subscriptions: [all]
`;
  expect(configSchema.parse(parse(yaml)).providers.azure).toMatchObject({
    cloud: { resourceManager: 'http://127.0.0.1:7001' },
    credential: { type: 'token', env: 'MY_TOKEN_VAR' },
    subscriptions: ['all'],
  });
  for (const host of ['http://localhost:7001', 'http://[::1]:7001', 'http://127.10.0.1:7001'])
    expect(configSchema.safeParse({ providers: { azure: { cloud: { resourceManager: host } } } }).success).toBe(true);
  const bad = configSchema.safeParse({
    providers: { azure: { cloud: { resourceManager: 'http://192.168.1.10:7001' } } },
  });
  expect(bad.success).toBe(false);
  expect(
    bad.error!.issues.some(
      (i) => i.path.join('.') === 'providers.azure.cloud.resourceManager' && /loopback/.test(i.message),
    ),
  ).toBe(true);
});

const CONTOSO = { resourceManager: 'https://management.contoso.example', keyVaultSuffix: 'vault.contoso.example' };

test.each([
  ['https://kv.vault.azure.net/', 'public', undefined, ''],
  ['https://kv-web.vault.azure.net:443/', 'public', undefined, ''],
  [
    'https://kv.vault.azure.cn/',
    'public',
    'ForeignOrigin',
    'https://kv.vault.azure.cn is not a vault of this cloud (https://<vault>.vault.azure.net)',
  ],
  ['http://kv.vault.azure.net/', 'public', 'ForeignOrigin', 'http://kv.vault.azure.net is not a vault'],
  ['https://kv.vault.azure.net:8443/', 'public', 'ForeignOrigin', 'https://kv.vault.azure.net:8443 is not a vault'],
  ['https://a.b.vault.azure.net/', 'public', 'ForeignOrigin', 'https://a.b.vault.azure.net is not a vault'],
  ['https://vault.azure.net/', 'public', 'ForeignOrigin', 'https://vault.azure.net is not a vault'],
  ['https://kv.vault.azure.net.attacker.example/', 'public', 'ForeignOrigin', 'is not a vault'],
  ['https://user:pw@kv.vault.azure.net/', 'public', 'ForeignOrigin', 'carries credentials'],
  [undefined, 'public', 'InvalidVaultUri', 'no vaultUri'],
  ['kv"><img src=x>.vault.azure.net', 'public', 'InvalidVaultUri', 'is not a URL'],
  ['https://kv.vault.contoso.example/', CONTOSO, undefined, ''],
  [
    'https://kv.vault.azure.net/',
    CONTOSO,
    'ForeignOrigin',
    'not a vault of this cloud (https://<vault>.vault.contoso.example)',
  ],
  [
    'https://anything.example/',
    { resourceManager: 'http://127.0.0.1:1', keyVaultSuffix: 'vault.azure.net' },
    'ForeignOrigin',
    'https://anything.example is not a vault',
  ],
] as const)('vault URI %s in %j', (uri, cloud, code: string | undefined, message: string) => {
  const result = checkVaultUri(uri, resolveCloud(cloud) as ResolvedCloud);
  if (code === undefined) expect(result).toBeUndefined();
  else expect(result).toEqual({ code, message: expect.stringContaining(message) });
});

test('a stated vault suffix is a DNS suffix of two labels or more; a bad one is a config error naming the key', () => {
  const parse = (keyVaultSuffix: string) =>
    configSchema.safeParse({
      providers: { azure: { cloud: { resourceManager: 'https://management.contoso.example', keyVaultSuffix } } },
    });
  expect(
    resolveCloud({ resourceManager: 'https://management.contoso.example', keyVaultSuffix: '.Vault.Contoso.Example.' })
      .keyVaultSuffix,
  ).toBe('vault.contoso.example');
  for (const good of ['vault.azure.net', '.vault.local.azurestack.external']) expect(parse(good).success).toBe(true);
  for (const bad of ['net', 'vault azure.net', '*.vault.azure.net', 'vault.azure.net/', '']) {
    const result = parse(bad);
    expect([bad, result.success]).toEqual([bad, false]);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual(['providers.azure.cloud.keyVaultSuffix']);
  }
});
