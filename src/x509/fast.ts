/**
 * The fast path of the X.509 reader. The full parser (parse.ts, @peculiar/asn1-x509 over asn1js)
 * costs about a millisecond per certificate, and Node's key decoder another 0.4 ms for an RSA
 * key; at tens of thousands of certificates a night that would be most of an audit's CPU. This path
 * walks the DER once (der.ts) for the fields certwarden reports, in the common encodings only:
 * UTF8/Printable/IA5 strings, plain UTC and generalized times, the four SAN kinds it reports.
 * On anything else it returns undefined and the full parser reads the certificate, so odd and
 * hostile inputs get exactly the full parser's answer. Tests hold the two paths equal.
 */
import type { KeyFacts, SubjectAltNames, X509Facts } from '../model/types.js';
import { DerReader, TAG, type Tlv } from './der.js';
import { CURVES, EXTENDED_KEY_USAGES, KEY_ALGORITHMS, NAME_ATTRIBUTES, SIGNATURE_ALGORITHMS } from './oids.js';
import { escapeValue, fingerprint, publicKeyBits, readOid, serialHex, verifiesItself } from './common.js';

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
      if (value.tag !== TAG.UTF8_STRING && value.tag !== TAG.PRINTABLE_STRING && value.tag !== TAG.IA5_STRING) unsupported('string type');
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

function formatIPv6(b: Buffer): string {
  const parts: string[] = [];
  for (let i = 0; i < 16; i += 2) parts.push(((b[i] << 8) | b[i + 1]).toString(16));
  // The longest run of two or more zero groups becomes "::" (the first such run on a tie).
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && parts[j] === '0') j++;
    if (j - i > bestLen) [best, bestLen] = [i, j - i];
    i = j === i ? i + 1 : j;
  }
  return best < 0 ? parts.join(':') : `${parts.slice(0, best).join(':')}::${parts.slice(best + bestLen).join(':')}`;
}

function sans(r: DerReader, value: Tlv | undefined): SubjectAltNames {
  const out: SubjectAltNames = { dns: [], ip: [], email: [], uri: [] };
  if (!value) return out;
  if (value.tag !== TAG.SEQUENCE) unsupported('SAN');
  for (const n of r.children(value)) {
    if (n.tag === 0x82) out.dns.push(text(r, n));
    else if (n.tag === 0x81) out.email.push(text(r, n));
    else if (n.tag === 0x86) out.uri.push(text(r, n));
    else if (n.tag === 0x87 && n.end - n.start === 4) out.ip.push([...r.bytes(n)].join('.'));
    else if (n.tag === 0x87 && n.end - n.start === 16) out.ip.push(formatIPv6(r.bytes(n)));
    else unsupported('general name');
  }
  return out;
}

/** Bit length of a positive, minimally encoded INTEGER. */
function integerBits(r: DerReader, t: Tlv): number {
  const b = r.bytes(t);
  if (t.tag !== TAG.INTEGER || b.length === 0 || b[0] & 0x80 || (b[0] === 0 && (b.length === 1 || !(b[1] & 0x80)))) unsupported('integer');
  const i = b[0] === 0 ? 1 : 0;
  return (b.length - i - 1) * 8 + (32 - Math.clz32(b[i]));
}

function keyFacts(r: DerReader, spki: Tlv, from: number): KeyFacts {
  const [alg, bits] = r.expect(spki, [TAG.SEQUENCE, TAG.BIT_STRING]);
  const a = r.children(alg);
  if (a.length < 1 || a.length > 2) unsupported('key algorithm');
  const algorithm = KEY_ALGORITHMS[r.oid(a[0])] ?? 'unknown';
  if (algorithm === 'EC') {
    const curveOid = a[1] ? readOid(r.raw(a[0].end, a[1])) : undefined;
    const known = curveOid ? CURVES[curveOid] : undefined;
    return known ? { algorithm, curve: known[0], bits: known[1] } : { algorithm, curve: curveOid ?? 'explicit' };
  }
  if (algorithm === 'Ed25519') return { algorithm, bits: 256 };
  if (algorithm === 'Ed448') return { algorithm, bits: 448 };
  if (algorithm === 'RSA' && bits.end > bits.start && r.buf[bits.start] === 0) {
    // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }, inside the BIT STRING.
    try {
      const inner = r.at(bits.start + 1, bits.end);
      if (inner.tag === TAG.SEQUENCE && inner.end === bits.end) {
        const [n, e] = r.expect(inner, [TAG.INTEGER, TAG.INTEGER]);
        const size = integerBits(r, n);
        integerBits(r, e);
        if (size >= 512 && size <= 16384) return { algorithm, bits: size };
      }
    } catch {
      /* Node's decoder has the last word below */
    }
  }
  if (algorithm === 'RSA' || algorithm === 'DSA') {
    const size = publicKeyBits(r.raw(from, spki));
    return size === undefined ? { algorithm } : { algorithm, bits: size };
  }
  return { algorithm };
}

function extensionMap(r: DerReader, t: Tlv | undefined): Map<string, Tlv> {
  const out = new Map<string, Tlv>();
  if (!t) return out;
  const [list] = r.expect(t, [TAG.SEQUENCE]);
  for (const e of r.children(list)) {
    if (e.tag !== TAG.SEQUENCE) unsupported('extension');
    const c = r.children(e);
    const value = c[c.length - 1];
    if (c.length < 2 || c.length > 3 || value.tag !== TAG.OCTET_STRING || (c.length === 3 && c[1].tag !== TAG.BOOLEAN)) unsupported('extension');
    const id = r.oid(c[0]);
    if (out.has(id)) continue; // the first of a repeated extension counts, as in the full parser
    if (value.end === value.start) unsupported('empty extension');
    const inner = r.at(value.start, value.end);
    if (inner.end !== value.end) unsupported('extension trailing bytes');
    out.set(id, inner);
  }
  return out;
}

const KEY_USAGE_NAMES = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'crlSign', 'encipherOnly', 'decipherOnly'];

function keyUsage(r: DerReader, t: Tlv | undefined): string[] {
  if (!t) return [];
  const b = r.bytes(t);
  if (t.tag !== TAG.BIT_STRING || b.length < 1 || b.length > 3 || b[0] > 7) unsupported('key usage');
  const used = (b.length - 1) * 8 - b[0];
  const names = KEY_USAGE_NAMES.filter((_, i) => i < used && (b[1 + (i >> 3)] >> (7 - (i & 7))) & 1);
  // The full parser lists them alphabetically.
  return names.sort();
}

function isCA(r: DerReader, t: Tlv | undefined): boolean {
  if (!t) return false;
  if (t.tag !== TAG.SEQUENCE) unsupported('basic constraints');
  const c = r.children(t);
  if (c.length > 2 || (c.length === 2 && (c[0].tag !== TAG.BOOLEAN || c[1].tag !== TAG.INTEGER))) unsupported('basic constraints');
  if (c[0]?.tag === TAG.BOOLEAN) {
    if (c[0].end - c[0].start !== 1) unsupported('boolean');
    return r.buf[c[0].start] !== 0;
  }
  if (c[0] && c[0].tag !== TAG.INTEGER) unsupported('basic constraints');
  return false;
}

function extendedKeyUsage(r: DerReader, t: Tlv | undefined): string[] {
  if (!t) return [];
  if (t.tag !== TAG.SEQUENCE) unsupported('extended key usage');
  return r.children(t).map((o) => {
    const id = r.oid(o);
    return EXTENDED_KEY_USAGES[id] ?? id;
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
  if (serial?.tag !== TAG.INTEGER || serial.end === serial.start || !spki || spki.tag !== TAG.SEQUENCE) unsupported('TBSCertificate');
  algorithmOid(r, signature);
  const optional = rest.map((t) => t.tag);
  if (optional.some((tag, k) => ![0x81, 0x82, 0xa3].includes(tag) || (k > 0 && tag <= optional[k - 1]))) unsupported('TBSCertificate tail');
  const ext = extensionMap(r, rest.find((t) => t.tag === 0xa3));
  if (validity.tag !== TAG.SEQUENCE) unsupported('validity');
  const [notBefore, notAfter] = r.expect(validity, [undefined, undefined]);
  const subjectName = nameText(r, subject);
  const issuerName = nameText(r, issuer);
  const sigOid = algorithmOid(r, sigAlg);
  return {
    subject: subjectName.text,
    issuer: issuerName.text,
    commonName: subjectName.cn,
    sans: sans(r, ext.get('2.5.29.17')),
    serial: serialHex(r.bytes(serial)),
    fingerprintSha256: fingerprint(der),
    notBefore: time(r, notBefore),
    notAfter: time(r, notAfter),
    key: keyFacts(r, spki, subject.end),
    signatureAlgorithm: SIGNATURE_ALGORITHMS[sigOid] ?? sigOid,
    selfSigned: sameName(r, issuer, subject, signature.end, validity.end) && verifiesItself(der),
    isCA: isCA(r, ext.get('2.5.29.19')),
    keyUsage: keyUsage(r, ext.get('2.5.29.15')),
    extendedKeyUsage: extendedKeyUsage(r, ext.get('2.5.29.37')),
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
