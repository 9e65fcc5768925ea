/**
 * Server-driven paging shared by ARM and Key Vault: both answer `{ value, nextLink }` where
 * nextLink is an absolute URL carrying an opaque `$skiptoken`, followed by the client verbatim.
 */
import type { FaultKind } from '../types.js';

/** Opaque like the service's (base64 of a JSON marker), but only the simulator reads it. */
function encodeToken(offset: number): string {
  return Buffer.from(JSON.stringify({ NextMarker: `2!${offset}!`, TargetLocation: 0 })).toString('base64');
}

function decodeToken(token: string | null): number | undefined {
  if (token === null) return 0;
  try {
    const marker = (JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { NextMarker: string }).NextMarker;
    const offset = Number(marker.split('!')[1]);
    return Number.isInteger(offset) && offset >= 0 ? offset : undefined;
  } catch {
    return undefined;
  }
}

export interface PageRequest {
  url: URL;
  /** Absolute base of links, e.g. `https://v.vault.azure.net:443/certificates`. */
  linkBase: string;
  pageSize: number;
  /** Query parameters every next link repeats (api-version, maxresults, ...). */
  keep: Record<string, string | undefined>;
  fault?: FaultKind;
  /** For `foreign-link`: the host the next link names instead of the service's own. */
  linkHost?: string;
}

/** Returns the page, or undefined when the skip token is not one this server issued. */
export function page<T>(items: T[], req: PageRequest): { value: T[]; nextLink?: string } | undefined {
  const offset = decodeToken(req.url.searchParams.get('$skiptoken'));
  if (offset === undefined) return undefined;
  const link = (at: number, base = req.linkBase) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(req.keep)) if (v !== undefined) q.set(k, v);
    if (at > 0) q.set('$skiptoken', encodeToken(at));
    // URLSearchParams writes `%24skiptoken`; the services write a literal `$` in parameter names.
    return `${base}?${q.toString().replace(/(^|&)%24/g, '$1$$')}`;
  };
  const value = items.slice(offset, offset + req.pageSize);
  const next = offset + req.pageSize;
  if (req.fault === 'loop-paging') return { value, nextLink: link(offset) };
  // A link a tampered or hostile answer could carry: the same path on a host the cloud does not own.
  if (req.fault === 'foreign-link')
    return {
      value,
      nextLink: link(next, `https://${req.linkHost ?? 'foreign.invalid'}${new URL(req.linkBase).pathname}`),
    };
  if (req.fault === 'endless-paging') return { value, nextLink: link(next) };
  return { value, ...(next < items.length ? { nextLink: link(next) } : {}) };
}
