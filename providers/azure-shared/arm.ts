/**
 * Resource Manager reads for the Azure providers, as plain REST through the shared session
 * (session.ts: credentials, loopback routing, retry layer and paging guard). No management SDK: @azure/arm-network, arm-appservice and arm-cdn add
 * megabytes for three GETs each, and this keeps the wire under our control.
 *
 * One session per configuration object, shared by the binding providers: one set of client-side
 * ARM buckets per subscription (ARM's read limit is per principal and subscription, not per
 * provider), and one subscription listing for `subscriptions: [all]`.
 */
import {
  bearerTokenAuthenticationPolicy,
  createEmptyPipeline,
  createPipelineRequest,
  type Pipeline,
} from '@azure/core-rest-pipeline';
import type { AzureConfig } from '../../src/config/schema.js';
import { CollectError, toCollectError } from '../../src/engine/api/collect-error.js';
import { scopeHandle, type Logger, type Scope, type ScopeContext } from '../../src/engine/api/provider.js';
import { describe, azureFacts } from './errors.js';
import { openSession, type AzureSession, type AzureSessionOptions } from './session.js';
import { pagingGuard, retryPolicy } from './pipeline.js';
import { guardOrigins } from './origins.js';
import { serviceEntries, SKIPPED_STATES, subscriptionEntry } from './coverage.js';
import type { CoverageEntry } from '../../src/model/coverage.js';

const SUBSCRIPTIONS_API = '2022-12-01';

export interface SubscriptionSummary {
  subscriptionId: string;
  displayName?: string;
  state?: string;
}

const sessions = new WeakMap<AzureConfig, Promise<AzureSession>>();
interface Listing {
  ids: string[];
  error?: CollectError;
  entries: CoverageEntry[];
}
const subscriptionLists = new WeakMap<AzureSession, Promise<Listing>>();

export function armSession(
  config: AzureConfig,
  log: Logger,
  options: AzureSessionOptions = {},
  signal?: AbortSignal,
): Promise<AzureSession> {
  let s = sessions.get(config);
  if (!s) sessions.set(config, (s = openSession(config, log, options, signal)));
  return s;
}

async function subscriptionIds(s: AzureSession, log: Logger, signal?: AbortSignal): Promise<Listing> {
  const ids = s.config.subscriptions.filter((id) => id.toLowerCase() !== 'all');
  const entries = [...new Set(ids)].map((id) => subscriptionEntry({ subscriptionId: id }, 'config'));
  if (!s.config.subscriptions.some((id) => id.toLowerCase() === 'all')) return { ids: [...new Set(ids)], entries };
  const seen = new Set(ids.map((id) => id.toLowerCase()));
  try {
    for await (const sub of listSubscriptions(s, signal)) {
      if (!seen.has(sub.subscriptionId.toLowerCase())) entries.push(subscriptionEntry(sub, 'list-subscriptions'));
      if (SKIPPED_STATES.has(sub.state ?? ''))
        log.debug(`azure: subscription ${sub.subscriptionId} is ${sub.state}; skipped`);
      else if (!seen.has(sub.subscriptionId.toLowerCase())) ids.push(sub.subscriptionId);
      seen.add(sub.subscriptionId.toLowerCase());
    }
    return { ids, entries };
  } catch (err) {
    return {
      ids,
      entries,
      error: toCollectError(err, 'Subscriptions_List', { where: 'listing subscriptions', describe: azureFacts }),
    };
  }
}

export interface SubscriptionHandle {
  session: AzureSession;
}

/** One scope per (provider, subscription); location `*`: the whole subscription, every region. */
export async function* subscriptionScopes(
  provider: string,
  ctx: ScopeContext,
  options: AzureSessionOptions = {},
): AsyncIterable<Scope<SubscriptionHandle>> {
  const config = ctx.config.providers.azure;
  if (!config) return;
  let session: AzureSession;
  try {
    session = await armSession(config, ctx.log, options, ctx.signal);
  } catch (err) {
    const e = toCollectError(err, 'GetMetadataEndpoints', { where: 'Azure', describe: azureFacts });
    yield {
      provider,
      account: '*',
      location: '*',
      error: { code: e.code, message: e.message, operation: e.operation },
    };
    return;
  }
  let listing = subscriptionLists.get(session);
  if (!listing) subscriptionLists.set(session, (listing = subscriptionIds(session, ctx.log, ctx.signal)));
  const { ids, error, entries } = await listing;
  for (const e of [...entries, ...serviceEntries(config)]) ctx.discovered?.(e);
  if (error)
    yield {
      provider,
      account: '*',
      location: '*',
      error: { code: error.code, message: error.message, operation: error.operation },
    };
  for (const id of ids)
    yield { provider, account: id, location: '*', handle: { session } satisfies SubscriptionHandle };
}

export function sessionOf(scope: Scope<SubscriptionHandle>): AzureSession {
  return scopeHandle(scope).session;
}

export function pipelineFor(s: AzureSession, operation: string): Pipeline {
  const pipeline = guardOrigins(createEmptyPipeline(), s.cloud, 'arm');
  // Above the retry layer, so a page fetched again after a failure is no loop.
  pipeline.addPolicy(pagingGuard(() => true, s.config.maxPages, operation));
  pipeline.addPolicy(
    retryPolicy({
      attempts: s.config.maxAttempts,
      timeoutMs: s.config.timeoutMs,
      limits: s.limits,
      // ARM read limits are per subscription (the `arm-read` bucket of session.ts).
      bucket: (u) => ({
        scope: /^\/subscriptions\/([^/]+)/i.exec(u.pathname)?.[1]?.toLowerCase() ?? 'tenant',
        api: 'arm-read',
      }),
      minDelayMs: s.minDelayMs,
      onRetry: (err, attempt, kind) =>
        s.log.debug(`${operation}: attempt ${attempt} failed (${kind}: ${describe(err).code}); retrying`),
    }),
  );
  // Below the retry layer: each attempt is authorised afresh.
  pipeline.addPolicy(bearerTokenAuthenticationPolicy({ credential: s.armCredential, scopes: [s.cloud.armScope] }));
  return pipeline;
}

/** The subscriptions the credential sees (`subscriptions: [all]`), page by page. */
export async function* listSubscriptions(s: AzureSession, signal?: AbortSignal): AsyncGenerator<SubscriptionSummary> {
  const pipeline = pipelineFor(s, 'Subscriptions_List');
  let url: string | undefined = `${s.cloud.resourceManager}/subscriptions?api-version=${SUBSCRIPTIONS_API}`;
  while (url) {
    const response = await pipeline.sendRequest(
      s.httpClient,
      createPipelineRequest({ url, method: 'GET', abortSignal: signal }),
    );
    let body: { value?: SubscriptionSummary[]; nextLink?: string; error?: { code?: string; message?: string } };
    try {
      body = JSON.parse(response.bodyAsText ?? '{}') as typeof body;
    } catch {
      throw new CollectError('PARSE_ERROR', 'the subscription list is not valid JSON', 'Subscriptions_List');
    }
    if (response.status !== 200)
      throw new CollectError(
        body.error?.code ?? `HTTP${response.status}`,
        `${body.error?.message ?? 'listing subscriptions failed'} (HTTP ${response.status})`,
        'Subscriptions_List',
      );
    for (const sub of body.value ?? [])
      yield { subscriptionId: sub.subscriptionId, displayName: sub.displayName, state: sub.state };
    url = body.nextLink ?? undefined;
  }
}

interface ArmPage<T> {
  value?: T[];
  nextLink?: string | null;
  error?: { code?: string; message?: string };
}

/**
 * Every page of an ARM list (`{ value, nextLink }`), following absolute next links verbatim. A
 * next link to another origin is refused by the pipeline's origin check (origins.ts). `path` may
 * carry query parameters of its own (`...?includeSlots=true`).
 */
export async function* armList<T>(
  s: AzureSession,
  path: string,
  apiVersion: string,
  operation: string,
  where: string,
  signal?: AbortSignal,
): AsyncGenerator<T[]> {
  const pipeline = pipelineFor(s, operation);
  let url: string | undefined =
    `${s.cloud.resourceManager}${path}${path.includes('?') ? '&' : '?'}api-version=${encodeURIComponent(apiVersion)}`;
  while (url) {
    let status: number;
    let text: string | undefined;
    try {
      const response = await pipeline.sendRequest(
        s.httpClient,
        createPipelineRequest({ url, method: 'GET', abortSignal: signal }),
      );
      status = response.status;
      text = response.bodyAsText ?? undefined;
    } catch (err) {
      throw toCollectError(err, operation, { where, describe: azureFacts });
    }
    let body: ArmPage<T>;
    try {
      body = JSON.parse(text || '{}') as ArmPage<T>;
    } catch {
      throw new CollectError('PARSE_ERROR', `${where}: the answer is not valid JSON (HTTP ${status})`, operation);
    }
    if (status !== 200)
      throw new CollectError(
        body.error?.code ?? `HTTP${status}`,
        `${where}: ${body.error?.message ?? 'the request failed'} (HTTP ${status})`,
        operation,
      );
    yield Array.isArray(body.value) ? body.value : [];
    url = body.nextLink || undefined;
  }
}

/** Every item of an ARM list, collected (binding providers join several lists before mapping). */
export async function armListAll<T>(
  s: AzureSession,
  path: string,
  apiVersion: string,
  operation: string,
  where: string,
  signal?: AbortSignal,
): Promise<T[]> {
  const out: T[] = [];
  for await (const page of armList<T>(s, path, apiVersion, operation, where, signal)) out.push(...page);
  return out;
}

/** The cloud's Key Vault DNS suffix (stated, a national cloud's, or from ARM's metadata). */
export function vaultSuffix(s: AzureSession): string {
  return s.cloud.keyVaultSuffix;
}
