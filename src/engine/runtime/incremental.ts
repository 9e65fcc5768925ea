/**
 * Incremental audits. A provider whose list call already describes each certificate (ACM's
 * summary, Key Vault's list item) keeps the previous run's record when that description is
 * unchanged, instead of reading the certificate again. Each record it reads is stamped with a
 * digest of its list entry and the time it was read, in its own `incremental` field (never in
 * provider data); a record is kept only while its digest still matches and it is younger than
 * `maxAgeDays`, so everything is read afresh at least that often and what the list does not show
 * (tags, policies) is never older than that.
 *
 * Where the previous records come from (a report file, the history store) is the caller's
 * business; providers see only `previous(uid)`.
 */
import { createHash } from 'node:crypto';
import type { Certificate } from '../../model/types.js';

export interface Incremental {
  /** The previous run's record of a certificate, by uid; undefined when there is none. */
  previous(uid: string): Certificate | undefined;
  /** A record read longer ago than this is read again, whatever its list entry says. */
  maxAgeDays: number;
  /** Every previous record, for handing the set to collection threads. */
  records?: Certificate[];
}

export const DEFAULT_MAX_AGE_DAYS = 7;
const DAY_MS = 86_400_000;

/** Canonical JSON (sorted keys, dates as ISO strings) so equal entries digest equally. */
function canonical(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  if (Array.isArray(v)) return v.map(canonical);
  if (v && typeof v === 'object') {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
    );
  }
  return v;
}

/** A short digest of what the list call says about one certificate. */
export function listDigest(entry: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(canonical(entry)))
    .digest('hex')
    .slice(0, 24);
}

/**
 * Each record's own age limit lies between half and all of `maxAgeDays`, fixed by its uid: after
 * a first full run, the re-reads spread over the nights instead of all falling on one.
 */
function ageLimitMs(uid: string, maxAgeDays: number): number {
  const spread = createHash('sha256').update(uid).digest().readUInt32BE(0) / 2 ** 32;
  return maxAgeDays * DAY_MS * (0.5 + 0.5 * spread);
}

/** The previous record, when it may stand for tonight's: same list entry, read recently enough. */
export function reusable(
  inc: Incremental | undefined,
  uid: string,
  digest: string,
  now: Date,
): Certificate | undefined {
  const prev = inc?.previous(uid);
  // A record without the stamp (written by a version that kept it elsewhere) is read afresh.
  const stamp = prev?.incremental;
  if (!prev || !stamp || stamp.listDigest !== digest || typeof stamp.readAt !== 'string') return undefined;
  const age = now.getTime() - Date.parse(stamp.readAt);
  return Number.isFinite(age) && age >= 0 && age < ageLimitMs(uid, inc!.maxAgeDays) ? prev : undefined;
}

/** Marks a freshly read record with its list digest and the audit clock. */
export function stamp(cert: Certificate, digest: string, now: Date): Certificate {
  return { ...cert, incremental: { listDigest: digest, readAt: now.toISOString() } };
}

/** An Incremental over a list of certificates (the previous report's, or the store's last run's). */
export function fromCertificates(certs: Iterable<Certificate>, maxAgeDays = DEFAULT_MAX_AGE_DAYS): Incremental {
  const byUid = new Map<string, Certificate>();
  for (const c of certs) byUid.set(c.uid, c);
  return { previous: (uid) => byUid.get(uid), maxAgeDays, records: [...byUid.values()] };
}
