import { AsnConvert } from '@peculiar/asn1-schema';
import * as x from '@peculiar/asn1-x509';
import type { ChainFacts, KeyFacts, SubjectAltNames, X509Facts } from '../model/types.js';
import { escapeValue, fingerprint, publicKeyBits, readOid, serialHex, verifiesItself } from './common.js';
import { fastFacts } from './fast.js';
import { CURVES, EXTENDED_KEY_USAGES, KEY_ALGORITHMS, NAME_ATTRIBUTES, SIGNATURE_ALGORITHMS } from './oids.js';

function attributeText(v: x.AttributeValue): string {
  try {
    const s = v.toString();
    if (s) return s;
  } catch {
    /* fall through to the raw bytes */
  }
  return v.anyValue ? `#${Buffer.from(v.anyValue).toString('hex')}` : '';
}

/** The name in certificate order ("C=GB, O=Example, CN=host"), as OpenSSL prints it. */
export function formatName(name: x.Name): { text: string; cn?: string } {
  const parts: string[] = [];
  let cn: string | undefined;
  for (const rdn of name) {
    for (const atv of rdn) {
      const key = NAME_ATTRIBUTES[atv.type] ?? atv.type;
      const value = attributeText(atv.value);
      if (key === 'CN') cn = value;
      parts.push(`${key}=${escapeValue(value)}`);
    }
  }
  return { text: parts.join(', '), cn };
}

function extension<T>(cert: x.Certificate, id: string, type: new () => T): T | undefined {
  const e = cert.tbsCertificate.extensions?.find((ext) => ext.extnID === id);
  return e ? AsnConvert.parse(e.extnValue.buffer, type) : undefined;
}

function sans(cert: x.Certificate): SubjectAltNames {
  const out: SubjectAltNames = { dns: [], ip: [], email: [], uri: [] };
  const ext = extension(cert, x.id_ce_subjectAltName, x.SubjectAlternativeName);
  for (const n of ext ?? []) {
    if (n.dNSName !== undefined) out.dns.push(n.dNSName);
    else if (n.iPAddress !== undefined) out.ip.push(n.iPAddress);
    else if (n.rfc822Name !== undefined) out.email.push(n.rfc822Name);
    else if (n.uniformResourceIdentifier !== undefined) out.uri.push(n.uniformResourceIdentifier);
  }
  return out;
}

function keyFacts(spkiDer: Buffer, spki: x.SubjectPublicKeyInfo): KeyFacts {
  const algorithm = KEY_ALGORITHMS[spki.algorithm.algorithm] ?? 'unknown';
  if (algorithm === 'EC') {
    const params = spki.algorithm.parameters;
    const curveOid = params ? readOid(Buffer.from(params)) : undefined;
    const known = curveOid ? CURVES[curveOid] : undefined;
    return known ? { algorithm, curve: known[0], bits: known[1] } : { algorithm, curve: curveOid ?? 'explicit' };
  }
  if (algorithm === 'Ed25519') return { algorithm, bits: 256 };
  if (algorithm === 'Ed448') return { algorithm, bits: 448 };
  if (algorithm === 'RSA' || algorithm === 'DSA') {
    const bits = publicKeyBits(spkiDer);
    return bits === undefined ? { algorithm } : { algorithm, bits };
  }
  return { algorithm };
}

/** Issuer and subject match and the certificate's own key verifies its signature. */
function isSelfSigned(der: Buffer, cert: x.Certificate): boolean {
  const subject = Buffer.from(AsnConvert.serialize(cert.tbsCertificate.subject));
  const issuer = Buffer.from(AsnConvert.serialize(cert.tbsCertificate.issuer));
  return subject.equals(issuer) && verifiesItself(der);
}

/** Facts of one DER certificate; throws when it is not X.509. */
export function parseDer(der: Buffer): X509Facts {
  return fastFacts(der) ?? fullFacts(der);
}

/** The full parser: every encoding asn1js reads, at about a millisecond per certificate. */
export function fullFacts(der: Buffer): X509Facts {
  const cert = AsnConvert.parse(der, x.Certificate);
  const tbs = cert.tbsCertificate;
  const spkiDer = Buffer.from(AsnConvert.serialize(tbs.subjectPublicKeyInfo));
  const subject = formatName(tbs.subject);
  const basic = extension(cert, x.id_ce_basicConstraints, x.BasicConstraints);
  const usage = extension(cert, x.id_ce_keyUsage, x.KeyUsage);
  const eku = extension(cert, x.id_ce_extKeyUsage, x.ExtendedKeyUsage);
  const sigOid = cert.signatureAlgorithm.algorithm;
  return {
    subject: subject.text,
    issuer: formatName(tbs.issuer).text,
    commonName: subject.cn,
    sans: sans(cert),
    serial: serialHex(tbs.serialNumber),
    fingerprintSha256: fingerprint(der),
    notBefore: tbs.validity.notBefore.getTime().toISOString(),
    notAfter: tbs.validity.notAfter.getTime().toISOString(),
    key: keyFacts(spkiDer, tbs.subjectPublicKeyInfo),
    signatureAlgorithm: SIGNATURE_ALGORITHMS[sigOid] ?? sigOid,
    selfSigned: isSelfSigned(der, cert),
    isCA: basic?.cA ?? false,
    keyUsage: usage ? usage.toJSON() : [],
    extendedKeyUsage: [...(eku ?? [])].map((o) => EXTENDED_KEY_USAGES[o] ?? o),
  };
}

export function chainFacts(f: X509Facts): ChainFacts {
  const { subject, issuer, serial, fingerprintSha256, notBefore, notAfter, signatureAlgorithm, key, isCA, selfSigned } = f;
  return { subject, issuer, serial, fingerprintSha256, notBefore, notAfter, signatureAlgorithm, key, isCA, selfSigned };
}
