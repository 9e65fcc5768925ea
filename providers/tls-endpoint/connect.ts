/**
 * The one module of this provider that opens connections: a TLS handshake with SNI that accepts
 * whatever the server presents (`rejectUnauthorized: false`), so an expired, mismatched or
 * incomplete chain is observed and judged by the rules instead of refused. Bounded by a timeout
 * covering connect and handshake; failures carry the network's own code.
 */
import type { X509Certificate } from 'node:crypto';
import tls from 'node:tls';
import { CollectError } from '../../src/engine/api/collect-error.js';
import { certificateFacts, MAX_CHAIN } from '../../src/x509/index.js';
import type { Target } from './targets.js';

export interface Handshake {
  /** DER of the leaf, then of each certificate the server sent after it, in the order sent. */
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
      return new CollectError('HandshakeFailure', `${where} reset the connection during the TLS handshake`, OP, {
        cause: err,
      });
    default:
      if (err.code?.startsWith('ERR_SSL') || /alert|handshake|wrong version/i.test(err.message)) {
        return new CollectError(
          'HandshakeFailure',
          `TLS handshake with ${where} failed: ${err.message.split('\n')[0]}`,
          OP,
          { cause: err },
        );
      }
      return new CollectError(err.code ?? 'Error', `${where}: ${err.message.split('\n')[0]}`, 'Connect', {
        cause: err,
      });
  }
}

/**
 * The certificates as the server sent them, leaf first. Taken from the peer's X509Certificate
 * objects, which wrap what OpenSSL parsed and describe nothing: `getPeerCertificate` would
 * describe every certificate's key in native code, which a hostile key can abort (src/x509/spki.ts).
 */
function presented(leaf: X509Certificate | undefined): Buffer[] {
  const out: Buffer[] = [];
  const seen = new Set<string>();
  for (let c = leaf; c && out.length <= MAX_CHAIN && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
    seen.add(c.fingerprint256);
    out.push(c.raw);
  }
  return out;
}

/** Node's identity check (tls.checkServerIdentity), on the names src/x509 reads from the leaf, quoted as Node quotes odd ones. */
function identityOf(name: string, leaf: Buffer): string | undefined {
  const facts = certificateFacts(leaf).facts;
  if (!facts) return `the certificate for ${name} cannot be read`;
  const quote = (entry: string) => (/[\\",',]|[^\x20-\x7e]/.test(entry) ? JSON.stringify(entry) : entry);
  const subjectaltname = [...facts.sans.dns.map((d) => `DNS:${d}`), ...facts.sans.ip.map((ip) => `IP Address:${ip}`)]
    .map(quote)
    .join(', ');
  const peer = {
    subject: facts.commonName === undefined ? {} : { CN: facts.commonName },
    subjectaltname,
  } as unknown as tls.PeerCertificate;
  return tls.checkServerIdentity(name, peer)?.message;
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
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(new CollectError('Timeout', `no TLS handshake with ${t.host}:${t.port} within ${timeoutMs} ms`, OP)),
        ),
      timeoutMs,
    );
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an abort rejects with the signal's own reason, as the platform's APIs do
    const onAbort = () => settle(() => reject(signal?.reason));
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('secureConnect', () => {
      const certs = presented(socket.getPeerX509Certificate());
      if (!certs.length)
        return settle(() =>
          reject(
            new CollectError('NoCertificate', `${t.host}:${t.port} completed the handshake without a certificate`, OP),
          ),
        );
      const out: Handshake = {
        leaf: certs[0],
        chain: certs.slice(1),
        protocol: socket.getProtocol() ?? undefined,
        cipher: socket.getCipher()?.name,
        verifyError: socket.authorizationError
          ? String((socket.authorizationError as NodeJS.ErrnoException).code ?? socket.authorizationError)
          : undefined,
        identityError: identityOf(t.servername ?? t.host, certs[0]),
      };
      settle(() => resolve(out));
    });
    socket.once('error', (err: NodeJS.ErrnoException) => settle(() => reject(failure(err, t))));
    socket.once('close', () =>
      settle(() =>
        reject(
          new CollectError(
            'HandshakeFailure',
            `${t.host}:${t.port} closed the connection during the TLS handshake`,
            OP,
          ),
        ),
      ),
    );
  });
}
