/** The one error type a collection failure travels in, from a provider's call to the scope's result. */
import { errorFacts } from '../../net/retry.js';

/** A collection error with the context a person needs to act on it: the service's code and the operation. */
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

/** What a cloud's failure says: its code, its message and, for HTTP, the status. */
export interface ErrorFacts {
  code: string;
  message: string;
  status?: number;
}

export interface Described {
  /** Prefixed to the message: `vault kv-prod`, `subscription 1234`. */
  where?: string;
  /** How this cloud's SDK errors are read (default: errorFacts, which fits any Error). */
  describe?: (err: unknown) => ErrorFacts;
}

/**
 * A CollectError naming the operation (and the place, when given). The SDK's error is not kept:
 * it holds the request, headers included.
 */
export function toCollectError(err: unknown, operation: string, how: Described = {}): CollectError {
  const prefix = how.where ? `${how.where}: ` : '';
  if (err instanceof CollectError)
    return prefix ? new CollectError(err.code, `${prefix}${err.message}`, err.operation ?? operation) : err;
  const { code, message } = (how.describe ?? errorFacts)(err);
  return new CollectError(code, `${prefix}${message}`, operation);
}

/**
 * A listing stopped after `maxPages` pages: the one name of this condition for every cloud, so a
 * reader (and a rule on scope results) needs no per-provider spelling.
 */
export function pagingLimit(operation: string, maxPages: number): CollectError {
  return new CollectError(
    'PagingLimit',
    `${operation} kept returning next pages past ${maxPages} pages (maxPages); stopped as endless paging`,
    operation,
  );
}

/** A listing stopped because the service repeated a next-page token or link it had already given. */
export function pagingLoop(operation: string, where: string): CollectError {
  return new CollectError(
    'PagingLoop',
    `${operation} returned a next page it had already returned (${where}); stopped instead of looping`,
    operation,
  );
}
