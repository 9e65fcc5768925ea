/**
 * ACM ListCertificates: its filters, and the defaults that hide certificates from a caller who
 * does not override them. Each default follows the API reference
 * (https://docs.aws.amazon.com/acm/latest/APIReference/API_ListCertificates.html, API_Filters.html)
 * and the SDK's model of it (@aws-sdk/client-acm ListCertificatesRequest, Filters):
 *
 * - `Includes.keyTypes`: "Default filtering returns only RSA_1024 and RSA_2048 certificates that
 *   have at least one domain."
 * - `CertificateKeyPairOrigins`: "Default filtering returns only certificates with key pair origin
 *   of AWS_MANAGED and CUSTOMER_PROVIDED"; "by default, this action does not return certificates
 *   with a CertificateKeyPairOrigin of ACME" (ListCertificates, added with ACM's ACME endpoints).
 * - `CertificateStatuses`, `Includes.extendedKeyUsage`, `keyUsage`, `exportOption`, `managedBy`:
 *   no default is documented; absent, they do not filter.
 */
import { jsonError, jsonOk, paginate, readPageToken } from './protocol.js';
import type { AcmCertificate, AwsRegionState, AwsWorld } from './world.js';

export const KEY_USAGES = ['DIGITAL_SIGNATURE', 'KEY_ENCIPHERMENT'];
export const EKUS: Array<[string, string]> = [
  ['TLS_WEB_SERVER_AUTHENTICATION', '1.3.6.1.5.5.7.3.1'],
  ['TLS_WEB_CLIENT_AUTHENTICATION', '1.3.6.1.5.5.7.3.2'],
];
/** What ListCertificates returns when `Includes.keyTypes` is absent (and only with a domain). */
export const DEFAULT_KEY_TYPES = ['RSA_1024', 'RSA_2048'];
/** What ListCertificates returns when `CertificateKeyPairOrigins` is absent: not ACME. */
export const DEFAULT_KEY_PAIR_ORIGINS = ['AWS_MANAGED', 'CUSTOMER_PROVIDED'];

/** ListCertificates' request as the API reference names it (plus the ARN the other operations take). */
export interface Input {
  CertificateStatuses?: string[];
  Includes?: {
    keyTypes?: string[];
    extendedKeyUsage?: string[];
    keyUsage?: string[];
    exportOption?: string;
    managedBy?: string;
  };
  CertificateKeyPairOrigins?: string[];
  MaxItems?: number;
  NextToken?: string;
  SortBy?: string;
  SortOrder?: string;
  CertificateArn?: unknown;
}

const listed = (v: unknown): string[] | undefined => (Array.isArray(v) && v.length > 0 ? v : undefined);

/** Whether the certificate passes every filter of the request, defaults included. */
function matches(c: AcmCertificate, input: Input): boolean {
  const inc = input.Includes ?? {};
  const statuses = listed(input.CertificateStatuses);
  const keyTypes = listed(inc.keyTypes);
  const origins = listed(input.CertificateKeyPairOrigins) ?? DEFAULT_KEY_PAIR_ORIGINS;
  const ekus = listed(inc.extendedKeyUsage);
  const usages = listed(inc.keyUsage);
  if (statuses && !statuses.includes(c.status)) return false;
  if (!(keyTypes ?? DEFAULT_KEY_TYPES).includes(c.keyAlgorithm)) return false;
  if (!keyTypes && !c.domainName) return false;
  if (!origins.includes(c.keyPairOrigin)) return false;
  if (inc.managedBy && c.spec.managedBy !== inc.managedBy) return false;
  if (inc.exportOption && exportOption(c) !== inc.exportOption) return false;
  if (ekus && !ekus.some((e) => e === 'ANY' || EKUS.some(([n]) => n === e))) return false;
  if (usages && !usages.some((k) => k === 'ANY' || KEY_USAGES.includes(k))) return false;
  return true;
}

/** Private certificates can be exported with their key; the others cannot (in this simulator). */
export function exportOption(c: AcmCertificate): 'ENABLED' | 'DISABLED' {
  return c.type === 'PRIVATE' ? 'ENABLED' : 'DISABLED';
}

export function listCertificates(
  state: AwsRegionState,
  input: Input,
  world: AwsWorld,
  scope: string,
  summary: (c: AcmCertificate) => unknown,
  fault?: string,
) {
  const max = input.MaxItems;
  if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > 1000))
    return jsonError(
      'ValidationException',
      `1 validation error detected: Value '${max}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`,
    );
  if ((input.SortBy === undefined) !== (input.SortOrder === undefined))
    return jsonError('ValidationException', 'SortBy and SortOrder must be specified together');
  let all = state.certificates.filter((c) => matches(c, input));
  if (input.SortBy === 'CREATED_AT') {
    all = [...all].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
    if (input.SortOrder === 'DESCENDING') all.reverse();
  }
  const salt = `acm:${scope}`;
  const offset = readPageToken(input.NextToken, salt);
  if (offset === 'invalid') return jsonError('InvalidArgsException', 'The NextToken is not valid.');
  const size = Math.min(max ?? world.pageLimits.acm, world.pageLimits.acm);
  const page = paginate(all, offset ?? 0, size, salt, input.NextToken, fault);
  return jsonOk({ NextToken: page.next, CertificateSummaryList: page.items.map(summary) });
}
