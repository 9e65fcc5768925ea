import type { Binding, Certificate, Inventory, Origin, ScopeError } from '../model/types.js';
import type { Config } from '../config/schema.js';
import type { Incremental } from './incremental.js';

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
}

export interface Provider<Handle = unknown> {
  /** `files`, `aws-acm`, `aws-elbv2`, `azure-keyvault`, ... */
  id: string;
  title: string;
  /** Which certificate providers' certificates this provider's bindings can point at. */
  binds?: string[];
  /**
   * Runs in a second phase, after every other provider, with their inventory in the context:
   * for providers that derive what to visit from it (TLS endpoints named by load balancers).
   */
  needsInventory?: boolean;
  /** Whether the config asks for this provider at all. */
  enabled(config: Config): boolean;
  /** The scopes to visit. Discovery failures come back as scopes with `error` set. */
  scopes(ctx: ScopeContext): AsyncIterable<Scope<Handle>>;
  /** Yields records as pages arrive. Throwing ends the scope as failed (or partial, if it yielded). */
  collect(scope: Scope<Handle>, ctx: CollectContext): AsyncIterable<Certificate | Binding>;
}

/** The handle the provider's own scopes() gave the scope; a scope made anywhere else is refused. */
export function scopeHandle<Handle>(scope: Scope<Handle>): Handle {
  if (scope.handle === undefined) throw new CollectError('NoHandle', `${scope.provider} ${scope.account}/${scope.location}: scope was not produced by this provider's scopes()`);
  return scope.handle;
}

/** A collection error with the context a person needs to act on it. */
export class CollectError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly operation?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CollectError';
  }
}
