/**
 * How a scope's collection ends, the same for every provider: a required call that fails ends it
 * `failed`, or `partial` keeping the records it had; an enrichment lost or an item not read ends
 * it `partial` with every record it has. Each problem names the operation, the service's error
 * code and the permission involved.
 */
import type { Origin, ScopeError, ScopeResult, ScopeStatus } from '../../model/types.js';
import { errorFacts } from '../../net/retry.js';
import { CollectError } from '../api/collect-error.js';
import type { Loss, Provider } from '../api/provider.js';

export function scopeError(err: unknown): ScopeError {
  if (err instanceof CollectError)
    return { code: err.code, message: err.message, ...(err.operation ? { operation: err.operation } : {}) };
  const { code, message, status } = errorFacts(err);
  return { code: code === 'Error' && status ? `HTTP${status}` : code, message };
}

/** The error with the permission its operation needs, as the provider declares it. */
export function withPermission(provider: Pick<Provider, 'permissions'> | undefined, e: ScopeError): ScopeError {
  const permission = e.permission ?? (e.operation ? provider?.permissions?.[e.operation] : undefined);
  return permission ? { ...e, permission } : e;
}

/** The losses of one scope, one entry per (enrichment or item read, operation, code), counted. */
export class Losses {
  private readonly byKey = new Map<string, ScopeError>();

  constructor(private readonly provider?: Pick<Provider, 'permissions'>) {}

  add(loss: Loss): ScopeError {
    const e = scopeError(loss.error);
    const key = `${loss.enrichment ?? ''}\u0000${e.operation ?? ''}\u0000${e.code}`;
    const seen = this.byKey.get(key);
    if (seen) {
      seen.count = (seen.count ?? 1) + 1;
      return seen;
    }
    const message = loss.enrichment
      ? `${loss.enrichment} not read, records kept without them: ${e.message}`
      : loss.item
        ? `${loss.item} not read: ${e.message}`
        : e.message;
    const entry = withPermission(this.provider, {
      ...e,
      message,
      ...(loss.enrichment ? { enrichment: loss.enrichment } : {}),
    });
    this.byKey.set(key, entry);
    return entry;
  }

  list(): ScopeError[] {
    return [...this.byKey.values()];
  }
}

/**
 * The scope's result. `thrown` is the required failure that ended it, if any. Without one, a
 * scope that lost only enrichments is `partial` whatever it holds; one that lost items is
 * `failed` when nothing at all was read.
 */
export function scopeResult(
  origin: Origin,
  stats: ScopeResult['stats'],
  thrown: ScopeError | undefined,
  losses: ScopeError[],
): ScopeResult {
  const records = stats.certificates + stats.bindings;
  const itemLost = losses.some((e) => !e.enrichment);
  let status: ScopeStatus = 'ok';
  if (thrown) status = records > 0 ? 'partial' : 'failed';
  else if (losses.length) status = itemLost && records === 0 ? 'failed' : 'partial';
  const problems = [
    ...(thrown ? [thrown] : []),
    ...losses.filter((e) => !e.enrichment),
    ...losses.filter((e) => e.enrichment),
  ];
  return {
    ...origin,
    status,
    ...(problems.length ? { error: problems[0] } : {}),
    ...(problems.length > 1 ? { errors: problems } : {}),
    stats,
  };
}
