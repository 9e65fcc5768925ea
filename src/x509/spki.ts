/**
 * A SubjectPublicKeyInfo read in JavaScript: the key's algorithm, size and curve as OpenSSL
 * reports them (`openssl x509 -text`), and whether the key is well-formed enough to hand to
 * Node's native crypto.
 *
 * Node's native key code trusts OpenSSL to have refused a bad key, and some keys OpenSSL loads
 * still break Node's assumptions: `asymmetricKeyDetails` on a DSA key whose public value is
 * negative, or on an EC key whose point is the point at infinity, fails an internal assertion
 * (`(dsa) != nullptr`, `(ec) != nullptr`) and aborts the process with SIGABRT, no exception
 * thrown. So no fact here comes from native code, and `nativeKey` lets through only keys of
 * plain shape: RSA with a sane modulus and exponent, DSA with sane domain parameters, EC on a
 * named curve with an encoded point of the curve's length, Ed25519 and Ed448 of their length.
 */
import { sharedKey } from './shared.js';
import type { KeyFacts } from '../model/types.js';
import { DerReader, TAG, type Tlv } from './der.js';
import { CURVES, KEY_ALGORITHMS } from './oids.js';

/** Field size in bytes of the named curves native code may see (their points are 1 + 2n or 1 + n bytes). */
const NATIVE_CURVES: Record<string, number> = {
  'P-192': 24,
  'P-224': 28,
  'P-256': 32,
  'P-384': 48,
  'P-521': 66,
  secp256k1: 32,
  brainpoolP256r1: 32,
  brainpoolP384r1: 48,
  brainpoolP512r1: 64,
};

interface Spki {
  r: DerReader;
  oid: string;
  params?: Tlv;
  /** The BIT STRING's content after its unused-bits byte, when that byte is 0. */
  key?: Tlv;
}

function read(der: Buffer): Spki {
  const r = new DerReader(der);
  const spki = r.at(0);
  if (spki.tag !== TAG.SEQUENCE || spki.end !== der.length) throw new Error('SubjectPublicKeyInfo');
  const [alg, bits] = r.expect(spki, [TAG.SEQUENCE, TAG.BIT_STRING]);
  const a = r.children(alg);
  if (a.length < 1 || a.length > 2) throw new Error('key algorithm');
  const key =
    bits.end > bits.start && der[bits.start] === 0
      ? { tag: TAG.BIT_STRING, start: bits.start + 1, end: bits.end }
      : undefined;
  return { r, oid: r.oid(a[0]), params: a[1], key };
}

/** Bit length of an INTEGER's content read as unsigned, as OpenSSL's BN_bin2bn reads key integers. */
function unsignedBits(b: Buffer): number {
  let i = 0;
  while (i < b.length && b[i] === 0) i++;
  return i === b.length ? 0 : (b.length - i - 1) * 8 + (32 - Math.clz32(b[i]));
}

/** A positive INTEGER without superfluous leading zeros: its magnitude. */
function positive(r: DerReader, t: Tlv): Buffer | undefined {
  const b = r.bytes(t);
  if (t.tag !== TAG.INTEGER || b.length === 0 || b[0] & 0x80) return undefined;
  if (b[0] === 0 && (b.length === 1 || !(b[1] & 0x80))) return undefined;
  return b[0] === 0 ? b.subarray(1) : b;
}

/** a < b for magnitudes. */
const less = (a: Buffer, b: Buffer) => a.length < b.length || (a.length === b.length && Buffer.compare(a, b) < 0);
const ONE = Buffer.from([1]);

/** The TLVs inside the key BIT STRING, which must hold exactly one value of `tag`. */
function inner(s: Spki, tag: number): Tlv | undefined {
  if (!s.key) return undefined;
  const t = s.r.at(s.key.start, s.key.end);
  return t.tag === tag && t.end === s.key.end ? t : undefined;
}

function rsa(s: Spki): { bits?: number; native: boolean } {
  const seq = inner(s, TAG.SEQUENCE);
  if (!seq) return { native: false };
  const [n, e] = s.r.expect(seq, [TAG.INTEGER, TAG.INTEGER]);
  const bits = unsignedBits(s.r.bytes(n));
  const modulus = positive(s.r, n);
  const exponent = positive(s.r, e);
  // Parameters: absent or NULL for rsaEncryption; absent or a SEQUENCE for RSASSA-PSS.
  const params = !s.params || s.params.tag === (s.oid === '1.2.840.113549.1.1.1' ? TAG.NULL : TAG.SEQUENCE);
  const native =
    params &&
    !!modulus &&
    !!exponent &&
    bits >= 512 &&
    bits <= 16384 &&
    exponent.length <= 8 &&
    (exponent[exponent.length - 1] & 1) === 1 &&
    less(ONE, exponent);
  return { bits, native };
}

function dsa(s: Spki): { bits?: number; native: boolean } {
  if (s.params?.tag !== TAG.SEQUENCE) return { native: false };
  const [p, q, g] = s.r.expect(s.params, [TAG.INTEGER, TAG.INTEGER, TAG.INTEGER]);
  const y = inner(s, TAG.INTEGER);
  if (!y) return { native: false };
  const bits = unsignedBits(s.r.bytes(p));
  const [P, Q, G, Y] = [p, q, g, y].map((t) => positive(s.r, t));
  const qBits = Q ? unsignedBits(Q) : 0;
  const native =
    !!(P && Q && G && Y) &&
    bits >= 512 &&
    bits <= 10000 &&
    [160, 224, 256].includes(qBits) &&
    less(ONE, G) &&
    less(G, P) &&
    less(ONE, Y) &&
    less(Y, P);
  return { bits, native };
}

/**
 * ECParameters ::= SEQUENCE { version, fieldID, curve, base ECPoint, order INTEGER, cofactor OPTIONAL }
 * (RFC 3279 2.3.5): the order's size is what OpenSSL reports as an explicit curve's bits.
 */
function explicitCurveBits(s: Spki, params: Tlv): number | undefined {
  const c = s.r.children(params);
  const order = c[4];
  if (
    c.length < 5 ||
    c.length > 6 ||
    c[0].tag !== TAG.INTEGER ||
    c[1].tag !== TAG.SEQUENCE ||
    c[2].tag !== TAG.SEQUENCE ||
    c[3].tag !== TAG.OCTET_STRING ||
    order.tag !== TAG.INTEGER
  )
    return undefined;
  const magnitude = positive(s.r, order);
  return magnitude ? unsignedBits(magnitude) : undefined;
}

function ec(s: Spki): { facts: KeyFacts; native: boolean } {
  const p = s.params;
  if (p?.tag === TAG.SEQUENCE) {
    const bits = explicitCurveBits(s, p);
    return {
      facts: bits === undefined ? { algorithm: 'EC', curve: 'explicit' } : { algorithm: 'EC', curve: 'explicit', bits },
      native: false,
    };
  }
  if (p?.tag !== TAG.OID)
    return {
      facts: p?.tag === TAG.NULL ? { algorithm: 'EC', curve: 'implicitlyCA' } : { algorithm: 'EC' },
      native: false,
    };
  const oid = s.r.oid(p);
  const known = CURVES[oid];
  if (!known) return { facts: { algorithm: 'EC', curve: oid }, native: false };
  const facts: KeyFacts = { algorithm: 'EC', curve: known[0], bits: known[1] };
  const size = NATIVE_CURVES[known[0]];
  const point = s.key ? s.r.bytes(s.key) : Buffer.alloc(0);
  const native =
    size !== undefined &&
    ((point[0] === 0x04 && point.length === 1 + 2 * size) ||
      ((point[0] === 0x02 || point[0] === 0x03) && point.length === 1 + size));
  return { facts, native };
}

function describeKey(der: Buffer): { facts: KeyFacts; native: boolean } {
  const s = read(der);
  const algorithm = KEY_ALGORITHMS[s.oid] ?? 'unknown';
  const size = (f: { bits?: number; native: boolean }) => ({
    facts: f.bits === undefined ? { algorithm } : { algorithm, bits: f.bits },
    native: f.native,
  });
  switch (algorithm) {
    case 'RSA':
      return size(rsa(s));
    case 'DSA':
      return size(dsa(s));
    case 'EC':
      return ec(s);
    case 'Ed25519':
    case 'Ed448': {
      const length = algorithm === 'Ed25519' ? 32 : 57;
      return {
        facts: { algorithm, bits: algorithm === 'Ed25519' ? 256 : 448 },
        native: !s.params && !!s.key && s.key.end - s.key.start === length,
      };
    }
    default:
      return { facts: { algorithm }, native: false };
  }
}

/** The key's facts from a SubjectPublicKeyInfo's DER; what cannot be read is left out. Never throws. */
export function keyFacts(spkiDer: Buffer): KeyFacts {
  try {
    return sharedKey(describeKey(spkiDer).facts);
  } catch {
    try {
      // The algorithm alone, when the key's own structure is broken.
      return { algorithm: KEY_ALGORITHMS[read(spkiDer).oid] ?? 'unknown' };
    } catch {
      return { algorithm: 'unknown' };
    }
  }
}

/** Whether native crypto may be handed this SubjectPublicKeyInfo. Never throws. */
export function nativeKey(spkiDer: Buffer): boolean {
  try {
    return describeKey(spkiDer).native;
  } catch {
    return false;
  }
}
