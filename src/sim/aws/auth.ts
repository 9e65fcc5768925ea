/**
 * Who is calling: the SigV4 access key names a principal of the world, whose account (with the
 * region from the credential scope) is the call's scope. Rejections use the shape of the
 * service's protocol, as AWS's front end does before the service sees the request.
 */
import type { SimRequest, SimResponse } from '../types.js';
import { header, jsonError, queryError, readSigV4, type SigV4 } from './protocol.js';
import type { AwsPrincipal, AwsWorld } from './world.js';

export type Protocol = 'json' | 'query' | 'rest-json';

export interface Caller {
  sig: SigV4;
  principal?: AwsPrincipal;
}

export function caller(world: AwsWorld, req: SimRequest): Caller | undefined {
  const sig = readSigV4(req);
  if (typeof sig === 'string') return undefined;
  return { sig, principal: world.keys.get(sig.accessKeyId) };
}

/** `<account>/<region>`, or `-/<region>` when the key belongs to nobody. */
export function scopeOf(world: AwsWorld, req: SimRequest): string {
  const c = caller(world, req);
  return c ? `${c.principal?.account ?? '-'}/${c.sig.region}` : '-/-';
}

function reject(protocol: Protocol, code: string, message: string, status: number, namespace?: string): SimResponse {
  if (protocol === 'query') return queryError(code, message, status, namespace);
  if (protocol === 'rest-json')
    return {
      status,
      headers: { 'content-type': 'application/json', 'x-amzn-errortype': code },
      body: JSON.stringify({ message }),
    };
  return jsonError(`${code}`, message, status);
}

/**
 * JSON services answer MissingAuthenticationTokenException / IncompleteSignatureException /
 * UnrecognizedClientException; Query services MissingAuthenticationToken / IncompleteSignature /
 * InvalidClientTokenId (AWS common errors). Temporary keys must come with their session token.
 */
export function authenticate(
  world: AwsWorld,
  req: SimRequest,
  protocol: Protocol,
  namespace?: string,
): SimResponse | null {
  const json = protocol !== 'query';
  const sig = readSigV4(req);
  if (sig === 'missing')
    return reject(
      protocol,
      json ? 'MissingAuthenticationTokenException' : 'MissingAuthenticationToken',
      'Missing Authentication Token',
      403,
      namespace,
    );
  if (sig === 'malformed')
    return reject(
      protocol,
      json ? 'IncompleteSignatureException' : 'IncompleteSignature',
      'Authorization header requires Credential, SignedHeaders and Signature.',
      400,
      namespace,
    );
  const p = world.keys.get(sig.accessKeyId);
  const token = header(req, 'x-amz-security-token');
  if (!p || (p.sessionToken !== undefined && p.sessionToken !== token)) {
    return reject(
      protocol,
      json ? 'UnrecognizedClientException' : 'InvalidClientTokenId',
      'The security token included in the request is invalid.',
      json ? 400 : 403,
      namespace,
    );
  }
  if (p.expiresAt !== undefined && p.expiresAt <= Date.now()) {
    return reject(
      protocol,
      json ? 'ExpiredTokenException' : 'ExpiredToken',
      'The security token included in the request is expired',
      400,
      namespace,
    );
  }
  return null;
}
