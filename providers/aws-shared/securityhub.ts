/**
 * The one write certwarden makes to AWS, opt-in: Security Hub's BatchImportFindings, called by the
 * account each finding belongs to (the API requires it) in the finding's region. The published
 * limit is 10 calls a second per account and region, burst 30; certwarden keeps a tenth below it,
 * because the account's other integrations draw on the same limit and a call sent exactly at the
 * limit may reach the service a moment before its token does. The one retry layer waits out a
 * LimitExceededException all the same.
 */
import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { AwsConfig } from '../../src/config/schema.js';
import { RateLimits } from '../../src/net/limit.js';
import { awsCall } from './call.js';
import { clientSettings, HOME_REGION, lean, partitionOf } from './clients.js';
import { assumeRole, baseCredentials } from './credentials.js';
import type { AwsHandle, CredentialProvider } from './handle.js';

export const SECURITY_HUB_LIMITS = { BatchImportFindings: { perSecond: 9, burst: 27 } };

/** A finding Security Hub refused, with its reason. */
export interface ImportFailure {
  id: string;
  code: string;
  message: string;
}

export interface ImportSettings {
  aws?: AwsConfig;
  /** A role to assume in each account for the import, instead of the audit's own access. */
  roleName?: string;
  externalId?: string;
  limits: RateLimits;
}

/**
 * Credentials of `account` for the import: the configured import role, else the access the audit
 * configured for that account (its profile or role), else the default credentials.
 */
export function importCredentials(account: string, region: string, s: ImportSettings): CredentialProvider {
  const partition = s.aws?.partition ?? partitionOf(region);
  const entry = s.aws?.accounts?.find((a) => a.id === account);
  const base = baseCredentials(entry?.profile);
  const ctx = {
    endpoint: s.aws?.endpoint,
    timeoutMs: s.aws?.timeoutMs ?? 30_000,
    retry: { attempts: s.aws?.maxAttempts ?? 6, minDelayMs: s.aws?.retryDelayMs ?? 500, maxDelayMs: 20_000 },
    limits: s.limits,
    partition,
    homeRegion: HOME_REGION[partition] ?? region,
  };
  const roleArn = s.roleName ? `arn:${partition}:iam::${account}:role/${s.roleName}` : entry?.roleArn;
  if (!roleArn) return base;
  return assumeRole(
    base,
    {
      roleArn,
      externalId: s.roleName ? s.externalId : entry?.externalId,
      sessionName: entry?.sessionName ?? 'certwarden',
    },
    ctx,
  );
}

export function importHandle(account: string, region: string, s: ImportSettings): AwsHandle {
  const aws = s.aws;
  return {
    account,
    region,
    partition: aws?.partition ?? partitionOf(region),
    credentials: importCredentials(account, region, s),
    endpoint: aws?.endpoint,
    timeoutMs: aws?.timeoutMs ?? 30_000,
    retry: { attempts: aws?.maxAttempts ?? 6, minDelayMs: aws?.retryDelayMs ?? 500, maxDelayMs: 20_000 },
    limits: s.limits,
    maxPages: 1,
  };
}

/** Imports one batch (at most 100 findings, 6 MB); returns the findings Security Hub refused. */
export async function importBatch(
  h: AwsHandle,
  client: SecurityHubClient,
  findings: Record<string, unknown>[],
): Promise<ImportFailure[]> {
  const out = await awsCall(h, 'BatchImportFindings', () =>
    client.send(new BatchImportFindingsCommand({ Findings: findings as unknown as AwsSecurityFinding[] })),
  );
  return (out.FailedFindings ?? []).map((f) => ({
    id: f.Id ?? '',
    code: f.ErrorCode ?? 'Unknown',
    message: f.ErrorMessage ?? '',
  }));
}

export function securityHubClient(h: AwsHandle): SecurityHubClient {
  return lean(new SecurityHubClient(clientSettings(h, h.region)));
}

export function importLimits(): RateLimits {
  return new RateLimits(SECURITY_HUB_LIMITS);
}
