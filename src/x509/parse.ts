import { AsnConvert } from '@peculiar/asn1-schema';
import * as x from '@peculiar/asn1-x509';
import type { ChainFacts, X509Facts } from '../model/types.js';
import { escapeValue, fingerprint, serialHex, verifiesItself } from './common.js';
import { DerReader, TAG } from './der.js';
import { readExtensions } from './extensions.js';
import { fastFacts } from './fast.js';
import { nameFields, nameProblem } from './names.js';
import { NAME_ATTRIBUTES, SIGNATURE_ALGORITHMS } from './oids.js';
import { keyFacts } from './spki.js';

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

/** Issuer and subject match and the certificate's own key verifies its signature. */
function isSelfSigned(der: Buffer, spkiDer: Buffer, cert: x.Certificate): boolean {
  const subject = Buffer.from(AsnConvert.serialize(cert.tbsCertificate.subject));
  const issuer = Buffer.from(AsnConvert.serialize(cert.tbsCertificate.issuer));
  return subject.equals(issuer) && verifiesItself(der, spkiDer);
}

/**
 * What the full parser takes from the DER itself: the SubjectPublicKeyInfo as it stands
 * (encoding the parsed value again could change a hostile key's bytes), and why OpenSSL would
 * refuse the certificate's names (names.ts).
 */
function fromDer(der: Buffer): { spki?: Buffer; refused?: string } {
  let r: DerReader;
  let f: ReturnType<typeof nameFields>;
  try {
    r = new DerReader(der);
    f = nameFields(r);
  } catch {
    return {}; // lengths the DER reader does not take
  }
  const spki = f.fields[f.first + 5];
  const out = { spki: spki?.tag === TAG.SEQUENCE ? r.raw(f.subject.end, spki) : undefined };
  for (const [field, name] of [
    ['issuer', f.issuer],
    ['subject', f.subject],
  ] as const) {
    try {
      const problem = nameProblem(r, name);
      if (problem) return { ...out, refused: `its ${field} holds ${problem}` };
    } catch (err) {
      if ((err as Error).message === 'long-form tag')
        return { ...out, refused: `its ${field} holds a value with a long-form tag` };
    }
  }
  return out;
}

/** Facts of one DER certificate; throws when it is not X.509. */
export function parseDer(der: Buffer): X509Facts {
  return fastFacts(der) ?? fullFacts(der);
}

/** The full parser: every encoding asn1js reads, at about a millisecond per certificate. */
export function fullFacts(der: Buffer): X509Facts {
  const cert = AsnConvert.parse(der, x.Certificate);
  const tbs = cert.tbsCertificate;
  const raw = fromDer(der);
  if (raw.refused) throw new Error(`OpenSSL cannot load it: ${raw.refused}`);
  const spkiDer = raw.spki ?? Buffer.from(AsnConvert.serialize(tbs.subjectPublicKeyInfo));
  const subject = formatName(tbs.subject);
  const ext = readExtensions(
    (tbs.extensions ?? []).map((e) => ({ id: e.extnID, value: Buffer.from(e.extnValue.buffer) })),
  );
  const sigOid = cert.signatureAlgorithm.algorithm;
  return {
    subject: subject.text,
    issuer: formatName(tbs.issuer).text,
    commonName: subject.cn,
    sans: ext.sans,
    serial: serialHex(tbs.serialNumber),
    fingerprintSha256: fingerprint(der),
    notBefore: tbs.validity.notBefore.getTime().toISOString(),
    notAfter: tbs.validity.notAfter.getTime().toISOString(),
    key: keyFacts(spkiDer),
    signatureAlgorithm: SIGNATURE_ALGORITHMS[sigOid] ?? sigOid,
    selfSigned: isSelfSigned(der, spkiDer, cert),
    isCA: ext.isCA,
    keyUsage: ext.keyUsage,
    extendedKeyUsage: ext.extendedKeyUsage,
    ...(ext.errors.length ? { extensionErrors: ext.errors } : {}),
  };
}

export function chainFacts(f: X509Facts): ChainFacts {
  const { subject, issuer, serial, fingerprintSha256, notBefore, notAfter, signatureAlgorithm, key, isCA, selfSigned } =
    f;
  return { subject, issuer, serial, fingerprintSha256, notBefore, notAfter, signatureAlgorithm, key, isCA, selfSigned };
}
