/**
 * With pipeline.ts and credential.ts, the only code that touches the Azure SDKs: the ARM and Key
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
import { createDefaultHttpClient, createPipelineRequest, isRestError, type HttpClient, type PipelinePolicy } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/core-auth';
import type { AzureConfig } from '../../src/config/schema.js';
import type { Logger } from '../../src/engine/provider.js';
import { CollectError } from '../../src/engine/provider.js';
import { RateLimits } from '../../src/net/limit.js';
import { resolveCloud, type AzureCloud } from './cloud.js';
import { loopbackHttpClient, pagingGuard, retryPolicy, serviceErrorOf } from './pipeline.js';
import { credentialFor } from './credential.js';
import type { KvCertificateInput } from './map.js';

const SUBSCRIPTIONS_API = '2022-12-01';

export interface AzureSession {
  config: AzureConfig;
  cloud: AzureCloud;
  armCredential: TokenCredential;
  keyVaultCredential: TokenCredential;
  httpClient: HttpClient;
  limits: RateLimits;
  log: Logger;
  /** Test seam: base backoff of the retry layer. */
  minDelayMs?: number;
}

export interface SubscriptionSummary {
  subscriptionId: string;
  displayName?: string;
  state?: string;
}

export interface VaultSummary {
  id: string;
  name: string;
  location: string;
  vaultUri?: string;
  tenantId?: string;
  rbac?: boolean;
}

// Client-side buckets at the published limits (see src/sim/azure for the sources): ARM reads
// 250 + 25/s per subscription and per tenant; Key Vault 4,000 transactions per 10 s per vault.
const LIMITS = { 'arm-read': { perSecond: 25, burst: 250 }, 'keyvault': { perSecond: 400, burst: 4000 } };

export function createSession(config: AzureConfig, log: Logger, minDelayMs?: number): AzureSession {
  const cloud = resolveCloud(config.cloud);
  const base = createDefaultHttpClient();
  return {
    config,
    cloud,
    armCredential: credentialFor(config, cloud, false),
    keyVaultCredential: credentialFor(config, cloud, true),
    httpClient: cloud.loopback ? loopbackHttpClient(cloud.loopback, base) : base,
    limits: new RateLimits(LIMITS),
    log,
    minDelayMs,
  };
}

function policies(s: AzureSession, operation: string, isListing: (u: URL) => boolean, bucket: (u: URL) => { scope: string; api: string }): Array<{ policy: PipelinePolicy; position: 'perCall' }> {
  const retry = retryPolicy({
    attempts: s.config.maxAttempts,
    timeoutMs: s.config.timeoutMs,
    limits: s.limits,
    bucket,
    minDelayMs: s.minDelayMs,
    onRetry: (err, attempt, kind) => s.log.debug(`${operation}: attempt ${attempt} failed (${kind}: ${describe(err).code}); retrying`),
  });
  // The guard sits above the retry policy, so a page fetched again after a failure is no loop.
  return [
    { policy: pagingGuard(isListing, s.config.maxPages, operation), position: 'perCall' },
    { policy: retry, position: 'perCall' },
  ];
}

const armBucket = (u: URL) => ({ scope: /^\/subscriptions\/([^/]+)/i.exec(u.pathname)?.[1]?.toLowerCase() ?? 'tenant', api: 'arm-read' });

function armClient(s: AzureSession, subscriptionId: string, operation: string): KeyVaultManagementClient {
  return new KeyVaultManagementClient(s.armCredential, subscriptionId, {
    endpoint: s.cloud.resourceManager,
    credentials: { scopes: [s.cloud.armScope] },
    httpClient: s.httpClient,
    retryOptions: { maxRetries: 0 },
    additionalPolicies: policies(s, operation, (u) => /\/(subscriptions|vaults)\/?$/i.test(u.pathname), armBucket),
  });
}

/** The service's own code (the inner one when Key Vault gives it: ForbiddenByFirewall, ...) and message; never the request. */
export function describe(err: unknown): { code: string; message: string; status?: number } {
  if (err instanceof CollectError) return { code: err.code, message: err.message };
  if (isRestError(err)) {
    const details = (err.details ?? {}) as { error?: { code?: string; message?: string; innerError?: { code?: string }; innererror?: { code?: string } } };
    const kept = serviceErrorOf(err.request);
    if (kept) return { code: kept.inner ?? kept.code ?? err.code ?? `HTTP${err.statusCode ?? ''}`, message: kept.message ?? err.message, status: err.statusCode };
    const inner = details.error?.innerError?.code ?? details.error?.innererror?.code;
    return { code: inner ?? details.error?.code ?? err.code ?? `HTTP${err.statusCode ?? ''}`, message: details.error?.message ?? err.message, status: err.statusCode };
  }
  const e = err as { code?: string; name?: string; message?: string };
  return { code: e?.code ?? e?.name ?? 'Error', message: String(e?.message ?? err) };
}

/** A CollectError naming the operation and the place; the SDK error is not kept (it holds headers). */
export function toCollectError(err: unknown, operation: string, where: string): CollectError {
  if (err instanceof CollectError) return new CollectError(err.code, `${where}: ${err.message}`, err.operation ?? operation);
  const { code, message, status } = describe(err);
  return new CollectError(code, `${where}: ${message.trim()}${status ? ` (HTTP ${status})` : ''}`, operation);
}

export async function* listSubscriptions(s: AzureSession, signal?: AbortSignal): AsyncGenerator<SubscriptionSummary> {
  const client = armClient(s, '', 'Subscriptions_List');
  let url: string | undefined = `${s.cloud.resourceManager}/subscriptions?api-version=${SUBSCRIPTIONS_API}`;
  while (url) {
    const response = await client.pipeline.sendRequest(s.httpClient, createPipelineRequest({ url, method: 'GET', abortSignal: signal }));
    let body: { value?: SubscriptionSummary[]; nextLink?: string; error?: { code?: string; message?: string } };
    try {
      body = JSON.parse(response.bodyAsText ?? '{}');
    } catch {
      throw new CollectError('PARSE_ERROR', 'the subscription list is not valid JSON', 'Subscriptions_List');
    }
    if (response.status !== 200) throw new CollectError(body.error?.code ?? `HTTP${response.status}`, `${body.error?.message ?? 'listing subscriptions failed'} (HTTP ${response.status})`, 'Subscriptions_List');
    for (const sub of body.value ?? []) yield { subscriptionId: sub.subscriptionId, displayName: sub.displayName, state: sub.state };
    url = body.nextLink ?? undefined;
  }
}

export async function* listVaults(s: AzureSession, subscriptionId: string, signal?: AbortSignal): AsyncGenerator<VaultSummary> {
  const client = armClient(s, subscriptionId, 'Vaults_ListBySubscription');
  for await (const v of client.vaults.listBySubscription({ abortSignal: signal })) {
    yield { id: v.id ?? '', name: v.name ?? '', location: v.location ?? '', vaultUri: v.properties?.vaultUri, tenantId: v.properties?.tenantId, rbac: v.properties?.enableRbacAuthorization };
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

export function vaultReader(s: AzureSession, vaultUri: string): VaultReader {
  const client = new CertificateClient(vaultUri, s.keyVaultCredential, {
    httpClient: s.httpClient,
    retryOptions: { maxRetries: 0 },
    additionalPolicies: policies(s, 'GetCertificates', (u) => /^\/certificates\/?$|\/versions\/?$/i.test(u.pathname), (u) => ({ scope: u.hostname.toLowerCase(), api: 'keyvault' })),
  });
  return {
    async *listed(signal) {
      // Without includePending the list leaves out certificates whose creation has not completed
      // (an order waiting on its CA): they are audited too, as pending (docs/completeness.md).
      for await (const page of client.listPropertiesOfCertificates({ abortSignal: signal, includePending: true }).byPage()) {
        yield page.flatMap(({ name, id, x509ThumbprintString, enabled, notBefore, expiresOn, createdOn, updatedOn, recoveryLevel, recoverableDays, tags }) =>
          name ? [{ name, item: { id, x509ThumbprintString, enabled, notBefore, expiresOn, createdOn, updatedOn, recoveryLevel, recoverableDays, tags } }] : [],
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
