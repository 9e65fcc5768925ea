/**
 * The one module of this provider that opens connections: a TLS handshake with SNI that accepts
 * whatever the server presents (`rejectUnauthorized: false`), so an expired, mismatched or
 * incomplete chain is observed and judged by the rules instead of refused. Bounded by a timeout
 * covering connect and handshake; failures carry the network's own code.
 */
import tls, { type DetailedPeerCertificate } from 'node:tls';
import { CollectError } from '../../src/engine/provider.js';
import type { Target } from './targets.js';

export interface Handshake {
  /** DER of the leaf, then of each certificate that links above it (as Node assembled them). */
  leaf: Buffer;
  chain: Buffer[];
  protocol?: string;
  cipher?: string;
  /** OpenSSL's verdict against Node's bundled roots, e.g. UNABLE_TO_VERIFY_LEAF_SIGNATURE. */
  verifyError?: string;
  /** Node's checkServerIdentity verdict for the server name. */
  identityError?: string;
}

const OP = 'TLSHandshake';

function failure(err: NodeJS.ErrnoException, t: Target): CollectError {
  const where = `${t.host}:${t.port}`;
  switch (err.code) {
    case 'ECONNREFUSED':
      return new CollectError('ECONNREFUSED', `connection refused by ${where}`, 'Connect', { cause: err });
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new CollectError('ENOTFOUND', `${t.host} does not resolve`, 'Connect', { cause: err });
    case 'ECONNRESET':
      return new CollectError('HandshakeFailure', `${where} reset the connection during the TLS handshake`, OP, { cause: err });
    default:
      if (err.code?.startsWith('ERR_SSL') || /alert|handshake|wrong version/i.test(err.message)) {
        return new CollectError('HandshakeFailure', `TLS handshake with ${where} failed: ${err.message.split('\n')[0]}`, OP, { cause: err });
      }
      return new CollectError(err.code ?? 'Error', `${where}: ${err.message.split('\n')[0]}`, 'Connect', { cause: err });
  }
}

/** The leaf and the certificates above it; the walk stops at a self-signed one or a repeat. */
function chainOf(peer: DetailedPeerCertificate): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set([peer.fingerprint256]);
  for (let c = peer.issuerCertificate; c && c.raw && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    out.push(c.raw);
  }
  return out;
}

export function handshake(t: Target, timeoutMs: number, signal?: AbortSignal): Promise<Handshake> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const socket = tls.connect({ host: t.host, port: t.port, servername: t.servername, rejectUnauthorized: false });
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      fn();
    };
    const timer = setTimeout(() => settle(() => reject(new CollectError('Timeout', `no TLS handshake with ${t.host}:${t.port} within ${timeoutMs} ms`, OP))), timeoutMs);
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an abort rejects with the signal's own reason, as the platform's APIs do
    const onAbort = () => settle(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate(true);
      if (!peer?.raw) return settle(() => reject(new CollectError('NoCertificate', `${t.host}:${t.port} completed the handshake without a certificate`, OP)));
      const identity = tls.checkServerIdentity(t.servername ?? t.host, peer);
      const out: Handshake = {
        leaf: peer.raw,
        chain: chainOf(peer),
        protocol: socket.getProtocol() ?? undefined,
        cipher: socket.getCipher()?.name,
        verifyError: socket.authorizationError ? String((socket.authorizationError as NodeJS.ErrnoException).code ?? socket.authorizationError) : undefined,
        identityError: identity?.message,
      };
      settle(() => resolve(out));
    });
    socket.once('error', (err: NodeJS.ErrnoException) => settle(() => reject(failure(err, t))));
    socket.once('close', () => settle(() => reject(new CollectError('HandshakeFailure', `${t.host}:${t.port} closed the connection during the TLS handshake`, OP))));
  });
}
