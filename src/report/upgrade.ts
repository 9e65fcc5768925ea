/**
 * Schema version 1 kept provider data in an untyped `meta` bag on each record, with an incremental
 * audit's stamp (`listDigest`, `readAt`) inside it. Version 2 gives each provider a typed facet
 * (src/model/facets.ts) holding the same keys, and the stamp a field of its own.
 *
 * A version 1 report is read as version 2: each record's `meta` becomes the facet of the provider
 * that wrote it, key for key, in the same place. The stamp is dropped rather than moved, so an
 * incremental audit reads those certificates afresh once instead of trusting a record that an
 * older mapper wrote. A `meta` of a provider that has no facet is dropped: nothing reads it.
 */
import { FACETS, type FacetName } from '../model/facets.js';

const STAMP = new Set(['listDigest', 'readAt']);

const facetOf = new Map<string, FacetName>(
  Object.entries(FACETS).map(([name, f]) => [`${f.kind}\u0000${f.provider}`, name as FacetName]),
);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function upgradeRecord(rec: unknown): unknown {
  if (!isObject(rec) || !('meta' in rec)) return rec;
  const facet = facetOf.get(`${String(rec.kind)}\u0000${String(rec.provider)}`);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(rec)) {
    if (k !== 'meta') out[k] = v;
    else if (facet && isObject(v))
      out[facet] = Object.fromEntries(Object.entries(v).filter(([key]) => !STAMP.has(key)));
  }
  return out;
}

/** The records of a version 1 report in version 2's shape; the rest of the report is unchanged. */
export function upgradeFromV1(data: Record<string, unknown>): Record<string, unknown> {
  const records = (key: string) => (Array.isArray(data[key]) ? (data[key] as unknown[]).map(upgradeRecord) : data[key]);
  return { ...data, schemaVersion: 2, certificates: records('certificates'), bindings: records('bindings') };
}
