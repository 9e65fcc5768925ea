/** What an Azure call's failure says, in the terms a scope's error carries: the service's code and message. */
import { isRestError } from '@azure/core-rest-pipeline';
import { CollectError, type ErrorFacts } from '../../src/engine/api/collect-error.js';
import { serviceErrorOf } from './pipeline.js';

/** The service's own code (the inner one when Key Vault gives it: ForbiddenByFirewall, ...) and message; never the request. */
export function describe(err: unknown): { code: string; message: string; status?: number } {
  if (err instanceof CollectError) return { code: err.code, message: err.message };
  if (isRestError(err)) {
    const details = (err.details ?? {}) as {
      error?: { code?: string; message?: string; innerError?: { code?: string }; innererror?: { code?: string } };
    };
    const kept = serviceErrorOf(err.request);
    if (kept)
      return {
        code: kept.inner ?? kept.code ?? err.code ?? `HTTP${err.statusCode ?? ''}`,
        message: kept.message ?? err.message,
        status: err.statusCode,
      };
    const inner = details.error?.innerError?.code ?? details.error?.innererror?.code;
    return {
      code: inner ?? details.error?.code ?? err.code ?? `HTTP${err.statusCode ?? ''}`,
      message: details.error?.message ?? err.message,
      status: err.statusCode,
    };
  }
  const e = err as { code?: string; name?: string; message?: string };
  return { code: e?.code ?? e?.name ?? 'Error', message: String(e?.message ?? err) };
}

/** An Azure failure as a collection error's facts: the service's code, its message and the HTTP status. */
export function azureFacts(err: unknown): ErrorFacts {
  const { code, message, status } = describe(err);
  return { code, message: `${message.trim()}${status ? ` (HTTP ${status})` : ''}` };
}
