/**
 * Which distinguished-name attribute values OpenSSL decodes. OpenSSL refuses a certificate whose
 * issuer or subject holds a value outside its DirectoryString-like set (X509_NAME_ENTRY's value
 * is an ASN1_PRINTABLE MSTRING, crypto/x509/x_name.c) or a string it cannot convert to UTF-8
 * when it canonicalises the name. asn1js reads all of these, so the full parser checks them
 * here and a certificate OpenSSL cannot load is reported as unparseable, as OpenSSL reports it.
 * Each rule below was measured against OpenSSL 3.0 (test/x509/names.test.ts).
 */
import { DerReader, TAG, type Tlv } from './der.js';

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Universal tags (primitive) OpenSSL takes as a name value; the others it refuses. */
const PRIMITIVE = new Set([
  0x03, 0x07, 0x08, 0x09, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, 0x12, 0x13, 0x14, 0x16, 0x1c, 0x1d, 0x1e,
]);
/** Universal tags OpenSSL also takes in constructed (BER) form. */
const CONSTRUCTED = new Set([0x03, 0x0c, 0x10, 0x12, 0x13, 0x14, 0x16, 0x1c, 0x1e]);

const surrogate = (u: number) => u >= 0xd800 && u <= 0xdfff;

/** Why OpenSSL refuses this value, or undefined when it takes it. */
function valueProblem(t: Tlv, b: Buffer): string | undefined {
  const n = t.tag & 0x1f;
  if (t.tag & 0xc0) return 'a value that is not a universal type';
  if (t.tag & 0x20) return CONSTRUCTED.has(n) ? undefined : `a constructed value of universal type ${n}`;
  if (!PRIMITIVE.has(n)) return `a value of universal type ${n}`;
  if (n === 0x03 && (b.length === 0 || b[0] > 7)) return 'a malformed BIT STRING';
  if (n === 0x0c) {
    try {
      UTF8.decode(b);
    } catch {
      return 'a UTF8String that is not UTF-8';
    }
  }
  // BMPString is UCS-2: two bytes a character, no surrogates (OpenSSL converts none).
  if (n === 0x1e && (b.length % 2 || [...Array(b.length / 2).keys()].some((i) => surrogate(b.readUInt16BE(2 * i)))))
    return 'a BMPString that is not UCS-2';
  if (n === 0x1c) {
    if (b.length % 4) return 'a UniversalString whose length is not a multiple of 4';
    for (let i = 0; i < b.length; i += 4) {
      const u = b.readUInt32BE(i);
      if (u > 0x10ffff || surrogate(u)) return 'a UniversalString with a character outside Unicode';
    }
  }
  return undefined;
}

/** Why OpenSSL would refuse the Name at `name`, or undefined. Throws on DER the reader cannot walk. */
export function nameProblem(r: DerReader, name: Tlv): string | undefined {
  for (const rdn of r.children(name)) {
    for (const atv of r.children(rdn)) {
      const [, value] = r.children(atv);
      const problem = value ? valueProblem(value, r.bytes(value)) : undefined;
      if (problem) return problem;
    }
  }
  return undefined;
}

/** The issuer and subject TLVs of a certificate's DER, and the offsets their headers start at. */
export function nameFields(r: DerReader): { issuer: Tlv; subject: Tlv; fields: Tlv[]; first: number } {
  const cert = r.at(0);
  const tbs = r.children(cert)[0];
  if (tbs?.tag !== TAG.SEQUENCE) throw new Error('TBSCertificate');
  const fields = r.children(tbs);
  const first = fields[0]?.tag === 0xa0 ? 1 : 0;
  return { issuer: fields[first + 2], subject: fields[first + 4], fields, first };
}
