/**
 * A handshake -> the records of what the endpoint serves. Pure. The binding (type `endpoint`)
 * carries what only the wire shows: the chain as presented, protocol, cipher and the verifier's
 * verdicts. When the served leaf is byte-for-byte a certificate the other providers found, the
 * binding points at that one (so its expiry findings name this endpoint, and no duplicate is
 * counted); otherwise the served certificate becomes a record of its own that the binding names.
 */
import type { Binding, Certificate } from '../../src/model/types.js';
import { certificateFacts } from '../../src/x509/index.js';
import type { Handshake } from './connect.js';
import type { Target } from './targets.js';

const pem = (der: Buffer) => `-----BEGIN CERTIFICATE-----\n${der.toString('base64')}\n-----END CERTIFICATE-----\n`;

function compact<T extends Record<string, unknown>>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

export const ACCOUNT = 'network';

/** `known(fingerprint)`: the inventory's certificate with these exact bytes, if any. */
export function toRecords(
  t: Target,
  hs: Handshake,
  known: (fingerprintSha256: string) => Certificate | undefined,
): Array<Certificate | Binding> {
  const parsed = certificateFacts([hs.leaf, ...hs.chain].map(pem).join(''));
  const uid = `tls-endpoint:${t.key}`;
  // Named by its own subject, so a finding says what was served rather than what was asked for.
  const name = parsed.facts?.commonName ?? parsed.facts?.sans.dns[0] ?? t.servername ?? t.host;
  const same = parsed.facts ? known(parsed.facts.fingerprintSha256) : undefined;
  const origin = { provider: 'tls-endpoint', account: ACCOUNT, location: t.key };
  const out: Array<Certificate | Binding> = [];
  if (!same) {
    out.push(
      compact({
        kind: 'certificate' as const,
        ...origin,
        uid,
        name,
        ref: uid,
        ...(parsed.facts ?? {}),
        chain: parsed.facts ? parsed.chain : undefined,
        parseError: parsed.parseError,
        // It is being served right now.
        inUse: true,
        endpoint: { servedBy: `${t.host}:${t.port}`, servername: t.servername ?? null },
      }),
    );
  }
  out.push(
    compact({
      kind: 'binding' as const,
      ...origin,
      uid: `${uid}#endpoint`,
      name: t.servername && t.servername !== t.host ? `${t.servername} via ${t.host}` : t.host,
      type: 'endpoint',
      resource: `${t.host}:${t.port}`,
      certificateRef: same ? same.ref : uid,
      refKind: 'endpoint',
      protocol: 'TLS',
      port: t.port,
      live: true,
      tls: compact({
        host: t.host,
        servername: t.servername,
        source: t.source,
        tlsVersion: hs.protocol,
        cipher: hs.cipher,
        fingerprintSha256: parsed.facts?.fingerprintSha256,
        chain: parsed.chain,
        verifyError: hs.verifyError,
        identityError: hs.identityError,
      }),
    }),
  );
  return out;
}
