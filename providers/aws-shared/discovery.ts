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

export interface AwsTarget {
  account: string;
  /** Regions to visit; `['all']` when they could not be listed because discovery failed. */
  regions: string[];
  credentials: CredentialProvider;
  error?: ScopeError;
}

const asError = (err: unknown, operation: string): ScopeError => {
  const e = toCollectError(err, operation, { describe: awsFacts });
  return { code: e.code, message: e.message, operation: e.operation };
};

const accountOfArn = (arn: string) => arn.split(':')[4] || 'unknown';

async function regionsOf(
  account: string,
  credentials: CredentialProvider,
  wanted: string[],
  ctx: Context,
  maxPages: number,
): Promise<string[]> {
  if (!wanted.includes('all')) return wanted;
  const client = lean(
    new AccountClient(
      clientSettings({ credentials, endpoint: ctx.endpoint, timeoutMs: ctx.timeoutMs }, ctx.homeRegion),
    ),
  );
  const h = { ...ctx, account, region: ctx.homeRegion, credentials, maxPages };
  const out: string[] = [];
  try {
    for await (const page of pages(h, 'ListRegions', async (NextToken) => {
      const r = await awsCall(h, 'ListRegions', () =>
        client.send(
          new ListRegionsCommand({
            NextToken,
            MaxResults: 50,
            RegionOptStatusContains: ['ENABLED', 'ENABLED_BY_DEFAULT'],
          }),
          { abortSignal: ctx.signal },
        ),
      );
      return { items: r.Regions ?? [], next: r.NextToken };
    })) {
      out.push(...page.flatMap((r) => (r.RegionName ? [r.RegionName] : [])));
    }
  } finally {
    client.destroy();
  }
  return out.sort();
}

async function target(
  account: string | undefined,
  credentials: CredentialProvider,
  wanted: string[],
  ctx: Context,
  maxPages: number,
  firstOp: string,
): Promise<AwsTarget> {
  let id = account;
  try {
    // Resolving the credentials now (AssumeRole) surfaces a role that cannot be assumed as this account's error.
    await credentials();
  } catch (err) {
    return { account: id ?? 'unknown', regions: wanted, credentials, error: asError(err, firstOp) };
  }
  try {
    id ??= await callerAccount(credentials, ctx);
  } catch (err) {
    return { account: 'unknown', regions: wanted, credentials, error: asError(err, 'GetCallerIdentity') };
  }
  try {
    return { account: id, regions: await regionsOf(id, credentials, wanted, ctx, maxPages), credentials };
  } catch (err) {
    return { account: id, regions: ['all'], credentials, error: asError(err, 'ListRegions') };
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
    return [{ account: 'unknown', regions: cfg.regions, credentials: base, error: asError(err, 'GetCallerIdentity') }];
  }
  const client = lean(
    new OrganizationsClient(
      clientSettings({ credentials: base, endpoint: ctx.endpoint, timeoutMs: ctx.timeoutMs }, ctx.homeRegion),
    ),
  );
  const h = { ...ctx, account: self, region: ctx.homeRegion, credentials: base, maxPages: cfg.maxPages };
  const accounts: { id: string; name: string }[] = [];
  try {
    for await (const page of pages(h, 'ListAccounts', async (NextToken) => {
      const r = await awsCall(h, 'ListAccounts', () =>
        client.send(new ListAccountsCommand({ NextToken, MaxResults: 20 }), { abortSignal: ctx.signal }),
      );
      return { items: r.Accounts ?? [], next: r.NextToken };
    })) {
      // `State` supersedes the deprecated `Status`; only ACTIVE accounts can be audited.
      for (const a of page)
        if (a.Id && (a.State ?? a.Status) === 'ACTIVE') accounts.push({ id: a.Id, name: a.Name ?? a.Id });
    }
  } catch (err) {
    return [{ account: self, regions: cfg.regions, credentials: base, error: asError(err, 'ListAccounts') }];
  } finally {
    client.destroy();
  }
  const include = org.include?.length ? picomatch(org.include) : () => true;
  const exclude = org.exclude?.length ? picomatch(org.exclude) : () => false;
  const chosen = accounts.filter((a) => (include(a.id) || include(a.name)) && !exclude(a.id) && !exclude(a.name));
  return Promise.all(
    chosen.map((a) => {
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
      return target(a.id, creds, cfg.regions, ctx, cfg.maxPages, 'AssumeRole');
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
      return target(id, creds, a.regions ?? cfg.regions, ctx, cfg.maxPages, a.roleArn ? 'AssumeRole' : 'Credentials');
    }),
  );
}
