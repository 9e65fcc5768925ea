/**
 * The one rule for where an Azure request may go: only to an origin the cloud owns. A Resource
 * Manager pipeline reaches ARM's configured origin and nothing else; a Key Vault pipeline reaches
 * https hosts `<vault>.<suffix>` on the default port, `suffix` being the cloud's vault DNS suffix
 * (stated, known for the national clouds, or taken from ARM's metadata). Every URL is checked
 * before its request is made, the ones certwarden builds and the ones an answer supplies (a
 * `nextLink`, a `vaultUri`) alike, by a policy that runs ahead of the SDKs' authentication
 * policies: a refused URL is never sent, and no token is asked for on its behalf.
 */
import type { Pipeline, PipelinePolicy } from '@azure/core-rest-pipeline';
import { CollectError } from '../../src/engine/api/collect-error.js';

export type Plane = 'arm' | 'keyvault';

export interface OwnedOrigins {
  /** ARM's endpoint as the clients use it, e.g. `https://management.azure.com`. */
  resourceManager: string;
  /** DNS suffix of vault hosts, e.g. `vault.azure.net`; while it is unknown no vault is reachable. */
  keyVaultSuffix?: string;
}

/** One DNS label in front of the suffix: the vault's name (3 to 24 letters, digits and hyphens). */
const VAULT_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** Why `raw` is not an origin `plane` may reach in this cloud, or undefined when it is. */
export function foreignOrigin(raw: string, cloud: OwnedOrigins, plane: Plane): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The text comes from an answer: quoted, and cut short, in the scope's error.
    return `${JSON.stringify(raw.length > 120 ? `${raw.slice(0, 120)}...` : raw)} is not a URL`;
  }
  const origin = `${url.protocol}//${url.host}`;
  if (url.username || url.password) return `${origin} carries credentials in the URL`;
  if (plane === 'arm') {
    const arm = new URL(cloud.resourceManager).origin;
    return url.origin === arm ? undefined : `${origin} is not Resource Manager (${arm})`;
  }
  if (!cloud.keyVaultSuffix) return `${origin}: the cloud's vault suffix is unknown`;
  const host = url.hostname.toLowerCase();
  const suffix = `.${cloud.keyVaultSuffix}`;
  const owned =
    url.protocol === 'https:' &&
    url.port === '' &&
    host.endsWith(suffix) &&
    VAULT_LABEL.test(host.slice(0, -suffix.length));
  return owned ? undefined : `${origin} is not a vault of this cloud (https://<vault>${suffix})`;
}

/** Refuses, before anything is sent or signed, a request to an origin `plane` may not reach. */
export function originPolicy(cloud: OwnedOrigins, plane: Plane): PipelinePolicy {
  return {
    name: 'certwardenOrigin',
    async sendRequest(request, next) {
      const problem = foreignOrigin(request.url, cloud, plane);
      // No operation: the caller names the one it was making (toCollectError).
      if (problem)
        throw new CollectError(
          'ForeignOrigin',
          `${problem}: request refused, nothing was sent there and no token was asked for`,
        );
      return next(request);
    },
  };
}

/**
 * Adds the origin check to a pipeline in the Serialize phase, which runs before every policy
 * without a phase: the authentication policies (`bearerTokenAuthenticationPolicy`,
 * `keyVaultAuthenticationPolicy`) are added without one.
 */
export function guardOrigins<P extends Pipeline>(pipeline: P, cloud: OwnedOrigins, plane: Plane): P {
  pipeline.addPolicy(originPolicy(cloud, plane), { phase: 'Serialize' });
  return pipeline;
}
