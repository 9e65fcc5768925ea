/**
 * AWS Certificate Manager over JSON 1.1 (`X-Amz-Target: CertificateManager.<Op>`), as the API
 * reference documents it: ListCertificates with its default filters (acm-list.ts), summaries with
 * epoch-second timestamps, DescribeCertificate's detail, GetCertificate's PEM + chain
 * (RequestInProgressException before issue) and ListTagsForCertificate.
 */
import type { SimCall, SimRequest, SimResponse, SimService } from '../types.js';
import { authenticate, caller, scopeOf } from './auth.js';
import { EKUS, exportOption, KEY_USAGES, listCertificates, type Input } from './acm-list.js';
import { epoch, header, jsonError, jsonFaults, jsonOk, jsonText, parseJson } from './protocol.js';
import type { AcmCertificate, AwsRegionState, AwsWorld } from './world.js';

/** Statuses in which ACM has (or had) an issued certificate to hand out. */
const HAS_BYTES = new Set(['ISSUED', 'EXPIRED', 'REVOKED', 'INACTIVE']);
const ARN = /^arn:[\w+=/,.@-]+:acm:[\w+=/,.@-]*:[0-9]+:[\w+=,.@-]+(\/[\w+=,.@-]+)*$/;

function summary(c: AcmCertificate) {
  const issued = HAS_BYTES.has(c.status);
  return {
    CertificateArn: c.arn,
    DomainName: c.domainName || undefined,
    SubjectAlternativeNameSummaries: c.sans.slice(0, 100),
    HasAdditionalSubjectAlternativeNames: c.sans.length > 100,
    Status: c.status,
    Type: c.type,
    KeyAlgorithm: c.keyAlgorithm,
    KeyUsages: issued ? KEY_USAGES : undefined,
    ExtendedKeyUsages: issued ? EKUS.map(([n]) => n) : undefined,
    ExportOption: exportOption(c),
    InUse: c.inUseBy.length > 0,
    Exported: c.type === 'PRIVATE' ? false : undefined,
    RenewalEligibility: c.spec.renewalEligibility ?? (c.type === 'IMPORTED' ? 'INELIGIBLE' : 'ELIGIBLE'),
    NotBefore: issued ? epoch(c.material.notBefore) : undefined,
    NotAfter: issued ? epoch(c.material.notAfter) : undefined,
    CreatedAt: epoch(c.createdAt),
    IssuedAt: issued && c.type !== 'IMPORTED' ? epoch(c.material.notBefore) : undefined,
    ImportedAt: c.type === 'IMPORTED' ? epoch(c.createdAt) : undefined,
    RevokedAt: c.status === 'REVOKED' ? epoch(c.material.notBefore) : undefined,
    ManagedBy: c.spec.managedBy,
    CertificateKeyPairOrigin: c.keyPairOrigin,
  };
}

function validation(c: AcmCertificate, status: string) {
  return c.sans.map((d) => ({
    DomainName: d,
    ValidationDomain: d,
    ValidationStatus: status,
    ValidationMethod: 'DNS',
    ResourceRecord: { Name: `_x1.${d.replace(/^\*\./, '')}.`, Type: 'CNAME', Value: `_x2.acm-validations.aws.` },
  }));
}

function detail(c: AcmCertificate, region: string) {
  const s = summary(c);
  const issued = HAS_BYTES.has(c.status);
  const managed = c.type === 'AMAZON_ISSUED';
  return {
    ...s,
    SubjectAlternativeNameSummaries: undefined,
    HasAdditionalSubjectAlternativeNames: undefined,
    ExportOption: undefined,
    SubjectAlternativeNames: c.sans,
    DomainValidationOptions: managed
      ? validation(c, issued ? 'SUCCESS' : c.status === 'PENDING_VALIDATION' ? 'PENDING_VALIDATION' : 'FAILED')
      : undefined,
    Serial: issued ? c.described?.serial : undefined,
    Subject: issued ? c.described?.subject : undefined,
    Issuer: issued ? c.described?.issuer : undefined,
    SignatureAlgorithm: issued ? c.described?.signatureAlgorithm : undefined,
    InUseBy: c.inUseBy,
    FailureReason:
      c.status === 'FAILED' || c.status === 'VALIDATION_TIMED_OUT' ? (c.spec.failureReason ?? 'OTHER') : undefined,
    RevocationReason: c.status === 'REVOKED' ? (c.spec.revocationReason ?? 'UNSPECIFIED') : undefined,
    RenewalSummary:
      c.spec.renewal && c.type !== 'IMPORTED'
        ? {
            RenewalStatus: c.spec.renewal.status,
            RenewalStatusReason: c.spec.renewal.reason,
            DomainValidationOptions: validation(c, c.spec.renewal.status === 'FAILED' ? 'FAILED' : 'SUCCESS'),
            UpdatedAt: s.CreatedAt,
          }
        : undefined,
    KeyUsages: issued ? KEY_USAGES.map((Name) => ({ Name })) : undefined,
    ExtendedKeyUsages: issued ? EKUS.map(([Name, OID]) => ({ Name, OID })) : undefined,
    CertificateAuthorityArn:
      c.type === 'PRIVATE'
        ? `arn:aws:acm-pca:${region}:${c.arn.split(':')[4]}:certificate-authority/00000000-0000-4000-8000-000000000000`
        : undefined,
    Options: { CertificateTransparencyLoggingPreference: c.spec.ctLogging ?? 'ENABLED' },
  };
}

/**
 * GetCertificate's and DescribeCertificate's bodies, serialised once per material: a certificate
 * changes only by a renewal, which replaces its material, and nothing else of it changes after
 * seeding (load balancers are linked then). `serialiseAcmBodies` makes them all when the
 * simulator starts, since a real service's work is not on the auditor's CPU and the benchmark's
 * simulator shares it; a renewal's new material gets its bodies when first asked for.
 */
const BODIES = Symbol('bodies');
type Cached = AcmCertificate['material'] & { [BODIES]?: { get?: Buffer; describe?: Buffer } };
function cachedBody(kind: 'get' | 'describe', c: AcmCertificate, region: string): Buffer {
  // On the material itself (a renewal brings a new one), not in a WeakMap the collector must trace.
  const m = c.material as Cached;
  const bodies = (m[BODIES] ??= {});
  return (bodies[kind] ??= Buffer.from(
    JSON.stringify(
      kind === 'get'
        ? { Certificate: m.pem, CertificateChain: m.chainPem || undefined }
        : { Certificate: detail(c, region) },
    ),
  ));
}

export function serialiseAcmBodies(world: AwsWorld): void {
  for (const account of world.accounts.values())
    for (const [region, state] of account.regions)
      for (const c of state.certificates) {
        cachedBody('describe', c, region);
        if (HAS_BYTES.has(c.status)) cachedBody('get', c, region);
      }
}

const EMPTY: AwsRegionState = {
  certificates: [],
  certificatesByArn: new Map(),
  loadBalancers: [],
  listenersByArn: new Map(),
};

export function acmService(world: AwsWorld): SimService {
  function regionOf(req: SimRequest): { state: AwsRegionState; region: string } {
    const c = caller(world, req)!;
    const region = c.sig.region;
    return { region, state: world.accounts.get(c.principal!.account)?.regions.get(region) ?? EMPTY };
  }
  function find(state: AwsRegionState, arn: unknown): AcmCertificate | SimResponse {
    if (typeof arn !== 'string')
      return jsonError(
        'ValidationException',
        "1 validation error detected: Value null at 'certificateArn' failed to satisfy constraint: Member must not be null",
      );
    // The pattern is tested only on a miss: it backtracks, and reads of known certificates are the hot path.
    const found = state.certificatesByArn.get(arn);
    if (found) return found;
    if (!ARN.test(arn)) return jsonError('InvalidArnException', `String '${arn}' is not a valid ARN.`);
    return jsonError('ResourceNotFoundException', `Could not find certificate ${arn}.`);
  }
  return {
    name: 'acm',
    identify(req) {
      const target = header(req, 'x-amz-target');
      if (req.method !== 'POST' || !target?.startsWith('CertificateManager.')) return undefined;
      const action = target.slice('CertificateManager.'.length);
      return { service: 'acm', action, scope: scopeOf(world, req), permission: `acm:${action}` };
    },
    authenticate: (req) => authenticate(world, req, 'json'),
    handle(req, call: SimCall, ctx) {
      const input = parseJson<Input>(req);
      if (!input) return jsonError('SerializationException', 'Start of structure or map found where not expected.');
      const { state, region } = regionOf(req);
      if (call.action === 'ListCertificates')
        return listCertificates(state, input, world, call.scope, summary, ctx.fault);
      const found = ['DescribeCertificate', 'GetCertificate', 'ListTagsForCertificate'].includes(call.action)
        ? find(state, input.CertificateArn)
        : undefined;
      if (found && !('arn' in found)) return found;
      const cert = found as AcmCertificate;
      switch (call.action) {
        case 'DescribeCertificate':
          return jsonText(cachedBody('describe', cert, region));
        case 'GetCertificate':
          if (!HAS_BYTES.has(cert.status))
            return jsonError('RequestInProgressException', `Certificate ${cert.arn} is not yet issued.`);
          return jsonText(cachedBody('get', cert, region));
        case 'ListTagsForCertificate':
          return jsonOk({
            Tags: Object.entries(cert.tags).map(([Key, Value]) => (Value === '' ? { Key } : { Key, Value })),
          });
        default:
          return jsonError(
            'UnknownOperationException',
            `The simulator does not serve CertificateManager.${call.action}`,
          );
      }
    },
    error: jsonFaults('ThrottlingException', {
      code: 'InternalFailure',
      message: 'We encountered an internal error. Please try again.',
    }),
    // Published per account and region (ACM quotas page).
    rateLimits: {
      ListCertificates: { perSecond: 8, burst: 8 },
      DescribeCertificate: { perSecond: 10, burst: 10 },
      GetCertificate: { perSecond: 10, burst: 10 },
      ListTagsForCertificate: { perSecond: 10, burst: 10 },
    },
    malformedBody: '{"CertificateSummaryList": [{"CertificateArn": ',
  };
}
