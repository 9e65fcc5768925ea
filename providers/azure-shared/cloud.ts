/**
 * Azure clouds: where ARM is, which audience its tokens carry, the DNS suffix of vaults and the
 * Entra authority. Pure data; no SDK here.
 *
 * Loopback custom clouds (a simulator, an emulator) are special: ARM is configured as
 * `http://127.0.0.1:PORT`, but the SDKs refuse bearer tokens over http. So the clients are given
 * `https://` URLs as usual (ARM as `https://127.0.0.1:PORT`, vaults as ARM's own
 * `https://<vault>.vault.azure.net/`) and a custom httpClient (pipeline.ts) delivers every request
 * of this provider to the loopback server over plain http, keeping the Host header, and telling
 * it the scheme the client used (X-Forwarded-Proto). Nothing leaves the machine; the SDKs' https
 * check and Key Vault's challenge-resource check stay on. For every real cloud there is no
 * routing at all and the default transport is used.
 */
// Not from the config schema, whose zod schemas a collection thread would build for nothing.
import { isLoopbackHost } from '../../src/net/loopback.js';
import { normalDnsSuffix } from '../../src/net/dns-suffix.js';
import type { AzureConfig } from '../../src/config/schema.js';
import { foreignOrigin } from './origins.js';

export interface AzureCloud {
  name: string;
  /** ARM endpoint the clients use, always https. */
  resourceManager: string;
  /** Token scope for ARM. */
  armScope: string;
  /** Vault hosts are `<vault>.<keyVaultSuffix>`; undefined for a custom cloud that does not state it (ARM's metadata gives it). */
  keyVaultSuffix?: string;
  /** Entra authority for @azure/identity credentials; undefined for custom clouds. */
  authorityHost?: string;
  /** Loopback server every request is routed to (custom loopback clouds only). */
  loopback?: URL;
}

/** A cloud whose vault suffix is known: the only kind a session is opened with. */
export type ResolvedCloud = AzureCloud & { keyVaultSuffix: string };

/** The token scope of the cloud's Key Vault data plane (the resource its 401 challenge names). */
export const keyVaultScope = (cloud: ResolvedCloud) => `https://${cloud.keyVaultSuffix}/.default`;

// Endpoints from the Azure SDKs' cloud settings (arm-keyvault getArmEndpoint, identity
// AzureAuthorityHosts) and the Key Vault DNS suffixes of each cloud (Key Vault "about keys,
// secrets and certificates": vault.azure.net, vault.usgovcloudapi.net, vault.azure.cn).
const CLOUDS: Record<'public' | 'usgov' | 'china', Omit<AzureCloud, 'armScope'>> = {
  public: {
    name: 'public',
    resourceManager: 'https://management.azure.com',
    keyVaultSuffix: 'vault.azure.net',
    authorityHost: 'https://login.microsoftonline.com',
  },
  usgov: {
    name: 'usgov',
    resourceManager: 'https://management.usgovcloudapi.net',
    keyVaultSuffix: 'vault.usgovcloudapi.net',
    authorityHost: 'https://login.microsoftonline.us',
  },
  china: {
    name: 'china',
    resourceManager: 'https://management.chinacloudapi.cn',
    keyVaultSuffix: 'vault.azure.cn',
    authorityHost: 'https://login.chinacloudapi.cn',
  },
};

const scopeOf = (audience: string) =>
  audience.endsWith('/.default') ? audience : `${audience.replace(/\/+$/, '')}/.default`;

export function resolveCloud(cloud: AzureConfig['cloud']): AzureCloud {
  if (typeof cloud === 'string') {
    const c = CLOUDS[cloud];
    return { ...c, armScope: scopeOf(c.resourceManager) };
  }
  const url = new URL(cloud.resourceManager);
  const origin = `${url.protocol}//${url.host}${url.pathname.replace(/\/+$/, '')}`;
  const suffix = normalDnsSuffix(cloud.keyVaultSuffix);
  if (url.protocol === 'https:')
    return {
      name: 'custom',
      resourceManager: origin,
      armScope: scopeOf(cloud.audience ?? origin),
      keyVaultSuffix: suffix,
    };
  // The schema admits http only on loopback; checked again here because this decides routing.
  if (url.protocol !== 'http:' || !isLoopbackHost(url.hostname))
    throw new Error('providers.azure.cloud.resourceManager: plain http is accepted only on a loopback address');
  const https = `https://${url.host}${url.pathname.replace(/\/+$/, '')}`;
  return {
    name: 'custom',
    resourceManager: https,
    armScope: scopeOf(cloud.audience ?? https),
    keyVaultSuffix: suffix,
    loopback: new URL(`http://${url.host}`),
  };
}

/**
 * A vault URI from ARM is used only when it names a vault of this cloud (origins.ts): the Key
 * Vault token is never offered to a host the cloud does not own.
 */
export function checkVaultUri(
  uri: string | undefined,
  cloud: ResolvedCloud,
): { code: string; message: string } | undefined {
  if (!uri) return { code: 'InvalidVaultUri', message: 'the vault has no vaultUri' };
  if (!URL.canParse(uri)) return { code: 'InvalidVaultUri', message: `vaultUri "${uri}" is not a URL` };
  const problem = foreignOrigin(uri, cloud, 'keyvault');
  return problem
    ? { code: 'ForeignOrigin', message: `vaultUri ${problem}: refused, nothing was sent there` }
    : undefined;
}
