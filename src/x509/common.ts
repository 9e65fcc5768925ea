/** Helpers both X.509 paths share (parse.ts, the full parser; fast.ts, the DER walk). */
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';

// eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** RFC 4514 escaping of a value, so a hostile subject cannot forge extra attributes. */
export function escapeValue(v: string): string {
  return v.replace(/[\\,+"<>;=]/g, (c) => `\\${c}`).replace(/^[ #]|[ ]$/g, (c) => `\\${c}`).replace(CONTROL, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Decodes a DER OBJECT IDENTIFIER (the namedCurve parameter of an EC key). */
export function readOid(der: Uint8Array): string | undefined {
  if (der[0] !== 0x06 || der.length < 3) return undefined;
  const body = der.subarray(2, 2 + der[1]);
  const parts = [Math.floor(body[0] / 40), body[0] % 40];
  let v = 0;
  for (const b of body.subarray(1)) {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

export function fingerprint(der: Buffer): string {
  return createHash('sha256').update(der).digest('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:');
}

export function serialHex(bytes: ArrayBuffer | Uint8Array): string {
  const hex = Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).toString('hex').toUpperCase().replace(/^(00)+(?=.)/, '');
  return hex || '00';
}

/** Modulus size of an RSA or DSA SubjectPublicKeyInfo, by Node's own key decoder. */
export function publicKeyBits(spkiDer: Buffer): number | undefined {
  try {
    return createPublicKey({ key: spkiDer, format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength;
  } catch {
    return undefined;
  }
}

/** The certificate's own key verifies its signature. */
export function verifiesItself(der: Buffer): boolean {
  try {
    const node = new X509Certificate(der);
    return node.verify(node.publicKey);
  } catch {
    // Node cannot check some signatures (an unsupported curve); matching names is then the best evidence.
    return true;
  }
}
