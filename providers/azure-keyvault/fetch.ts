/**
 * The only code of this provider that touches the Azure SDKs (azure-shared holds the session,
 * credentials, pipeline, errors, origin rule and ARM reads): the ARM and Key
 * Vault clients, and the calls this provider makes. Everything it returns is plain data.
 *
 * Calls made, and why no more: `GET /subscriptions` (only with `subscriptions: [all]`),
 * `Vaults_ListBySubscription` per subscription, `GetCertificates` per vault (25 a page), and one
 * `GetCertificate` per certificate. The list item carries id, x5t, attributes (enabled, nbf, exp,
 * created, updated, recoveryLevel) and tags, but neither the bytes (key type and size, signature,
 * SANs, issuer, chain) nor the policy (auto-renewal, issuer, key policy); the get returns both in
 * one answer, so the separate `/policy` call is never needed. Older versions are not listed: they
 * are not what the name serves, and a binding pinned to a version is matched by its versioned
 * alias. No secret or key is ever read.
 */
import { KeyVaultManagementClient } from '@azure/arm-keyvault';
import { CertificateClient } from '@azure/keyvault-certificates';
import { isRestError, type PipelinePolicy } from '@azure/core-rest-pipeline';
import { guardOrigins, originPolicy } from '../azure-shared/origins.js';
import { pagingGuard } from '../azure-shared/pipeline.js';
import { armBucket, retryFor, type AzureSession } from '../azure-shared/session.js';
import type { KvCertificateInput } from './map.js';

export interface VaultSummary {
  id: string;
  name: string;
  location: string;
  vaultUri?: string;
  tenantId?: string;
  rbac?: boolean;
}

function policies(
  s: AzureSession,
  operation: string,
  isListing: (u: URL) => boolean,
  bucket: (u: URL) => { scope: string; api: string },
): Array<{ policy: PipelinePolicy; position: 'perCall' }> {
  // The guard sits above the retry policy, so a page fetched again after a failure is no loop.
  return [
    { policy: pagingGuard(isListing, s.config.maxPages, operation), position: 'perCall' },
    { policy: retryFor(s, operation, bucket), position: 'perCall' },
  ];
}

/** The arm-keyvault client, its pipeline refusing any origin but ARM's before the bearer policy runs. */
export function armClient(s: AzureSession, subscriptionId: string, operation: string): KeyVaultManagementClient {
  const client = new KeyVaultManagementClient(s.armCredential, subscriptionId, {
    endpoint: s.cloud.resourceManager,
    credentials: { scopes: [s.cloud.armScope] },
    httpClient: s.httpClient,
    retryOptions: { maxRetries: 0 },
    additionalPolicies: policies(s, operation, (u) => /\/(subscriptions|vaults)\/?$/i.test(u.pathname), armBucket),
  });
  guardOrigins(client.pipeline, s.cloud, 'arm');
  return client;
}

export async function* listVaults(
  s: AzureSession,
  subscriptionId: string,
  signal?: AbortSignal,
): AsyncGenerator<VaultSummary> {
  const client = armClient(s, subscriptionId, 'Vaults_ListBySubscription');
  for await (const v of client.vaults.listBySubscription({ abortSignal: signal })) {
    yield {
      id: v.id ?? '',
      name: v.name ?? '',
      location: v.location ?? '',
      vaultUri: v.properties?.vaultUri,
      tenantId: v.properties?.tenantId,
      rbac: v.properties?.enableRbacAuthorization,
    };
  }
}

/** A certificate as the vault's list shows it: its name and what the list item says of it. */
export interface ListedCertificate {
  name: string;
  /** The list item's fields (id, x5t, attributes, tags), for telling an unchanged certificate. */
  item: Record<string, unknown>;
}

export interface VaultReader {
  /** The certificates in the vault, as pages arrive. */
  listed(signal?: AbortSignal): AsyncGenerator<ListedCertificate[]>;
  /** The current version with its bytes and policy; undefined when it is gone (404). */
  get(name: string, signal?: AbortSignal): Promise<KvCertificateInput | undefined>;
}

/**
 * The Key Vault client of one vault. Its pipeline is private, so the origin check goes first among
 * the additional policies: the client adds its authentication policy after them.
 */
export function certificateClient(s: AzureSession, vaultUri: string): CertificateClient {
  return new CertificateClient(vaultUri, s.keyVaultCredential, {
    httpClient: s.httpClient,
    retryOptions: { maxRetries: 0 },
    additionalPolicies: [
      { policy: originPolicy(s.cloud, 'keyvault'), position: 'perCall' },
      ...policies(
        s,
        'GetCertificates',
        (u) => /^\/certificates\/?$|\/versions\/?$/i.test(u.pathname),
        (u) => ({ scope: u.hostname.toLowerCase(), api: 'keyvault' }),
      ),
    ],
  });
}

export function vaultReader(s: AzureSession, vaultUri: string): VaultReader {
  const client = certificateClient(s, vaultUri);
  return {
    async *listed(signal) {
      // Without includePending the list leaves out certificates whose creation has not completed
      // (an order waiting on its CA): they are audited too, as pending (docs/completeness.md).
      for await (const page of client
        .listPropertiesOfCertificates({ abortSignal: signal, includePending: true })
        .byPage()) {
        yield page.flatMap(
          ({
            name,
            id,
            x509ThumbprintString,
            enabled,
            notBefore,
            expiresOn,
            createdOn,
            updatedOn,
            recoveryLevel,
            recoverableDays,
            tags,
          }) =>
            name
              ? [
                  {
                    name,
                    item: {
                      id,
                      x509ThumbprintString,
                      enabled,
                      notBefore,
                      expiresOn,
                      createdOn,
                      updatedOn,
                      recoveryLevel,
                      recoverableDays,
                      tags,
                    },
                  },
                ]
              : [],
        );
      }
    },
    async get(name, signal) {
      try {
        return await client.getCertificate(name, { abortSignal: signal });
      } catch (err) {
        if (isRestError(err) && err.statusCode === 404) return undefined;
        throw err;
      }
    },
  };
}
