/**
 * AWS STS over the Query protocol (2011-06-15): AssumeRole hands out temporary credentials whose
 * access key the world maps to the role's account, honouring the role's trusted accounts and
 * ExternalId; GetCallerIdentity names the caller.
 */
import { createHash } from 'node:crypto';
import type { SimService } from '../types.js';
import { authenticate, caller, scopeOf } from './auth.js';
import { parseForm, queryError, queryOk } from './protocol.js';
import type { AwsWorld } from './world.js';

export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';

export function stsService(world: AwsWorld): SimService {
  let issued = 0;
  const denied = (who: string, role: string) =>
    queryError(
      'AccessDenied',
      `User: ${who} is not authorized to perform: sts:AssumeRole on resource: ${role}`,
      403,
      STS_NAMESPACE,
    );
  return {
    name: 'sts',
    identify(req) {
      if (
        req.method !== 'POST' ||
        !String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
      )
        return undefined;
      const form = parseForm(req);
      if (form.get('Version') !== '2011-06-15' || !form.get('Action')) return undefined;
      const action = form.get('Action')!;
      return { service: 'sts', action, scope: scopeOf(world, req), permission: `sts:${action}` };
    },
    authenticate: (req) => authenticate(world, req, 'query', STS_NAMESPACE),
    handle(req, call) {
      const me = caller(world, req)!.principal!;
      const form = parseForm(req);
      if (call.action === 'GetCallerIdentity') {
        const userId = createHash('sha256').update(me.arn).digest('hex').slice(0, 20).toUpperCase();
        return queryOk('GetCallerIdentity', STS_NAMESPACE, {
          Arn: me.arn,
          UserId: `AIDA${userId}`,
          Account: me.account,
        });
      }
      if (call.action !== 'AssumeRole')
        return queryError(
          'InvalidAction',
          `Could not find operation ${call.action} for version 2011-06-15`,
          400,
          STS_NAMESPACE,
        );
      const roleArn = form.get('RoleArn') ?? '';
      const session = form.get('RoleSessionName') ?? '';
      if (!roleArn || !/^[\w+=,.@-]{2,64}$/.test(session))
        return queryError(
          'ValidationError',
          'RoleArn and a RoleSessionName of 2-64 characters are required',
          400,
          STS_NAMESPACE,
        );
      const role = world.roles.get(roleArn);
      if (!role) return denied(me.arn, roleArn);
      const trusted = role.trustedAccounts ?? [...world.accounts.keys()];
      if (!trusted.includes(me.account)) return denied(me.arn, roleArn);
      if (role.externalId !== undefined && form.get('ExternalId') !== role.externalId) return denied(me.arn, roleArn);
      const duration = Number(form.get('DurationSeconds') ?? 3600);
      const n = ++issued;
      const h = createHash('sha256').update(`${roleArn}/${session}/${n}`).digest('hex');
      const key = `ASIA${h.slice(0, 16).toUpperCase()}`;
      const expiresAt = Date.now() + duration * 1000;
      const arn = `arn:${world.partition}:sts::${role.account}:assumed-role/${role.name}/${session}`;
      world.keys.set(key, {
        account: role.account,
        arn,
        secret: h.slice(16, 56),
        sessionToken: `FwoGZXIvYXdzE${h}`,
        expiresAt,
      });
      return queryOk('AssumeRole', STS_NAMESPACE, {
        Credentials: {
          AccessKeyId: key,
          SecretAccessKey: h.slice(16, 56),
          SessionToken: `FwoGZXIvYXdzE${h}`,
          Expiration: new Date(expiresAt),
        },
        AssumedRoleUser: { AssumedRoleId: `AROA${h.slice(56, 64).toUpperCase()}:${session}`, Arn: arn },
        PackedPolicySize: undefined,
      });
    },
    error(kind) {
      switch (kind) {
        case 'throttle':
          return queryError('Throttling', 'Rate exceeded', 400, STS_NAMESPACE);
        case 'server-error':
          return queryError('ServiceUnavailable', 'Service Unavailable', 503, STS_NAMESPACE);
        case 'denied':
          return queryError('AccessDenied', 'User is not authorized to perform: sts:AssumeRole', 403, STS_NAMESPACE);
        case 'expired-token':
          return queryError(
            'ExpiredToken',
            'The security token included in the request is expired',
            400,
            STS_NAMESPACE,
          );
      }
    },
    malformedBody:
      '<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult><Credentials><AccessKeyId>ASIA',
  };
}
