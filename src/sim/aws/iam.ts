/**
 * IAM server certificates over the Query protocol (2010-05-08, XML in the IAM namespace), as the
 * API reference documents them: ListServerCertificates with PathPrefix, MaxItems (1-1000, default
 * 100) and Marker/IsTruncated paging; GetServerCertificate with the body and chain (never a key)
 * and NoSuchEntity (404) for an unknown name. IAM is global: the account is the scope.
 */
import { createHash } from 'node:crypto';
import type { SimService } from '../types.js';
import type { ScenarioCa } from '../template.js';
import { authenticate, caller, scopeOf } from './auth.js';
import { paginate, parseForm, queryError, queryOk, readPageToken } from './protocol.js';
import type { IamServerCertificateSpec } from './scenario.js';
import type { AwsWorld, IamCertificate } from './world.js';

export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';
const DAY = 86_400_000;
const NAME = /^[\w+=,.@-]{1,128}$/;
/** "/" alone, or a string that begins and ends with "/" (ASCII ! through DEL in between). */
const PATH = /^(\/|\/[\u0021-\u007F]+\/)$/;

/** Server certificate ids: "ASCA" and 17 upper-case letters or digits, derived from the ARN. */
function certificateId(arn: string): string {
  const h = createHash('sha256').update(arn).digest();
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return `ASCA${[...h.subarray(0, 17)].map((b) => abc[b % 32]).join('')}`;
}

export function seedIamCertificates(
  specs: IamServerCertificateSpec[] | undefined,
  account: string,
  partition: string,
  ca: ScenarioCa,
  now: Date,
): IamCertificate[] {
  return (specs ?? []).map((spec) => {
    const path = spec.path ?? '/';
    if (!PATH.test(path))
      throw new Error(`IAM server certificate path "${path}" must be "/" or begin and end with "/"`);
    if (!NAME.test(spec.name)) throw new Error(`IAM server certificate name "${spec.name}" is not valid`);
    const material = ca.materialize(spec, now);
    const arn = `arn:${partition}:iam::${account}:server-certificate${path}${spec.name}`;
    const uploadDate =
      spec.uploadedDaysAgo !== undefined
        ? new Date(now.getTime() - spec.uploadedDaysAgo * DAY)
        : new Date(material.notBefore.getTime() + DAY);
    return {
      arn,
      name: spec.name,
      path,
      id: certificateId(arn),
      uploadDate,
      material,
      chain: spec.chain !== false,
      tags: { ...(spec.tags ?? {}) },
    };
  });
}

const metadata = (c: IamCertificate) => ({
  Path: c.path,
  ServerCertificateName: c.name,
  ServerCertificateId: c.id,
  Arn: c.arn,
  UploadDate: c.uploadDate,
  Expiration: c.material.notAfter,
});

export function iamService(world: AwsWorld): SimService {
  const err = (code: string, message: string, status = 400) => queryError(code, message, status, IAM_NAMESPACE);
  return {
    name: 'iam',
    identify(req) {
      if (
        req.method !== 'POST' ||
        !String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')
      )
        return undefined;
      const form = parseForm(req);
      if (form.get('Version') !== '2010-05-08' || !form.get('Action')) return undefined;
      const action = form.get('Action')!;
      return { service: 'iam', action, scope: scopeOf(world, req), permission: `iam:${action}` };
    },
    authenticate: (req) => authenticate(world, req, 'query', IAM_NAMESPACE),
    handle(req, call, ctx) {
      const me = caller(world, req)!.principal!;
      const certs = world.accounts.get(me.account)?.serverCertificates ?? [];
      const form = parseForm(req);
      if (call.action === 'ListServerCertificates') {
        const prefix = form.get('PathPrefix') ?? '/';
        const max = form.has('MaxItems') ? Number(form.get('MaxItems')) : 100;
        if (!Number.isInteger(max) || max < 1 || max > 1000)
          return err(
            'ValidationError',
            `1 validation error detected: Value '${form.get('MaxItems')}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`,
          );
        const salt = `iam:${me.account}:${prefix}`;
        const offset = readPageToken(form.get('Marker') ?? undefined, salt);
        if (offset === 'invalid') return err('ValidationError', 'Invalid Marker.');
        const all = certs.filter((c) => c.path.startsWith(prefix));
        // IAM may hand out fewer than MaxItems while more remain; the world's page limit plays that.
        const p = paginate(
          all,
          offset ?? 0,
          Math.min(max, world.pageLimits.iam),
          salt,
          form.get('Marker') ?? undefined,
          ctx.fault,
        );
        return queryOk('ListServerCertificates', IAM_NAMESPACE, {
          ServerCertificateMetadataList: p.items.map(metadata),
          IsTruncated: !!p.next,
          Marker: p.next,
        });
      }
      if (call.action === 'GetServerCertificate') {
        const name = form.get('ServerCertificateName');
        if (!name || !NAME.test(name))
          return err(
            'ValidationError',
            `1 validation error detected: Value '${name ?? 'null'}' at 'serverCertificateName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`,
          );
        const c = certs.find((x) => x.name === name);
        if (!c) return err('NoSuchEntity', `The Server Certificate with name ${name} cannot be found.`, 404);
        const tags = Object.entries(c.tags).map(([Key, Value]) => ({ Key, Value }));
        return queryOk('GetServerCertificate', IAM_NAMESPACE, {
          ServerCertificate: {
            ServerCertificateMetadata: metadata(c),
            CertificateBody: c.material.pem,
            CertificateChain: c.chain && c.material.chainPem ? c.material.chainPem : undefined,
            Tags: tags.length ? tags : undefined,
          },
        });
      }
      return err('InvalidAction', `Could not find operation ${call.action} for version 2010-05-08`);
    },
    error(kind, call) {
      switch (kind) {
        case 'throttle':
          return err('Throttling', 'Rate exceeded');
        case 'server-error':
          return err(
            'ServiceFailure',
            'The request processing has failed because of an unknown error, exception or failure.',
            500,
          );
        case 'denied':
          return err(
            'AccessDenied',
            `User is not authorized to perform: ${call.permission} because no identity-based policy allows the ${call.permission} action`,
            403,
          );
        case 'expired-token':
          return err('ExpiredToken', 'The security token included in the request is expired');
      }
    },
    // Not published by AWS; a per-account bucket somewhat above certwarden's own pace, so the
    // throttling path can be exercised.
    rateLimits: { Read: { perSecond: 10, burst: 10 } },
    limitKey: (call) => (call.action.startsWith('List') || call.action.startsWith('Get') ? 'Read' : call.action),
    malformedBody: `<ListServerCertificatesResponse xmlns="${IAM_NAMESPACE}"><ListServerCertificatesResult><ServerCertificateMetadataList><member><Arn>arn:aws:i`,
  };
}
