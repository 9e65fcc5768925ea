/**
 * The certificate part of a scenario file, shared by every simulated service: a short template
 * that is turned into real X.509 bytes when the scenario is seeded.
 */
import type { KeyObject } from 'node:crypto';
import { issueCertificate, type IssuedCertificate, type KeySpec, type SignatureHash } from './certs.js';

export interface CertTemplate {
  /** rsa-1024|rsa-2048 (default)|rsa-3072|rsa-4096|ec-p256|ec-p384|ec-p521|ec-secp256k1|ed25519|ed448|dsa-2048 */
  key?: string;
  cn: string;
  /** DNS names; `ip:`, `email:` and `uri:` prefixes for the other kinds. */
  sans?: string[];
  /** Days from now until notAfter (negative: already expired). Default 200. */
  expiresInDays?: number;
  /** Days from now of notBefore (positive: not yet valid). Default: 365 days before notAfter, capped at now - 1. */
  validFromDays?: number;
  signature?: SignatureHash;
  /** Self-signed instead of issued by the scenario's CA. */
  selfSigned?: boolean;
  /** Bytes that are not a certificate (a corrupted import). */
  malformed?: boolean;
  subject?: Record<string, string>;
}

export interface MaterialCertificate {
  der: Buffer;
  pem: string;
  /** The issuing chain as PEM (intermediate then root), empty for self-signed. */
  chainPem: string;
  notBefore: Date;
  notAfter: Date;
  /** The certificate's key, for simulated servers that serve it (absent for malformed bytes). */
  privateKey?: KeyObject;
}

const DAY = 86_400_000;

export function parseKey(key = 'rsa-2048'): KeySpec {
  const [type, arg] = key.toLowerCase().split('-');
  switch (type) {
    case 'rsa':
      return { type: 'rsa', bits: Number(arg ?? 2048) };
    case 'dsa':
      return { type: 'dsa', bits: Number(arg ?? 2048) };
    case 'ec': {
      const curve = arg === 'secp256k1' ? 'secp256k1' : `P-${(arg ?? 'p256').replace(/^p/, '')}`;
      return { type: 'ec', curve };
    }
    case 'ed25519':
      return { type: 'ed25519' };
    case 'ed448':
      return { type: 'ed448' };
    default:
      throw new Error(`unknown key "${key}"`);
  }
}

/** A two-level private PKI per scenario, so issued certificates come with a real chain. */
export class ScenarioCa {
  readonly root: IssuedCertificate;
  readonly intermediate: IssuedCertificate;

  constructor(now: Date, name = 'certwarden simulated') {
    const nb = new Date(now.getTime() - 400 * DAY);
    this.root = issueCertificate({
      key: { type: 'ec', curve: 'P-384' },
      commonName: `${name} Root CA`,
      isCA: true,
      notBefore: nb,
      notAfter: new Date(now.getTime() + 3650 * DAY),
      signature: 'sha384',
    });
    this.intermediate = issueCertificate({
      key: { type: 'rsa', bits: 2048 },
      commonName: `${name} Issuing CA`,
      isCA: true,
      issuer: this.root,
      notBefore: nb,
      notAfter: new Date(now.getTime() + 1825 * DAY),
      signature: 'sha384',
    });
  }

  materialize(t: CertTemplate, now: Date): MaterialCertificate {
    const notAfter = new Date(now.getTime() + (t.expiresInDays ?? 200) * DAY);
    const notBefore =
      t.validFromDays !== undefined
        ? new Date(now.getTime() + t.validFromDays * DAY)
        : new Date(Math.min(notAfter.getTime() - 365 * DAY, now.getTime() - DAY));
    if (t.malformed) {
      const junk = Buffer.from(`not a certificate: ${t.cn}`);
      return {
        der: junk,
        pem: `-----BEGIN CERTIFICATE-----\n${junk.toString('base64')}\n-----END CERTIFICATE-----\n`,
        chainPem: '',
        notBefore,
        notAfter,
      };
    }
    const sans = t.sans ?? [t.cn];
    const pick = (p: string) => sans.filter((s) => s.startsWith(p)).map((s) => s.slice(p.length));
    const issued = issueCertificate({
      key: parseKey(t.key),
      commonName: t.cn,
      subject: t.subject,
      sans: {
        dns: sans.filter((s) => !/^(ip|email|uri):/.test(s)),
        ip: pick('ip:'),
        email: pick('email:'),
        uri: pick('uri:'),
      },
      notBefore,
      notAfter,
      signature: t.signature ?? (parseKey(t.key).type === 'ec' ? 'sha384' : 'sha256'),
      issuer: t.selfSigned ? undefined : this.intermediate,
    });
    return {
      der: issued.der,
      pem: issued.pem,
      chainPem: t.selfSigned ? '' : this.intermediate.pem + this.root.pem,
      notBefore,
      notAfter,
      privateKey: issued.privateKey,
    };
  }
}
