/**
 * Security Hub's BatchImportFindings (REST JSON, `POST /findings/import`), keeping what each
 * account and region imported, so a test sees a re-import update a finding in place.
 *
 * From the API reference (API_BatchImportFindings, API_AwsSecurityFinding) and the partner guide's
 * "Guidelines for using the BatchImportFindings API":
 * - 1 to 100 findings a request, up to 240 KB a finding and 6 MB a request; 10 requests a second
 *   per account and region, with a burst of 30 (LimitExceededException, HTTP 429, past it);
 * - the caller must be the account a finding names (`AwsAccountId`), with the default product ARN
 *   of that account in the region called;
 * - a finding that breaks the format is not imported and is listed in `FailedFindings` with
 *   `ErrorCode` InvalidInput and a message that names the field ("Finding does not adhere to
 *   Amazon Finding Format. data.Title should NOT be longer than 256 characters."); the others are;
 * - a finding is identified by `ProductArn` and `Id`: importing it again replaces it, except
 *   `Note`, `UserDefinedFields`, `VerificationState` and `Workflow`, which belong to the customer
 *   once the finding exists and which BatchImportFindings does not change.
 */
import type { SimResponse, SimService } from '../types.js';
import { authenticate, caller, scopeOf } from './auth.js';
import { requestId } from './protocol.js';
import type { AwsWorld } from './world.js';

/** A finding as the simulated Security Hub holds it. */
export interface ImportedFinding {
  finding: Record<string, unknown>;
  /** How many imports have written it. */
  imports: number;
}

const MAX_FINDINGS = 100;
const MAX_FINDING_BYTES = 240 * 1024;
const MAX_REQUEST_BYTES = 6 * 1024 * 1024;
const CUSTOMER_OWNED = ['Note', 'UserDefinedFields', 'VerificationState', 'Workflow'];
const LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const REQUIRED = [
  'SchemaVersion',
  'Id',
  'ProductArn',
  'GeneratorId',
  'AwsAccountId',
  'Types',
  'CreatedAt',
  'UpdatedAt',
  'Severity',
  'Title',
  'Description',
  'Resources',
];
const MAX_LENGTH: Record<string, number> = { Id: 512, GeneratorId: 512, Title: 256, Description: 1024 };

function restError(code: string, message: string, status: number): SimResponse {
  return {
    status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': code, 'x-amzn-requestid': requestId() },
    body: JSON.stringify({ Code: code, Message: message }),
  };
}

/** The findings a region of an account holds, by `ProductArn` and `Id`. */
export function securityHubFindings(world: AwsWorld, account: string, region: string): Map<string, ImportedFinding> {
  world.securityHub ??= new Map();
  const key = `${account}/${region}`;
  let held = world.securityHub.get(key);
  if (!held) world.securityHub.set(key, (held = new Map<string, ImportedFinding>()));
  return held;
}

/** Why a finding is refused, in the service's words; undefined when it is accepted. */
function refusal(f: Record<string, unknown>, account: string, region: string, partition: string): string | undefined {
  const bad = (why: string) => `Finding does not adhere to Amazon Finding Format. ${why}`;
  for (const k of REQUIRED) if (f[k] === undefined) return bad(`data should have required property '${k}'`);
  for (const [k, max] of Object.entries(MAX_LENGTH)) {
    const v = f[k];
    if (typeof v !== 'string' || !/\S/.test(v)) return bad(`data.${k} should match pattern ".*\\S.*"`);
    if (v.length > max) return bad(`data.${k} should NOT be longer than ${max} characters`);
  }
  const sev = f.Severity as { Label?: unknown } | undefined;
  if (sev?.Label !== undefined && !(typeof sev.Label === 'string' && LABELS.includes(sev.Label)))
    return bad('data.Severity.Label should be equal to one of the allowed values');
  if (!Array.isArray(f.Types) || f.Types.length === 0) return bad('data.Types should NOT have fewer than 1 items');
  const resources = f.Resources;
  if (!Array.isArray(resources) || resources.length === 0 || resources.length > 32)
    return bad('data.Resources should have between 1 and 32 items');
  if (resources.some((r: { Type?: unknown; Id?: unknown }) => typeof r?.Type !== 'string' || typeof r?.Id !== 'string'))
    return bad("data.Resources should have required property 'Type' and 'Id'");
  if (f.RecordState !== undefined && f.RecordState !== 'ACTIVE' && f.RecordState !== 'ARCHIVED')
    return bad('data.RecordState should be equal to one of the allowed values');
  if (f.AwsAccountId !== account)
    return `The account ${account} calling BatchImportFindings is not the finding's account ${String(f.AwsAccountId)}.`;
  const product = `arn:${partition}:securityhub:${region}:${account}:product/${account}/default`;
  if (f.ProductArn !== product) return `Product ARN ${String(f.ProductArn)} is not ${product}.`;
  if (Buffer.byteLength(JSON.stringify(f)) > MAX_FINDING_BYTES) return 'Finding size exceeded 240 KB.';
  return undefined;
}

export function securityHubService(world: AwsWorld): SimService {
  return {
    name: 'securityhub',
    identify(req) {
      if (req.method !== 'POST' || req.url.pathname !== '/findings/import') return undefined;
      return {
        service: 'securityhub',
        action: 'BatchImportFindings',
        scope: scopeOf(world, req),
        permission: 'securityhub:BatchImportFindings',
      };
    },
    authenticate: (req) => authenticate(world, req, 'rest-json'),
    handle(req) {
      const who = caller(world, req)!;
      const account = who.principal!.account;
      const region = who.sig.region;
      if (req.body.length > MAX_REQUEST_BYTES)
        return restError('InvalidInputException', 'The request is larger than 6 MB.', 400);
      let input: { Findings?: unknown };
      try {
        input = JSON.parse(req.body.toString('utf8')) as { Findings?: unknown };
      } catch {
        return restError('InvalidInputException', 'The request body is not valid JSON.', 400);
      }
      const list = input?.Findings;
      if (!Array.isArray(list) || list.length === 0)
        return restError('InvalidInputException', 'Findings: Member must have length greater than or equal to 1', 400);
      if (list.length > MAX_FINDINGS)
        return restError(
          'InvalidInputException',
          `1 validation error detected: Value at 'findings' failed to satisfy constraint: Member must have length less than or equal to ${MAX_FINDINGS}`,
          400,
        );
      const held = securityHubFindings(world, account, region);
      const failed: { Id: string; ErrorCode: string; ErrorMessage: string }[] = [];
      for (const raw of list as Record<string, unknown>[]) {
        const why = raw && typeof raw === 'object' ? refusal(raw, account, region, world.partition) : 'not an object';
        if (why) {
          failed.push({ Id: typeof raw?.Id === 'string' ? raw.Id : '', ErrorCode: 'InvalidInput', ErrorMessage: why });
          continue;
        }
        const key = `${String(raw.ProductArn)}\u0000${String(raw.Id)}`;
        const before = held.get(key);
        const finding = { ...raw };
        if (before) for (const k of CUSTOMER_OWNED) if (k in before.finding) finding[k] = before.finding[k];
        if (before) for (const k of CUSTOMER_OWNED) if (!(k in before.finding)) delete finding[k];
        held.set(key, { finding, imports: (before?.imports ?? 0) + 1 });
      }
      return {
        status: 200,
        headers: { 'content-type': 'application/json', 'x-amzn-requestid': requestId() },
        body: JSON.stringify({
          FailedCount: failed.length,
          SuccessCount: list.length - failed.length,
          FailedFindings: failed,
        }),
      };
    },
    error(kind) {
      switch (kind) {
        case 'throttle':
          return restError('LimitExceededException', 'Rate exceeded', 429);
        case 'server-error':
          return restError('InternalException', 'Internal service error', 500);
        case 'denied':
          return restError(
            'AccessDeniedException',
            'User is not authorized to perform: securityhub:BatchImportFindings',
            403,
          );
        case 'expired-token':
          return restError('ExpiredTokenException', 'The security token included in the request is expired', 403);
      }
    },
    rateLimits: { BatchImportFindings: { perSecond: 10, burst: 30 } },
  };
}
