/**
 * A credential hands out tokens only for the scopes it was made for: the Resource Manager one for
 * ARM's scope, the Key Vault one for the configured cloud's vault scope. Anything else (the other
 * plane's scope, a scope a 401 challenge names) is refused with a clear error naming the scope and
 * never the token, before any credential source is consulted.
 */
import { configSchema } from '../../src/config/schema.js';
import { resolveCloud, type ResolvedCloud } from '../../providers/azure-shared/cloud.js';
import { credentialFor } from '../../providers/azure-shared/credential.js';

const ENV = 'CERTWARDEN_TEST_SCOPE_TOKEN';
const TOKEN = 'scope-test-token-51d0-never-leaves';
const FOREIGN = 'https://attacker.example/.default';

beforeAll(() => {
  process.env[ENV] = TOKEN;
});

function credentials(cloud: unknown, credential: unknown = { type: 'token', env: ENV }) {
  const config = configSchema.parse({ providers: { azure: { cloud, credential } } }).providers.azure!;
  const resolved = resolveCloud(config.cloud) as ResolvedCloud;
  return { arm: credentialFor(config, resolved, false), keyVault: credentialFor(config, resolved, true) };
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'a token was handed out',
    (err: unknown) => err,
  );

test.each([
  ['public', 'public', 'https://management.azure.com/.default', 'https://vault.azure.net/.default'],
  ['usgov', 'usgov', 'https://management.usgovcloudapi.net/.default', 'https://vault.usgovcloudapi.net/.default'],
  [
    'custom',
    { resourceManager: 'https://management.contoso.example', keyVaultSuffix: 'vault.contoso.example' },
    'https://management.contoso.example/.default',
    'https://vault.contoso.example/.default',
  ],
] as const)(
  '%s cloud: each credential gives a token for its own scope and refuses every other',
  async (_, cloud, armScope, keyVaultScope) => {
    const { arm, keyVault } = credentials(cloud);
    await expect(arm.getToken(armScope)).resolves.toMatchObject({ token: TOKEN });
    await expect(keyVault.getToken([keyVaultScope])).resolves.toMatchObject({ token: TOKEN });
    const refused: Array<[typeof arm, string | string[], string]> = [
      [arm, keyVaultScope, keyVaultScope],
      [keyVault, armScope, armScope],
      [arm, FOREIGN, FOREIGN],
      [keyVault, FOREIGN, FOREIGN],
      // A challenge naming the parent domain of a foreign vault host, as in the token-leak finding.
      [keyVault, [keyVaultScope, FOREIGN], FOREIGN],
    ];
    for (const [credential, scopes, named] of refused) {
      const err = (await refusal(credential.getToken(scopes))) as Error & { code?: string };
      expect([scopes, err]).toEqual([
        scopes,
        expect.objectContaining({ code: 'ForeignScope', message: expect.stringContaining(named) }),
      ]);
      expect(err.message).not.toContain(TOKEN);
    }
  },
);

test('credentials of @azure/identity are held to the same scopes, refused before the library is asked', async () => {
  // The Azure CLI is not installed here: had the scope reached it, the error would be its own.
  const { keyVault } = credentials('public', { type: 'cli' });
  expect(await refusal(keyVault.getToken(FOREIGN))).toMatchObject({
    code: 'ForeignScope',
    message: expect.stringContaining(FOREIGN),
  });
});
