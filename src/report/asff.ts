/**
 * AWS Security Finding Format (ASFF, SchemaVersion 2018-10-08) findings as Security Hub's
 * BatchImportFindings takes them, for the custom-integration product every account has:
 * `arn:<partition>:securityhub:<region>:<account>:product/<account>/default`.
 * Field rules: https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_AwsSecurityFinding.html
 * and https://docs.aws.amazon.com/securityhub/latest/userguide/securityhub-findings-format.html.
 *
 * - `Id` is the finding's stable id and `GeneratorId` its rule id, so tomorrow's import of the same
 *   problem updates the finding in place; a resolved finding is sent once more with `RecordState`
 *   ARCHIVED and `Compliance.Status` PASSED.
 * - A finding is imported by the account it belongs to, so only findings of AWS accounts are
 *   written; Azure, files and TLS endpoint findings belong in the OCSF output.
 * - `Workflow`, `Note` and `UserDefinedFields` belong to the analysts once a finding exists
 *   (BatchImportFindings ignores them on update): they are set for the first import only, and the
 *   owner goes to `UserDefinedFields`. Severity and Types are also sent in `FindingProviderFields`,
 *   where a provider updates them.
 * - Strings are cut to the documented maxima (Title 256, Description 1024, Recommendation 512).
 */
import type { Severity } from '../model/severity.js';
import type { Report } from './json.js';
import { jsonText } from './escape.js';
import type { RuleMeta } from './sarif.js';
import { controls, triageFindings, type TriageFinding, type TriageReport } from './triage.js';

export const ASFF_SCHEMA_VERSION = '2018-10-08';

const LABEL: Record<Severity, string> = {
  info: 'INFORMATIONAL',
  low: 'LOW',
  medium: 'MEDIUM',
  high: 'HIGH',
  critical: 'CRITICAL',
};
/** Severity.Normalized, 0-100, at the middle of each label's band in the ASFF reference. */
const NORMALIZED: Record<Severity, number> = { info: 0, low: 30, medium: 50, high: 80, critical: 95 };
const WORKFLOW: Record<string, string> = { new: 'NEW', open: 'NEW', suppressed: 'SUPPRESSED', resolved: 'RESOLVED' };

/** A string cut to `max` characters (never inside a surrogate pair), never blank: ASFF's pattern is `.*\S.*`. */
export function asffText(value: string, max: number): string {
  const s = /\S/.test(value) ? value : '-';
  if (s.length <= max) return s;
  const cut = s.slice(0, max - 1);
  return (/[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut) + '…';
}

export function partitionOf(region: string): 'aws' | 'aws-cn' | 'aws-us-gov' {
  return region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
}

/** Where an AWS finding is imported: its region, or the partition's first region for global IAM. */
export function homeRegion(location: string): string {
  return location === 'global' ? 'us-east-1' : location;
}

export function productArn(account: string, region: string): string {
  return `arn:${partitionOf(region)}:securityhub:${region}:${account}:product/${account}/default`;
}

/** An AWS finding: a 12-digit account and a provider of AWS. */
export function isAwsFinding(f: TriageFinding): boolean {
  return f.resource.provider.startsWith('aws-') && /^\d{12}$/.test(f.resource.account);
}

/** An ELBv2 listener ARN names its load balancer: `listener/app/<name>/<lb-id>/<listener-id>`. */
const LISTENER =
  /^(arn:[^:]+:elasticloadbalancing:[^:]*:\d{12}:)listener\/((?:app|net|gwy)\/[^/]+\/[^/]+)\/[^/#]+(#.*)?$/;

/** The ASFF resource a record uid (`<provider>:<native id>`) names; an ELBv2 listener is its load balancer. */
function resource(uid: string, provider: string, name: string, region: string): Record<string, unknown> {
  const native = uid.startsWith(`${provider}:`) ? uid.slice(provider.length + 1) : uid;
  const base = { Partition: partitionOf(region), Region: region };
  if (provider === 'aws-acm' && native.startsWith('arn:'))
    return { Type: 'AwsCertificateManagerCertificate', Id: native, ...base };
  const lb = provider === 'aws-elbv2' ? LISTENER.exec(native) : null;
  if (lb) return { Type: 'AwsElbv2LoadBalancer', Id: `${lb[1]}loadbalancer/${lb[2]}`, ...base };
  return { Type: 'Other', Id: asffText(native, 512), ...base, Details: { Other: { name: asffText(name, 1024) } } };
}

/** The finding's own resource first, then the load balancers it names (ASFF allows 32 resources). */
function resources(f: TriageFinding, region: string): Record<string, unknown>[] {
  const r = f.resource;
  const out = [resource(r.uid, r.provider, r.name, region)];
  for (const uid of f.related) {
    if (!uid.startsWith('aws-elbv2:') || out.length >= 32) continue;
    const lb = resource(uid, 'aws-elbv2', uid, region);
    if (lb.Type === 'AwsElbv2LoadBalancer' && !out.some((o) => o.Id === lb.Id)) out.push(lb);
  }
  return out;
}

export function asffFinding(f: TriageFinding, report: Report, meta?: RuleMeta): Record<string, unknown> {
  const r = f.resource;
  const region = homeRegion(r.location);
  const now = report.run.now;
  const types = [`Software and Configuration Checks/Industry and Regulatory Standards/${f.category}`];
  const severity = { Label: LABEL[f.severity], Normalized: NORMALIZED[f.severity] };
  const resolved = f.status === 'resolved';
  const reqs = controls(f).slice(0, 32);
  const url = meta?.references[0];
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: f.id,
    ProductArn: productArn(r.account, region),
    ProductName: 'certwarden',
    CompanyName: 'certwarden',
    GeneratorId: f.ruleId,
    AwsAccountId: r.account,
    Region: region,
    Types: types,
    FirstObservedAt: f.firstSeen ?? now,
    LastObservedAt: f.lastSeen ?? now,
    CreatedAt: f.firstSeen ?? now,
    UpdatedAt: now,
    Severity: severity,
    FindingProviderFields: { Severity: { Label: severity.Label }, Types: types },
    Title: asffText(f.title, 256),
    Description: asffText(f.message, 1024),
    ...(f.remediation
      ? {
          Remediation: {
            Recommendation: { Text: asffText(f.remediation, 512), ...(url ? { Url: url } : {}) },
          },
        }
      : {}),
    ProductFields: { 'certwarden/provider': r.provider, 'certwarden/resourceUid': asffText(r.uid, 2048) },
    ...(f.owner
      ? {
          UserDefinedFields: {
            owner: asffText(f.owner.name, 1024),
            ownerSource: f.owner.source,
            ownerDetail: asffText(f.owner.detail, 1024),
          },
        }
      : {}),
    Resources: resources(f, region),
    Compliance: { Status: resolved ? 'PASSED' : 'FAILED', ...(reqs.length ? { RelatedRequirements: reqs } : {}) },
    Workflow: { Status: WORKFLOW[f.status ?? 'new'] },
    RecordState: resolved ? 'ARCHIVED' : 'ACTIVE',
  };
}

/** Every AWS finding of the report (and, with a store, the resolved ones) as ASFF. */
export function asffFindings(report: TriageReport, opts: { rules?: RuleMeta[] } = {}): Record<string, unknown>[] {
  const meta = new Map((opts.rules ?? []).map((m) => [m.id, m]));
  return triageFindings(report, opts.rules)
    .filter(isAwsFinding)
    .map((f) => asffFinding(f, report, meta.get(f.ruleId)));
}

/** A JSON array, what `aws securityhub batch-import-findings --findings file://...` reads (in batches of 100). */
export function renderAsff(report: TriageReport, opts: { rules?: RuleMeta[] } = {}): string {
  return jsonText(asffFindings(report, opts)) + '\n';
}
