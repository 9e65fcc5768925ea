/**
 * Issues real X.509 certificates for the simulator and the tests: the TBSCertificate is built
 * with @peculiar/asn1-x509 and signed with node:crypto, so any key type OpenSSL has (RSA of any
 * size, EC on any named curve, Ed25519/Ed448, DSA) and any signature hash (MD5 and SHA-1 included,
 * which WebCrypto refuses) can be produced on purpose.
 */
import { createHash, generateKeyPairSync, randomBytes, sign, constants, type KeyObject } from 'node:crypto';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import * as x from '@peculiar/asn1-x509';

export type KeySpec =
  | { type: 'rsa'; bits: number }
  /** P-256, P-384, P-521, secp256k1, or any other curve name node:crypto knows. */
  | { type: 'ec'; curve: string }
  | { type: 'ed25519' }
  | { type: 'ed448' }
  | { type: 'dsa'; bits: number };

export type SignatureHash = 'sha256' | 'sha384' | 'sha512' | 'sha1' | 'md5' | 'pss-sha256';

export interface CertSpec {
  key: KeySpec;
  commonName?: string;
  /** Extra subject attributes, in order, e.g. { O: 'Example', C: 'GB' }. */
  subject?: Record<string, string>;
  sans?: { dns?: string[]; ip?: string[]; email?: string[]; uri?: string[] };
  notBefore: Date;
  notAfter: Date;
  signature?: SignatureHash;
  /** Signs with this certificate's key and names it as issuer; self-signed when absent. */
  issuer?: IssuedCertificate;
  isCA?: boolean;
  serial?: string;
  keyUsage?: x.KeyUsageFlags[];
  extendedKeyUsage?: string[];
  /** A fresh key instead of one shared from the pool (the pool makes large scenarios fast). */
  uniqueKey?: boolean;
}

export interface IssuedCertificate {
  der: Buffer;
  pem: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  subjectName: x.Name;
}

const CURVES: Record<string, string> = { 'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1' };
const pool = new Map<string, { privateKey: KeyObject; publicKey: KeyObject }>();

export function keyPair(spec: KeySpec, unique = false): { privateKey: KeyObject; publicKey: KeyObject } {
  const id = JSON.stringify(spec);
  const cached = unique ? undefined : pool.get(id);
  if (cached) return cached;
  let pair;
  switch (spec.type) {
    case 'rsa':
      pair = generateKeyPairSync('rsa', { modulusLength: spec.bits });
      break;
    case 'ec':
      pair = generateKeyPairSync('ec', { namedCurve: CURVES[spec.curve] ?? spec.curve });
      break;
    case 'ed25519':
      pair = generateKeyPairSync('ed25519');
      break;
    case 'ed448':
      pair = generateKeyPairSync('ed448');
      break;
    case 'dsa':
      pair = generateKeyPairSync('dsa', { modulusLength: spec.bits, divisorLength: spec.bits >= 2048 ? 256 : 160 });
      break;
  }
  if (!unique) pool.set(id, pair);
  return pair;
}

const NAME_OIDS: Record<string, string> = {
  CN: '2.5.4.3',
  O: '2.5.4.10',
  OU: '2.5.4.11',
  C: '2.5.4.6',
  L: '2.5.4.7',
  ST: '2.5.4.8',
};

function buildName(cn: string | undefined, extra: Record<string, string> = {}): x.Name {
  const attrs: Array<[string, string]> = Object.entries(extra);
  if (cn !== undefined) attrs.push(['CN', cn]);
  return new x.Name(
    attrs.map(([k, v]) => {
      const value = k === 'C' ? new x.AttributeValue({ printableString: v }) : new x.AttributeValue({ utf8String: v });
      return new x.RelativeDistinguishedName([new x.AttributeTypeAndValue({ type: NAME_OIDS[k] ?? k, value })]);
    }),
  );
}

const NULL = new Uint8Array([5, 0]).buffer;
const RSA_OIDS: Record<string, string> = {
  md5: '1.2.840.113549.1.1.4',
  sha1: '1.2.840.113549.1.1.5',
  sha256: '1.2.840.113549.1.1.11',
  sha384: '1.2.840.113549.1.1.12',
  sha512: '1.2.840.113549.1.1.13',
};
const ECDSA_OIDS: Record<string, string> = {
  sha1: '1.2.840.10045.4.1',
  sha256: '1.2.840.10045.4.3.2',
  sha384: '1.2.840.10045.4.3.3',
  sha512: '1.2.840.10045.4.3.4',
};
const DSA_OIDS: Record<string, string> = { sha1: '1.2.840.10040.4.3', sha256: '2.16.840.1.101.3.4.3.2' };

/** RSASSA-PSS-params for SHA-256, MGF1-SHA-256, salt 32 (RFC 4055), DER-encoded. */
const PSS_SHA256_PARAMS = Buffer.from(
  '3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120',
  'hex',
);

function signatureAlgorithm(
  issuerKey: KeyObject,
  hash: SignatureHash,
): { alg: x.AlgorithmIdentifier; sign(data: Buffer): Buffer } {
  const type = issuerKey.asymmetricKeyType;
  if (type === 'ed25519' || type === 'ed448') {
    return {
      alg: new x.AlgorithmIdentifier({ algorithm: type === 'ed25519' ? '1.3.101.112' : '1.3.101.113' }),
      sign: (d) => sign(null, d, issuerKey),
    };
  }
  if (type === 'rsa' && hash === 'pss-sha256') {
    const params = PSS_SHA256_PARAMS.buffer.slice(
      PSS_SHA256_PARAMS.byteOffset,
      PSS_SHA256_PARAMS.byteOffset + PSS_SHA256_PARAMS.length,
    );
    return {
      alg: new x.AlgorithmIdentifier({ algorithm: '1.2.840.113549.1.1.10', parameters: params }),
      sign: (d) => sign('sha256', d, { key: issuerKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }),
    };
  }
  const h = hash === 'pss-sha256' ? 'sha256' : hash;
  const table = type === 'rsa' ? RSA_OIDS : type === 'ec' ? ECDSA_OIDS : type === 'dsa' ? DSA_OIDS : {};
  const oid = table[h];
  if (!oid) throw new Error(`cannot sign with ${type} and ${hash}`);
  return {
    alg: new x.AlgorithmIdentifier({ algorithm: oid, parameters: type === 'rsa' ? NULL : undefined }),
    sign: (d) => sign(h, d, issuerKey),
  };
}

function ext(id: string, value: unknown, critical = false): x.Extension {
  return new x.Extension({ extnID: id, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

function serialBytes(serial?: string): ArrayBuffer {
  const bytes = serial ? Buffer.from(serial.length % 2 ? `0${serial}` : serial, 'hex') : randomBytes(16);
  bytes[0] &= 0x7f; // a positive INTEGER
  if (bytes[0] === 0 && bytes.length > 1) bytes[0] = 1;
  return new Uint8Array(bytes).buffer;
}

export function issueCertificate(spec: CertSpec): IssuedCertificate {
  const { privateKey, publicKey } = keyPair(spec.key, spec.uniqueKey);
  const spkiDer = publicKey.export({ type: 'spki', format: 'der' });
  const spki = AsnConvert.parse(spkiDer, x.SubjectPublicKeyInfo);
  const subjectName = buildName(spec.commonName, spec.subject);
  const issuerName = spec.issuer?.subjectName ?? subjectName;
  const signer = signatureAlgorithm(spec.issuer?.privateKey ?? privateKey, spec.signature ?? 'sha256');
  const skid = createHash('sha1').update(Buffer.from(spki.subjectPublicKey)).digest();

  const extensions = [ext(x.id_ce_basicConstraints, new x.BasicConstraints({ cA: !!spec.isCA }), true)];
  const usage =
    spec.keyUsage ??
    (spec.isCA
      ? [x.KeyUsageFlags.keyCertSign, x.KeyUsageFlags.cRLSign]
      : [x.KeyUsageFlags.digitalSignature, x.KeyUsageFlags.keyEncipherment]);
  extensions.push(ext(x.id_ce_keyUsage, new x.KeyUsage(usage.reduce((a, b) => a | b, 0)), true));
  if (!spec.isCA || spec.extendedKeyUsage) {
    extensions.push(
      ext(
        x.id_ce_extKeyUsage,
        new x.ExtendedKeyUsage(spec.extendedKeyUsage ?? [x.id_kp_serverAuth, x.id_kp_clientAuth]),
      ),
    );
  }
  const s = spec.sans ?? {};
  const names = [
    ...(s.dns ?? []).map((d) => new x.GeneralName({ dNSName: d })),
    ...(s.ip ?? []).map((i) => new x.GeneralName({ iPAddress: i })),
    ...(s.email ?? []).map((e) => new x.GeneralName({ rfc822Name: e })),
    ...(s.uri ?? []).map((u) => new x.GeneralName({ uniformResourceIdentifier: u })),
  ];
  if (names.length) extensions.push(ext(x.id_ce_subjectAltName, new x.SubjectAlternativeName(names)));
  extensions.push(ext(x.id_ce_subjectKeyIdentifier, new x.SubjectKeyIdentifier(new Uint8Array(skid).buffer)));

  const tbs = new x.TBSCertificate({
    version: x.Version.v3,
    serialNumber: serialBytes(spec.serial),
    signature: signer.alg,
    issuer: issuerName,
    validity: new x.Validity({ notBefore: spec.notBefore, notAfter: spec.notAfter }),
    subject: subjectName,
    subjectPublicKeyInfo: spki,
    extensions: new x.Extensions(extensions),
  });
  const tbsDer = Buffer.from(AsnConvert.serialize(tbs));
  const signatureValue = signer.sign(tbsDer);
  const cert = new x.Certificate({
    tbsCertificate: tbs,
    signatureAlgorithm: signer.alg,
    signatureValue: new Uint8Array(signatureValue).buffer,
  });
  const der = Buffer.from(AsnConvert.serialize(cert));
  return { der, pem: toPem(der), privateKey, publicKey, subjectName };
}

export function toPem(der: Buffer): string {
  const b64 = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}
