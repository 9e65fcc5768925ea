/**
 * AWS Certificate Manager: every certificate of every key type, status and origin in each
 * account and region, with its real bytes, ACM's view of it, and its tags (from the Resource
 * Groups Tagging API, 100 certificates a call). Listing and the bytes are required; the
 * description (DescribeCertificate) and the tags are enrichments: a record is kept without them.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { Certificate } from '../../src/model/types.js';
import {
  scopeHandle,
  enrich,
  LOST,
  readItem,
  withUnread,
  type CollectContext,
  type Provider,
  type Scope,
} from '../../src/engine/api/provider.js';
import { errorFacts } from '../../src/net/retry.js';
import { asCompletedBatches } from '../../src/engine/runtime/as-completed.js';
import { listDigest, reusable, stamp, type Incremental } from '../../src/engine/runtime/incremental.js';
import { awsScopes } from '../aws-shared/scopes.js';
import { ACM_PERMISSIONS } from '../aws-shared/permissions.js';
import type { AwsHandle } from '../aws-shared/handle.js';
import { AcmFetch } from './fetch.js';
import { tagRecord, toCertificate, type AcmSummary, type AcmTag } from './map.js';

/** The scope's tags by ARN, or LOST when the listing failed: then every record's tags are unknown. */
type Tags = Promise<Map<string, AcmTag[]> | typeof LOST>;

/** Statuses in which ACM holds an issued certificate that GetCertificate returns. */
const HAS_BYTES = new Set(['ISSUED', 'EXPIRED', 'REVOKED', 'INACTIVE']);
/**
 * Reads of one API in flight at once in a scope: as many as its client-side bucket lets go at
 * once (half the service's burst), so calls that a late event loop sends in a bunch still fit
 * the service's bucket. More slots add no pace, since the token buckets set it, and only draw
 * throttled answers (docs/benchmarks.md). Each API has its own slots, since one may be held back for the other
 * (src/net/priority.ts).
 */
const slots = (f: AcmFetch, api: string) => pLimit(f.h.limits.burst(api) ?? 8);

type Limits = { gets: LimitFunction; describes: LimitFunction };

/**
 * ListCertificates already gives type, status, key algorithm, validity, InUse, renewal
 * eligibility, key usages and timestamps. DescribeCertificate adds InUseBy, RenewalSummary,
 * FailureReason, RevocationReason, the CT-logging option and the issuing private CA; none of
 * these says anything about an IMPORTED certificate that is ISSUED or EXPIRED and not in use
 * (imports are never renewed, validated or failed by ACM, and InUseBy is empty when InUse is
 * false), so that common case is not described: one call per certificate saved.
 */
export function needsDescribe(s: AcmSummary): boolean {
  return s.Type !== 'IMPORTED' || s.InUse !== false || !(s.Status === 'ISSUED' || s.Status === 'EXPIRED');
}

const hasBytes = (s: AcmSummary) => HAS_BYTES.has(s.Status ?? '');

/** Deleted between ListCertificates and now: no longer there to audit, neither a record nor a loss. */
const GONE = Symbol('gone');
function orGone<T>(read: Promise<T>): Promise<T | typeof GONE> {
  return read.catch((err: unknown) => {
    if (errorFacts(err).code === 'ResourceNotFoundException') return GONE;
    throw err;
  });
}

/**
 * One certificate: its bytes (required: its facts come from them) and its description (an
 * enrichment: without it the record is kept, lacking `acm-detail`).
 */
async function collectOne(
  f: AcmFetch,
  limits: Limits,
  s: AcmSummary,
  tagging: Tags,
  ctx: CollectContext,
): Promise<Certificate | undefined> {
  const arn = s.CertificateArn!;
  const [pem, detail, tags] = await Promise.all([
    hasBytes(s) ? orGone(limits.gets(() => f.certificate(arn))) : undefined,
    needsDescribe(s) ? enrich(ctx, 'acm-detail', () => orGone(limits.describes(() => f.describe(arn)))) : undefined,
    tagging,
  ]);
  if (pem === GONE || detail === GONE) return undefined;
  let cert = toCertificate({
    account: f.h.account,
    region: f.h.region,
    summary: s,
    detail: detail === LOST ? undefined : detail,
    pem,
    tags: tags === LOST ? undefined : (tags.get(arn) ?? []),
  });
  if (detail === LOST) cert = withUnread(cert, 'acm-detail');
  return tags === LOST ? withUnread(cert, 'tags') : cert;
}

/** An unchanged certificate's record with tonight's tags, or without any when they could not be read. */
function retagged(kept: Certificate, tags: Map<string, AcmTag[]> | typeof LOST): Certificate {
  if (tags === LOST) {
    const { tags: _unknown, ...rest } = kept;
    return withUnread(rest, 'tags');
  }
  const out: Certificate = { ...kept, tags: tagRecord(tags.get(kept.ref) ?? []) };
  const unread = kept.unread?.filter((e) => e !== 'tags');
  if (unread?.length) out.unread = unread;
  else delete out.unread;
  return out;
}

/** ACM starts renewing a certificate it issued 60 days before expiry (ACM managed renewal). */
const RENEWAL_WINDOW_MS = 60 * 86_400_000;

/**
 * Whether a certificate must be read tonight although its summary did not change: the summary
 * says nothing of a renewal's progress, so an ACM-renewed certificate inside its renewal window,
 * or whose last renewal had not succeeded, is described every night.
 */
function renewalInFlight(s: AcmSummary, prev: Certificate, now: Date): boolean {
  if (s.Type === 'IMPORTED') return false;
  const status = prev.acm?.renewalSummary?.status;
  if (status !== undefined && status !== 'SUCCESS') return true;
  return s.NotAfter !== undefined && s.NotAfter.getTime() - now.getTime() < RENEWAL_WINDOW_MS;
}

/** The previous record of an unchanged certificate, or undefined when it must be read. */
function unchanged(inc: Incremental | undefined, s: AcmSummary, digest: string, now: Date): Certificate | undefined {
  const prev = reusable(inc, `aws-acm:${s.CertificateArn}`, digest, now);
  // Tags are read every night; a record that lacked anything else is read again.
  if (prev?.unread?.some((e) => e !== 'tags')) return undefined;
  return prev && !renewalInFlight(s, prev, now) ? prev : undefined;
}

/** Per listed page, the reads of its certificates (or tonight's tags on an unchanged one's record). */
async function* readsOf(
  f: AcmFetch,
  limits: Limits,
  tagging: Tags,
  ctx: CollectContext,
): AsyncGenerator<Array<Promise<Certificate | undefined>>> {
  for await (const page of f.listCertificates()) {
    const listed = page
      .filter((s) => s.CertificateArn)
      .map((s) => {
        const digest = ctx.incremental ? listDigest(s) : '';
        return { s, digest, kept: ctx.incremental && unchanged(ctx.incremental, s, digest, ctx.now) };
      });
    const toRead = listed.filter((x) => !x.kept).map((x) => x.s);
    f.gets.add(toRead.filter(hasBytes).length);
    f.describes.add(toRead.filter(needsDescribe).length);
    yield listed.map(({ s, digest, kept }) => {
      // Tags are not part of the list entry: an unchanged certificate still gets tonight's.
      if (kept) return tagging.then((t) => retagged(kept, t));
      // One certificate that cannot be read is missing, named in the scope's result; the rest are not.
      const read = readItem(ctx, `certificate ${s.CertificateArn}`, () => collectOne(f, limits, s, tagging, ctx));
      return ctx.incremental ? read.then((r) => r && stamp(r, digest, ctx.now)) : read;
    });
  }
  f.gets.listed();
  f.describes.listed();
}

export const awsAcm: Provider<AwsHandle> = {
  id: 'aws-acm',
  title: 'AWS Certificate Manager',
  enabled: (config) => !!config.providers.aws && config.providers.aws.services.acm,
  // A listener uses only certificates of its own account and region.
  referencedAs: { refKind: 'acm', reach: 'location' },
  permissions: ACM_PERMISSIONS,
  scopes: (ctx) => awsScopes('aws-acm', ctx),
  async *collect(scope: Scope<AwsHandle>, ctx: CollectContext) {
    const f = new AcmFetch(scopeHandle(scope), ctx.signal);
    const limits = { gets: slots(f, 'GetCertificate'), describes: slots(f, 'DescribeCertificate') };
    // The scope's tags in one paged listing, under way while the certificates are listed and read.
    // An enrichment: if it fails, every certificate is kept without tags and the scope is partial.
    const tagging = enrich(ctx, 'tags', () => f.tagsByArn());
    // Awaited with each record; this only keeps a cancellation that comes first from going unhandled.
    tagging.catch(() => {});
    try {
      // Each page's reads start as soon as it is listed, while the next page is being fetched.
      for await (const r of asCompletedBatches(readsOf(f, limits, tagging, ctx))) if (r) yield r;
    } finally {
      f.close();
    }
  },
};

export default awsAcm;
