/**
 * The fast path of the X.509 reader. The full parser (parse.ts, @peculiar/asn1-x509 over asn1js)
 * costs about a millisecond per certificate; at tens of thousands of certificates a night that
 * was most of an audit's CPU. This path walks the DER once (der.ts) for the fields certwarden
 * reports, in the common encodings only: UTF8/Printable/IA5 strings in names, plain UTC and
 * generalized times. On anything else it returns undefined and the full parser reads the
 * certificate, so odd and hostile inputs get exactly the full parser's answer. The key
 * (spki.ts) and the extensions (extensions.ts) are read by the same code on both paths. Tests
 * hold the two paths equal.
 */
import type { X509Facts } from '../model/types.js';
import { DerReader, TAG, type Tlv } from './der.js';
import { readExtensions, type RawExtension } from './extensions.js';
import { NAME_ATTRIBUTES, SIGNATURE_ALGORITHMS } from './oids.js';
import { escapeValue, fingerprint, serialHex, verifiesItself } from './common.js';
import { keyFacts } from './spki.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function unsupported(what: string): never {
  throw new Error(what);
}

/** A non-empty string value in an encoding both paths decode the same way. */
function text(r: DerReader, t: Tlv, utf8 = false): string {
  const b = r.bytes(t);
  if (b.length === 0) unsupported('empty string');
  if (utf8) {
    if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) unsupported('byte order mark');
    return UTF8.decode(b);
  }
  for (const c of b) if (c >= 0x80) unsupported('non-ASCII byte in an ASCII string');
  return b.toString('latin1');
}

function nameText(r: DerReader, name: Tlv): { text: string; cn?: string } {
  if (name.tag !== TAG.SEQUENCE) unsupported('name');
  const parts: string[] = [];
  let cn: string | undefined;
  for (const rdn of r.children(name)) {
    if (rdn.tag !== TAG.SET) unsupported('RDN');
    for (const atv of r.children(rdn)) {
      if (atv.tag !== TAG.SEQUENCE) unsupported('attribute');
      const [type, value] = r.expect(atv, [TAG.OID, undefined]);
      const oid = r.oid(type);
      if (value.tag !== TAG.UTF8_STRING && value.tag !== TAG.PRINTABLE_STRING && value.tag !== TAG.IA5_STRING)
        unsupported('string type');
      const v = text(r, value, value.tag === TAG.UTF8_STRING);
      const key = NAME_ATTRIBUTES[oid] ?? oid;
      if (key === 'CN') cn = v;
      parts.push(`${key}=${escapeValue(v)}`);
    }
  }
  return { text: parts.join(', '), cn };
}

const TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

function time(r: DerReader, t: Tlv): string {
  const s = r.bytes(t).toString('latin1');
  let m: RegExpExecArray | null;
  let year: number;
  if (t.tag === TAG.UTC_TIME && (m = TIME.exec(s))) {
    const yy = Number(m[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (t.tag === TAG.GENERALIZED_TIME && s.length === 15 && (m = TIME.exec(s.slice(2)))) {
    year = Number(s.slice(0, 4));
  } else return unsupported('time encoding');
  const [mo, d, h, mi, se] = [2, 3, 4, 5, 6].map((i) => Number(m[i]));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 59) unsupported('time value');
  return new Date(Date.UTC(year, mo - 1, d, h, mi, se)).toISOString();
}

/** The extensions' raw values; the wrapper's structure must be plain, the values are decoded in extensions.ts. */
function extensionList(r: DerReader, t: Tlv | undefined): RawExtension[] {
  if (!t) return [];
  const [list] = r.expect(t, [TAG.SEQUENCE]);
  return r.children(list).map((e) => {
    if (e.tag !== TAG.SEQUENCE) unsupported('extension');
    const c = r.children(e);
    const value = c[c.length - 1];
    if (
      c.length < 2 ||
      c.length > 3 ||
      value.tag !== TAG.OCTET_STRING ||
      (c.length === 3 && (c[1].tag !== TAG.BOOLEAN || c[1].end - c[1].start !== 1))
    )
      unsupported('extension');
    return { id: r.oid(c[0]), value: r.bytes(value) };
  });
}

function algorithmOid(r: DerReader, t: Tlv): string {
  const c = r.children(t);
  if (t.tag !== TAG.SEQUENCE || c.length < 1 || c.length > 2) unsupported('algorithm identifier');
  return r.oid(c[0]);
}

function read(der: Buffer): X509Facts {
  const r = new DerReader(der);
  const cert = r.at(0);
  if (cert.tag !== TAG.SEQUENCE || cert.end !== der.length) unsupported('certificate');
  r.walk(cert);
  r.nodes = 0;
  const [tbs, sigAlg] = r.expect(cert, [TAG.SEQUENCE, TAG.SEQUENCE, TAG.BIT_STRING]);
  const fields = r.children(tbs);
  let i = 0;
  if (fields[0]?.tag === 0xa0) {
    const [v] = r.expect(fields[0], [TAG.INTEGER]);
    if (v.end - v.start !== 1 || r.buf[v.start] > 2) unsupported('version');
    i = 1;
  }
  const [serial, signature, issuer, validity, subject, spki, ...rest] = fields.slice(i);
  if (serial?.tag !== TAG.INTEGER || serial.end === serial.start || !spki || spki.tag !== TAG.SEQUENCE)
    unsupported('TBSCertificate');
  algorithmOid(r, signature);
  // The key's own bytes are read leniently (spki.ts); its outer structure must be what the full parser reads.
  algorithmOid(r, r.expect(spki, [TAG.SEQUENCE, TAG.BIT_STRING])[0]);
  const optional = rest.map((t) => t.tag);
  if (optional.some((tag, k) => ![0x81, 0x82, 0xa3].includes(tag) || (k > 0 && tag <= optional[k - 1])))
    unsupported('TBSCertificate tail');
  const ext = readExtensions(
    extensionList(
      r,
      rest.find((t) => t.tag === 0xa3),
    ),
  );
  if (validity.tag !== TAG.SEQUENCE) unsupported('validity');
  const [notBefore, notAfter] = r.expect(validity, [undefined, undefined]);
  const subjectName = nameText(r, subject);
  const issuerName = nameText(r, issuer);
  const sigOid = algorithmOid(r, sigAlg);
  const spkiDer = r.raw(subject.end, spki);
  return {
    subject: subjectName.text,
    issuer: issuerName.text,
    commonName: subjectName.cn,
    sans: ext.sans,
    serial: serialHex(r.bytes(serial)),
    fingerprintSha256: fingerprint(der),
    notBefore: time(r, notBefore),
    notAfter: time(r, notAfter),
    key: keyFacts(spkiDer),
    signatureAlgorithm: SIGNATURE_ALGORITHMS[sigOid] ?? sigOid,
    selfSigned: sameName(r, issuer, subject, signature.end, validity.end) && verifiesItself(der, spkiDer),
    isCA: ext.isCA,
    keyUsage: ext.keyUsage,
    extendedKeyUsage: ext.extendedKeyUsage,
    ...(ext.errors.length ? { extensionErrors: ext.errors } : {}),
  };
}

/** Byte-equal issuer and subject names (each TLV starts where the field before it ends). */
function sameName(r: DerReader, issuer: Tlv, subject: Tlv, issuerFrom: number, subjectFrom: number): boolean {
  return r.raw(issuerFrom, issuer).equals(r.raw(subjectFrom, subject));
}

/** The certificate's facts, or undefined when it needs the full parser. Never throws. */
export function fastFacts(der: Buffer): X509Facts | undefined {
  try {
    return read(der);
  } catch {
    return undefined;
  }
}
