/**
 * Credentials for the two planes. Everything @azure/identity offers is used as is; a bearer token
 * obtained elsewhere (`type: token`) is read from the environment by a small credential of our own.
 */
import type { AccessToken, GetTokenOptions, TokenCredential } from '@azure/core-auth';
import type { AzureConfig } from '../../src/config/schema.js';
import { CollectError } from '../../src/engine/api/collect-error.js';
import { keyVaultScope, type AzureCloud, type ResolvedCloud } from './cloud.js';

/**
 * A bearer token read from an environment variable at each use (so a token refreshed by a wrapper
 * script is picked up). The value is never logged and never put into an error message.
 */
export class EnvTokenCredential implements TokenCredential {
  constructor(private readonly envName: string) {}

  getToken(): Promise<AccessToken> {
    const token = process.env[this.envName]?.trim();
    if (!token)
      return Promise.reject(
        new CollectError(
          'CredentialUnavailable',
          `the environment variable ${this.envName} (providers.azure.credential) is unset or empty`,
          'GetToken',
        ),
      );
    // The real expiry is the issuer's business; an hour ahead keeps the SDK's token cycler from
    // refreshing on every request, and a rejected token still fails with the service's 401.
    return Promise.resolve({ token, tokenType: 'Bearer', expiresOnTimestamp: Date.now() + 3_600_000 });
  }
}

type Identity = typeof import('@azure/identity');

/**
 * A credential of @azure/identity, made when a token is first asked for. The library and MSAL
 * under it are loaded then, not when certwarden starts: loading them is a noticeable part of each
 * collection thread's start (docs/benchmarks.md), and `type: token` never needs them.
 */
function fromIdentity(make: (identity: Identity) => TokenCredential): TokenCredential {
  let credential: Promise<TokenCredential> | undefined;
  return {
    async getToken(scopes: string | string[], options?: GetTokenOptions) {
      credential ??= import('@azure/identity').then(make);
      return (await credential).getToken(scopes, options);
    },
  };
}

/** `https://vault.azure.net`, from `https://Vault.Azure.Net//.default`: scopes compared as audiences. */
function audienceOf(scope: string): string {
  return scope
    .trim()
    .replace(/\/\.default$/i, '')
    .replace(/\/+$/, '')
    .toLowerCase();
}

/**
 * Hands out tokens only for `allowed`: a token asked for on behalf of anything else (the other
 * plane, a resource a 401 challenge names) is refused before the credential source is consulted.
 * The error names the scope, never a token.
 */
export function scopedCredential(inner: TokenCredential, allowed: string[], purpose: string): TokenCredential {
  const audiences = new Set(allowed.map(audienceOf));
  return {
    getToken(scopes: string | string[], options?: GetTokenOptions) {
      const asked = [scopes].flat();
      const refused = asked.length ? asked.filter((s) => !audiences.has(audienceOf(s))) : ['(no scope)'];
      if (refused.length)
        return Promise.reject(
          new CollectError(
            'ForeignScope',
            `the ${purpose} credential gives tokens only for ${allowed.join(', ')}; refused a token for ${refused.join(', ')}`,
            'GetToken',
          ),
        );
      return inner.getToken(scopes, options);
    },
  };
}

/**
 * The credential for Resource Manager (`keyVault` false) or the Key Vault data plane, held to that
 * plane's scope in this cloud: ARM's audience, or `https://<vault suffix>/.default`.
 */
export function credentialFor(config: AzureConfig, cloud: ResolvedCloud, keyVault: boolean): TokenCredential {
  const source = credentialSource(config, cloud, keyVault);
  return keyVault
    ? scopedCredential(source, [keyVaultScope(cloud)], 'Key Vault')
    : scopedCredential(source, [cloud.armScope], 'Resource Manager');
}

function credentialSource(config: AzureConfig, cloud: AzureCloud, keyVault: boolean): TokenCredential {
  const c = config.credential;
  const common = {
    ...(cloud.authorityHost ? { authorityHost: cloud.authorityHost } : {}),
    ...(config.tenantId ? { tenantId: config.tenantId } : {}),
  };
  switch (c.type) {
    case 'token':
      return new EnvTokenCredential(keyVault ? (c.keyVaultEnv ?? c.env) : c.env);
    case 'cli':
      return fromIdentity((id) => new id.AzureCliCredential(config.tenantId ? { tenantId: config.tenantId } : {}));
    case 'managed-identity':
      return fromIdentity((id) =>
        c.clientId ? new id.ManagedIdentityCredential({ clientId: c.clientId }) : new id.ManagedIdentityCredential(),
      );
    case 'workload-identity':
      return fromIdentity((id) => new id.WorkloadIdentityCredential(common));
    case 'client-secret':
      // AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH).
      return fromIdentity(
        (id) => new id.EnvironmentCredential(cloud.authorityHost ? { authorityHost: cloud.authorityHost } : {}),
      );
    case 'default':
      return fromIdentity((id) => new id.DefaultAzureCredential(common));
  }
}
