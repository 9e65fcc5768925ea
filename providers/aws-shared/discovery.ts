/**
 * Which accounts and regions to visit, with credentials for each: the configured accounts
 * (default chain, profile, or role), or every ACTIVE account of an AWS Organization reached by
 * assuming `organization.roleName`, or the caller's own account. Regions are the configured list,
 * or with `all` the account's enabled regions (account:ListRegions). A discovery failure becomes
 * a target with `error`, never an exception.
 */
import { AccountClient, ListRegionsCommand } from '@aws-sdk/client-account';
import { ListAccountsCommand, OrganizationsClient } from '@aws-sdk/client-organizations';
import picomatch from 'picomatch';
import type { AwsConfig } from '../../src/config/schema.js';
import type { ScopeError } from '../../src/model/types.js';
import { toCollectError } from '../../src/engine/api/collect-error.js';
import { awsCall, awsFacts, pages } from './call.js';
import { clientSettings, lean } from './clients.js';
import { assumeRole, baseCredentials, callerAccount, type Context } from './credentials.js';
import type { CredentialProvider } from './handle.js';
import type { CoverageEntry, CoverageSource } from '../../src/model/coverage.js';
import { accountEntry, classifyRegions, stateReason, type RegionStatus } from './coverage.js';

export interface AwsTarget {
  account: string;
  /** Regions to visit; `['all']` when they could not be listed because discovery failed. */
  regions: string[];
  credentials: CredentialProvider;
  error?: ScopeError;
  /** The account and its regions as coverage entries, audited or not. */
  entries: CoverageEntry[];
}

const asError = (err: unknown, operation: string): ScopeError => {
  const e = toCollectError(err, operation, { describe: awsFacts });
  return { code: e.code, message: e.message, operation: e.operation };
};

const accountOfArn = (arn: string) => arn.split(':')[4] || 'unknown';

/**
 * The account's regions with their opt-in status, unfiltered (API_ListRegions lists disabled ones
 * too), so a configured region the account has not enabled is skipped and named, not visited.
 * With an explicit region list, a ListRegions that cannot be called (not granted) leaves the list
 * as configured; with `all` it is the account's failure.
 */
async function regionsOf(
  account: string,
  credentials: CredentialProvider,
  wanted: string[],
  ctx: Context,
  maxPages: number,
): Promise<{ visit: string[]; entries: CoverageEntry[] }> {
  const client = lean(
    new AccountClient(
      clientSettings({ credentials, endpoint: ctx.endpoint, timeoutMs: ctx.timeoutMs }, ctx.homeRegion),
    ),
  );
  const h = { ...ctx, account, region: ctx.homeRegion, credentials, maxPages };
  const out: RegionStatus[] = [];
  try {
    for await (const page of pages(h, 'ListRegions', async (NextToken) => {
      const r = await awsCall(h, 'ListRegions', () =>
        client.send(new ListRegionsCommand({ NextToken, MaxResults: 50 }), { abortSignal: ctx.signal }),
      );
      return { items: r.Regions ?? [], next: r.NextToken };
    })) {
      for (const r of page) if (r.RegionName) out.push({ name: r.RegionName, status: r.RegionOptStatus ?? '' });
    }
  } catch (err) {
    if (wanted.includes('all') || ctx.signal?.aborted) throw err;
    return classifyRegions(account, wanted, undefined);
  } finally {
    client.destroy();
  }
  return classifyRegions(account, wanted, out);
}

async function target(
  account: string | undefined,
  credentials: CredentialProvider,
  wanted: string[],
  ctx: Context,
  maxPages: number,
  firstOp: string,
  source: CoverageSource,
): Promise<AwsTarget> {
  let id = account;
  const failed = (acct: string, regions: string[], error: ScopeError): AwsTarget => ({
    account: acct,
    regions,
    credentials,
    error,
    entries: [accountEntry(acct, source, { error })],
  });
  try {
    // Resolving the credentials now (AssumeRole) surfaces a role that cannot be assumed as this account's error.
    await credentials();
  } catch (err) {
    return failed(id ?? 'unknown', wanted, asError(err, firstOp));
  }
  try {
    id ??= await callerAccount(credentials, ctx);
  } catch (err) {
    return failed('unknown', wanted, asError(err, 'GetCallerIdentity'));
  }
  try {
    const { visit, entries } = await regionsOf(id, credentials, wanted, ctx, maxPages);
    return { account: id, regions: visit, credentials, entries: [accountEntry(id, source), ...entries] };
  } catch (err) {
    return failed(id, ['all'], asError(err, 'ListRegions'));
  }
}

async function organizationTargets(
  cfg: AwsConfig,
  org: NonNullable<AwsConfig['organization']>,
  ctx: Context,
): Promise<AwsTarget[]> {
  const base = baseCredentials();
  let self: string;
  try {
    self = await callerAccount(base, ctx);
  } catch (err) {
    const error = asError(err, 'GetCallerIdentity');
    return [
      {
        account: 'unknown',
        regions: cfg.regions,
        credentials: base,
        error,
        entries: [accountEntry('unknown', 'caller', { error })],
      },
    ];
  }
  const client = lean(
    new OrganizationsClient(
      clientSettings({ credentials: base, endpoint: ctx.endpoint, timeoutMs: ctx.timeoutMs }, ctx.homeRegion),
    ),
  );
  const h = { ...ctx, account: self, region: ctx.homeRegion, credentials: base, maxPages: cfg.maxPages };
  const accounts: { id: string; name: string; state?: string }[] = [];
  try {
    for await (const page of pages(h, 'ListAccounts', async (NextToken) => {
      const r = await awsCall(h, 'ListAccounts', () =>
        client.send(new ListAccountsCommand({ NextToken, MaxResults: 20 }), { abortSignal: ctx.signal }),
      );
      return { items: r.Accounts ?? [], next: r.NextToken };
    })) {
      // `State` supersedes the deprecated `Status`; only ACTIVE accounts can be audited (coverage.ts).
      for (const a of page) if (a.Id) accounts.push({ id: a.Id, name: a.Name ?? a.Id, state: a.State ?? a.Status });
    }
  } catch (err) {
    const error = asError(err, 'ListAccounts');
    return [
      {
        account: self,
        regions: cfg.regions,
        credentials: base,
        error,
        entries: [accountEntry(self, 'organizations', { error })],
      },
    ];
  } finally {
    client.destroy();
  }
  const include = org.include?.length ? picomatch(org.include) : () => true;
  const exclude = org.exclude?.length ? picomatch(org.exclude) : () => false;
  const skip = (a: (typeof accounts)[number]): AwsTarget | undefined => {
    const reason = stateReason(a.state);
    const config = 'providers.aws.organization';
    const entry = reason
      ? accountEntry(a.id, 'organizations', { reason, detail: `State ${a.state ?? 'unknown'}`, name: a.name })
      : !(include(a.id) || include(a.name))
        ? accountEntry(a.id, 'organizations', { reason: 'not-included', detail: `${config}.include`, name: a.name })
        : exclude(a.id) || exclude(a.name)
          ? accountEntry(a.id, 'organizations', { reason: 'excluded', detail: `${config}.exclude`, name: a.name })
          : undefined;
    return entry && { account: a.id, regions: [], credentials: base, entries: [entry] };
  };
  return Promise.all(
    accounts.map(async (a) => {
      const skipped = skip(a);
      if (skipped) return skipped;
      // The caller's own account (usually the management account) is read with the base credentials.
      const creds =
        a.id === self
          ? base
          : assumeRole(
              base,
              {
                roleArn: `arn:${ctx.partition}:iam::${a.id}:role/${org.roleName}`,
                externalId: org.externalId,
                sessionName: org.sessionName,
              },
              ctx,
            );
      const t = await target(a.id, creds, cfg.regions, ctx, cfg.maxPages, 'AssumeRole', 'organizations');
      if (a.name !== a.id) t.entries[0] = { ...t.entries[0], name: a.name };
      return t;
    }),
  );
}

export async function discoverTargets(cfg: AwsConfig, ctx: Context): Promise<AwsTarget[]> {
  if (cfg.organization) {
    const fromOrg = await organizationTargets(cfg, cfg.organization, ctx);
    if (!cfg.accounts?.length) return fromOrg;
    const listed = await discoverTargets({ ...cfg, organization: undefined }, ctx);
    const seen = new Set(listed.map((t) => t.account));
    return [...listed, ...fromOrg.filter((t) => !seen.has(t.account))];
  }
  const accounts = cfg.accounts?.length
    ? cfg.accounts
    : [{ sessionName: 'certwarden' } as NonNullable<AwsConfig['accounts']>[number]];
  return Promise.all(
    accounts.map((a) => {
      const base = baseCredentials(a.profile);
      const creds = a.roleArn
        ? assumeRole(base, { roleArn: a.roleArn, externalId: a.externalId, sessionName: a.sessionName }, ctx)
        : base;
      const id = a.id ?? (a.roleArn ? accountOfArn(a.roleArn) : undefined);
      const firstOp = a.roleArn ? 'AssumeRole' : 'Credentials';
      return target(
        id,
        creds,
        a.regions ?? cfg.regions,
        ctx,
        cfg.maxPages,
        firstOp,
        a.id || a.roleArn ? 'config' : 'caller',
      );
    }),
  );
}
