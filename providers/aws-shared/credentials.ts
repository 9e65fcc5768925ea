/**
 * Credentials: the SDK's default chain, a named profile, or a role assumed from those. Role
 * credentials are fetched through the one retry layer and cached until five minutes before
 * they expire, so every scope of an account shares one AssumeRole.
 */
import { AssumeRoleCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { awsCall } from './call.js';
import { clientSettings, lean } from './clients.js';
import type { AwsHandle, CredentialProvider, Credentials } from './handle.js';

export type Context = Pick<AwsHandle, 'endpoint' | 'timeoutMs' | 'retry' | 'limits' | 'partition'> & {
  homeRegion: string;
  signal?: AbortSignal;
};

const REFRESH_BEFORE_MS = 5 * 60_000;

/** Caches a credential promise until it nears expiry; a failure is not cached. */
export function memoize(fetch: CredentialProvider): CredentialProvider {
  let current: Promise<Credentials> | undefined;
  return async () => {
    if (current) {
      const c = await current.catch(() => undefined);
      if (c && (!c.expiration || c.expiration.getTime() - REFRESH_BEFORE_MS > Date.now())) return c;
    }
    current = fetch();
    current.catch(() => (current = undefined));
    return current;
  };
}

export function baseCredentials(profile?: string): CredentialProvider {
  return memoize(profile ? fromIni({ profile }) : fromNodeProviderChain());
}

function sts(base: CredentialProvider, ctx: Context): STSClient {
  // Regional STS endpoint of the home region (the SDK default), or the configured endpoint.
  return lean(
    new STSClient(
      clientSettings({ credentials: base, endpoint: ctx.endpoint, timeoutMs: ctx.timeoutMs }, ctx.homeRegion),
    ),
  );
}

export function assumeRole(
  base: CredentialProvider,
  role: { roleArn: string; externalId?: string; sessionName: string },
  ctx: Context,
): CredentialProvider {
  return memoize(async () => {
    const client = sts(base, ctx);
    try {
      const h = { ...ctx, account: 'sts', region: ctx.homeRegion, credentials: base, maxPages: 1 };
      const out = await awsCall(h, 'AssumeRole', () =>
        client.send(
          new AssumeRoleCommand({
            RoleArn: role.roleArn,
            RoleSessionName: role.sessionName,
            ExternalId: role.externalId,
          }),
          { abortSignal: ctx.signal },
        ),
      );
      const c = out.Credentials;
      if (!c?.AccessKeyId || !c.SecretAccessKey)
        throw new Error(`AssumeRole of ${role.roleArn} returned no credentials`);
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration,
      };
    } finally {
      client.destroy();
    }
  });
}

export async function callerAccount(credentials: CredentialProvider, ctx: Context): Promise<string> {
  const client = sts(credentials, ctx);
  try {
    const h = { ...ctx, account: 'sts', region: ctx.homeRegion, credentials, maxPages: 1 };
    const out = await awsCall(h, 'GetCallerIdentity', () =>
      client.send(new GetCallerIdentityCommand({}), { abortSignal: ctx.signal }),
    );
    if (!out.Account) throw new Error('GetCallerIdentity returned no account');
    return out.Account;
  } finally {
    client.destroy();
  }
}
