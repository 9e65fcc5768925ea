/**
 * An Azure session: one configuration's cloud (with its vault suffix known), credentials held to
 * that cloud's scopes, the transport, and the client-side rate limits every Azure provider shares.
 */
import { createDefaultHttpClient, type HttpClient, type PipelinePolicy } from '@azure/core-rest-pipeline';
import type { TokenCredential } from '@azure/core-auth';
import type { AzureConfig } from '../../src/config/schema.js';
import type { Logger } from '../../src/engine/api/provider.js';
import { RateLimits } from '../../src/net/limit.js';
import { resolveCloud, type ResolvedCloud } from './cloud.js';
import { credentialFor } from './credential.js';
import { describe } from './errors.js';
import { loopbackHttpClient, retryPolicy } from './pipeline.js';
import { vaultSuffixFromArm } from './metadata.js';

export interface AzureSession {
  config: AzureConfig;
  cloud: ResolvedCloud;
  armCredential: TokenCredential;
  keyVaultCredential: TokenCredential;
  httpClient: HttpClient;
  limits: RateLimits;
  log: Logger;
  /** Test seam: base backoff of the retry layer. */
  minDelayMs?: number;
}

// Client-side buckets at the published limits (see src/sim/azure for the sources): ARM reads
// 250 + 25/s per subscription and per tenant; Key Vault 4,000 transactions per 10 s per vault.
const LIMITS = { 'arm-read': { perSecond: 25, burst: 250 }, keyvault: { perSecond: 400, burst: 4000 } };

export interface AzureSessionOptions {
  /** Base backoff of the retry layer (tests shorten it). */
  minDelayMs?: number;
  /** Test seam: the transport every request is handed to, in place of the default (or loopback) one. */
  transport?: HttpClient;
}

type RetrySettings = Pick<AzureSession, 'config' | 'limits' | 'log' | 'minDelayMs'>;

export function retryFor(
  s: RetrySettings,
  operation: string,
  bucket: (u: URL) => { scope: string; api: string },
): PipelinePolicy {
  return retryPolicy({
    attempts: s.config.maxAttempts,
    timeoutMs: s.config.timeoutMs,
    limits: s.limits,
    bucket,
    minDelayMs: s.minDelayMs,
    onRetry: (err, attempt, kind) =>
      s.log.debug(`${operation}: attempt ${attempt} failed (${kind}: ${describe(err).code}); retrying`),
  });
}

export const armBucket = (u: URL) => ({
  scope: /^\/subscriptions\/([^/]+)/i.exec(u.pathname)?.[1]?.toLowerCase() ?? 'tenant',
  api: 'arm-read',
});

/** Vault suffixes read from ARM's metadata: one request per configuration, shared by every Azure provider. */
const derivedSuffixes = new WeakMap<AzureConfig, Promise<string>>();

/**
 * A session for this configuration. A custom cloud that does not state its vault suffix gets it
 * from ARM's metadata first; when that fails the session does too, with a ConfigError naming
 * `providers.azure.cloud.keyVaultSuffix`, since no vault could be told from a foreign host.
 */
export async function openSession(
  config: AzureConfig,
  log: Logger,
  options: AzureSessionOptions = {},
  signal?: AbortSignal,
): Promise<AzureSession> {
  const stated = resolveCloud(config.cloud);
  const base = createDefaultHttpClient();
  const httpClient = options.transport ?? (stated.loopback ? loopbackHttpClient(stated.loopback, base) : base);
  const settings: RetrySettings = { config, limits: new RateLimits(LIMITS), log, minDelayMs: options.minDelayMs };
  let keyVaultSuffix = stated.keyVaultSuffix;
  if (!keyVaultSuffix) {
    let pending = derivedSuffixes.get(config);
    if (!pending)
      derivedSuffixes.set(
        config,
        (pending = vaultSuffixFromArm(
          stated,
          httpClient,
          retryFor(settings, 'GetMetadataEndpoints', armBucket),
          signal,
        )),
      );
    keyVaultSuffix = await pending;
  }
  const cloud: ResolvedCloud = { ...stated, keyVaultSuffix };
  return {
    ...settings,
    cloud,
    httpClient,
    armCredential: credentialFor(config, cloud, false),
    keyVaultCredential: credentialFor(config, cloud, true),
  };
}
