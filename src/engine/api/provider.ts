import type { Binding, Certificate, Inventory, Origin, ScopeError } from '../../model/types.js';
import type { Config } from '../../config/schema.js';
import type { Incremental } from '../runtime/incremental.js';
import { errorFacts } from '../../net/retry.js';
import { CollectError } from './collect-error.js';
import type { Kind } from './resource-kind.js';

/**
 * One unit of collection: (provider, account, location). `handle` carries what the provider
 * needs to visit it (credentials, a vault URI), of a type each provider chooses, and is never
 * written to any report.
 */
export interface Scope<Handle = unknown> extends Origin {
  handle?: Handle;
  /** Set when discovering this scope already failed (an account whose role cannot be assumed). */
  error?: ScopeError;
}

export interface Logger {
  info(msg: string): void;
  warn(msg: string): void;
  debug(msg: string): void;
}

export interface ScopeContext {
  config: Config;
  log: Logger;
  signal?: AbortSignal;
  /** For providers with `needsInventory`: what every other provider collected (unlinked). */
  inventory?: Inventory;
}

export interface CollectContext extends ScopeContext {
  now: Date;
  /**
   * The previous run's records, for providers that can tell from a list call what did not change
   * and skip reading it again (src/engine/incremental.ts). Absent: read everything.
   */
  incremental?: Incremental;
  /**
   * Reports what the scope lost without ending: the scope ends `partial` with the loss named.
   * Providers call it through `enrich` and `readItem` below.
   */
  lose: (loss: Loss) => void;
}

/**
 * What a scope lost while going on: an optional enrichment (the records are kept without it), or
 * one item that could not be read after retries (its siblings are kept).
 */
export interface Loss {
  error: unknown;
  /** The enrichment, as rules name it in `requires` (`tags`, `acm-detail`); unset for an item. */
  enrichment?: string;
  /** The item that was not read (an ARN, a name), for the message. */
  item?: string;
}

/**
 * Where a binding that uses a certificate can be, relative to the certificate's own scope: in
 * the same account and location (an ELBv2 listener uses only ACM certificates of its own region),
 * in the same account (IAM is global), or anywhere in the run (an Application Gateway may use a
 * vault of another subscription).
 */
export type Reach = 'location' | 'account' | 'anywhere';

export interface Provider<Handle = unknown> {
  /** `files`, `aws-acm`, `aws-elbv2`, `azure-keyvault`, ... */
  id: string;
  title: string;
  /** Which certificate providers' certificates this provider's bindings can point at. */
  binds?: string[];
  /**
   * For certificate providers: the `refKind` bindings give its certificates (`acm`, `iam`,
   * `keyvault`) and where those bindings can be. Verdicts that need completeness ("unused",
   * "dangling", "resolved") look only at the scopes that could hold the other side.
   */
  referencedAs?: { refKind: string; reach: Reach };
  /** The permission each operation it calls needs (`ListCertificates` -> `acm:ListCertificates`), so a failure names it. */
  permissions?: Record<string, string>;
  /**
   * Runs in a second phase, after every other provider, with their inventory in the context:
   * for providers that derive what to visit from it (TLS endpoints named by load balancers).
   */
  needsInventory?: boolean;
  /** Whether the config asks for this provider at all. */
  enabled(config: Config): boolean;
  /** The scopes to visit. Discovery failures come back as scopes with `error` set. */
  scopes(ctx: ScopeContext): AsyncIterable<Scope<Handle>>;
  /**
   * What it collects, declared (resource-kind.ts): the runtime lists, reads, enriches and maps
   * each kind. A provider declares `kinds` or, for what is no listing of a cloud API (files on
   * disk, TLS handshakes), writes `collect` itself.
   */
  kinds?: ReadonlyArray<Kind<Handle>>;
  /** Yields records as they are found. Throwing ends the scope as failed (or partial, if it yielded). */
  collect?(scope: Scope<Handle>, ctx: CollectContext): AsyncIterable<Certificate | Binding>;
}

/** The providers a program ships, and how a collection thread that loads them itself is started. */
export interface Registry {
  providers: readonly Provider[];
  /** The module a collection thread runs (it calls runCollectionThread with the same providers). */
  threadEntry(): URL;
}

/** The handle the provider's own scopes() gave the scope; a scope made anywhere else is refused. */
export function scopeHandle<Handle>(scope: Scope<Handle>): Handle {
  if (scope.handle === undefined)
    throw new CollectError(
      'NoHandle',
      `${scope.provider} ${scope.account}/${scope.location}: scope was not produced by this provider's scopes()`,
    );
  return scope.handle;
}

/** What `enrich` gives for an enrichment that could not be read (a value of its own: `undefined` may be a real answer). */
export const LOST: unique symbol = Symbol('lost');

/**
 * Failures in a row after which a scope stops trying: a denial or a throttle that holds for the
 * whole scope would otherwise be retried once per item, and a large scope would take hours to
 * say what ten items already said.
 */
export const GIVE_UP_AFTER = 10;

/** Per scope (its context): items that failed in a row, and enrichments given up with their error. */
const streaks = new WeakMap<object, { items: number; given: Map<string, unknown>; tries: Map<string, number> }>();
const streakOf = (ctx: object) => {
  let s = streaks.get(ctx);
  if (!s) streaks.set(ctx, (s = { items: 0, given: new Map(), tries: new Map() }));
  return s;
};

/**
 * Runs an optional enrichment of a scope's records (tags, a TLS policy's ciphers). If it fails
 * (denied, throttled out, 5xx) the loss is reported and `LOST` comes back: the caller keeps its
 * records without the field and marks them with `unread`. After GIVE_UP_AFTER failures in a row
 * it is not tried again in this scope. Cancellation is no loss: it ends the scope as before.
 */
export async function enrich<T>(
  ctx: Pick<CollectContext, 'lose' | 'signal'>,
  enrichment: string,
  fetch: () => Promise<T>,
): Promise<T | typeof LOST> {
  const streak = streakOf(ctx);
  if (streak.given.has(enrichment)) {
    ctx.lose({ error: streak.given.get(enrichment), enrichment });
    return LOST;
  }
  try {
    const value = await fetch();
    streak.tries.set(enrichment, 0);
    return value;
  } catch (error) {
    if (ctx.signal?.aborted) throw error;
    ctx.lose({ error, enrichment });
    const failed = (streak.tries.get(enrichment) ?? 0) + 1;
    streak.tries.set(enrichment, failed);
    if (failed >= GIVE_UP_AFTER) streak.given.set(enrichment, error);
    return LOST;
  }
}

/** The scope stopped reading items (readItem). */
class GaveUp extends CollectError {}

/**
 * Reads one item of a listing. If it cannot be read after retries, the loss is reported and
 * `undefined` comes back: the item is missing from the scope, its siblings are not. After
 * GIVE_UP_AFTER items in a row could not be read, the scope stops: this throws, and the scope
 * ends `partial` (or `failed`) with what it had.
 */
export async function readItem<T>(
  ctx: Pick<CollectContext, 'lose' | 'signal'>,
  item: string,
  read: () => Promise<T>,
): Promise<T | undefined> {
  const streak = streakOf(ctx);
  try {
    const value = await read();
    streak.items = 0;
    return value;
  } catch (error) {
    // Cancelled, or a read nested in this one already gave up: the scope ends, nothing more to count.
    if (ctx.signal?.aborted || error instanceof GaveUp) throw error;
    ctx.lose({ error, item });
    if (++streak.items < GIVE_UP_AFTER) return undefined;
    const { code, message } = error instanceof CollectError ? error : errorFacts(error);
    const operation = error instanceof CollectError ? error.operation : undefined;
    throw new GaveUp(
      code,
      `stopped after ${streak.items} items in a row could not be read; the last, ${item}: ${message}`,
      operation,
      { cause: error },
    );
  }
}

/** The record, said to lack `enrichment` (its field absent): rules that require it leave it alone. */
export function withUnread<T extends Certificate | Binding>(rec: T, enrichment: string): T {
  const unread = [...new Set([...(rec.unread ?? []), enrichment])].sort();
  return { ...rec, unread };
}
