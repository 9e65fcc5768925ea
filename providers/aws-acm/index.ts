/**
 * AWS Certificate Manager: every certificate of every key type, status and origin in each
 * account and region, with its real bytes, ACM's view of it, and its tags (from the Resource
 * Groups Tagging API, 100 certificates a call). Listing and the bytes are required; the
 * description (DescribeCertificate) and the tags are enrichments: a record is kept without them.
 */
import type { Certificate } from '../../src/model/types.js';
import { scopeHandle, type Provider, type Scope } from '../../src/engine/api/provider.js';
import { defineKind } from '../../src/engine/api/resource-kind.js';
import { errorFacts } from '../../src/net/retry.js';
import { awsScopes } from '../aws-shared/scopes.js';
import { ACM_PERMISSIONS } from '../aws-shared/permissions.js';
import type { AwsHandle } from '../aws-shared/handle.js';
import { AcmFetch } from './fetch.js';
import { tagRecord, toCertificate, type AcmDetail, type AcmSummary, type AcmTag } from './map.js';

/** Statuses in which ACM holds an issued certificate that GetCertificate returns. */
const HAS_BYTES = new Set(['ISSUED', 'EXPIRED', 'REVOKED', 'INACTIVE']);
/**
 * Reads of one API in flight at once in a scope: as many as its client-side bucket lets go at
 * once (half the service's burst), so calls that a late event loop sends in a bunch still fit
 * the service's bucket. More slots add no pace, since the token buckets set it, and only draw
 * throttled answers (docs/benchmarks.md). Each API has its own slots, since one may be held back for the other
 * (src/net/priority.ts).
 */
const slots = (f: AcmFetch, api: string) => f.h.limits.burst(api) ?? 8;

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

/** The scope's tags by ARN, from one paged listing. */
type Tags = Map<string, AcmTag[]>;

/** ACM's certificates of one account and region. */
const certificates = defineKind({
  open: (scope: Scope<AwsHandle>, ctx) => new AcmFetch(scopeHandle(scope), ctx.signal),
  close: (f) => f.close(),
  list: (f) => f.listCertificates(),
  keep: (s: AcmSummary) => !!s.CertificateArn,
  describe: (s) => `certificate ${s.CertificateArn}`,
  uid: (s) => `aws-acm:${s.CertificateArn}`,
  // The summary is the list entry: while it is unchanged, last night's record stands for tonight's.
  digest: (s) => s,
  rereadReused: renewalInFlight,
  // Deleted between ListCertificates and now: no longer there to audit.
  gone: (err) => errorFacts(err).code === 'ResourceNotFoundException',
  read: {
    needed: hasBytes,
    slots: (f) => slots(f, 'GetCertificate'),
    perSecond: (f) => f.h.limits.perSecond('GetCertificate'),
    call: (f, s, c) => f.certificate(s.CertificateArn!, c.work),
  },
  enrichments: {
    'acm-detail': {
      permission: ACM_PERMISSIONS.DescribeCertificate,
      loses: 'InUseBy, the renewal summary, failure and revocation reasons, the CT-logging option, the issuing CA',
      needed: needsDescribe,
      slots: (f) => slots(f, 'DescribeCertificate'),
      perSecond: (f) => f.h.limits.perSecond('DescribeCertificate'),
      call: (f, s, c): Promise<AcmDetail | undefined> => f.describe(s.CertificateArn!, c.work),
    },
  },
  scopeEnrichments: {
    // Tags are not part of the list entry: an unchanged certificate still gets tonight's.
    tags: {
      permission: ACM_PERMISSIONS.GetResources,
      loses: "the certificate's tags",
      fetch: (f): Promise<Tags> => f.tagsByArn(),
      apply: (cert: Certificate, tags: Tags | undefined): Certificate => {
        if (tags) return { ...cert, tags: tagRecord(tags.get(cert.ref) ?? []) };
        const { tags: _unknown, ...rest } = cert;
        return rest;
      },
    },
  },
  // `tags: []` keeps the field's place in the record; the scope's tag listing fills it (or removes it).
  map: (f, s, pem, enriched) =>
    toCertificate({
      account: f.h.account,
      region: f.h.region,
      summary: s,
      detail: enriched['acm-detail'],
      pem,
      tags: [],
    }),
});

export const awsAcm: Provider<AwsHandle> = {
  id: 'aws-acm',
  title: 'AWS Certificate Manager',
  enabled: (config) => !!config.providers.aws && config.providers.aws.services.acm,
  // A listener uses only certificates of its own account and region.
  referencedAs: { refKind: 'acm', reach: 'location' },
  permissions: ACM_PERMISSIONS,
  scopes: (ctx) => awsScopes('aws-acm', ctx),
  kinds: [certificates],
};

export default awsAcm;
