/** Helpers both X.509 paths share (parse.ts, the full parser; fast.ts, the DER walk). */
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import { nativeKey } from './spki.js';

// eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
const CONTROL = /[\u0000-\u001f\u007f]/g;

/** RFC 4514 escaping of a value, so a hostile subject cannot forge extra attributes. */
export function escapeValue(v: string): string {
  return v
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^[ #]|[ ]$/g, (c) => `\\${c}`)
    .replace(CONTROL, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function fingerprint(der: Buffer): string {
  return createHash('sha256')
    .update(der)
    .digest('hex')
    .toUpperCase()
    .replace(/(..)(?!$)/g, '$1:');
}

export function serialHex(bytes: ArrayBuffer | Uint8Array): string {
  const hex = Buffer.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes))
    .toString('hex')
    .toUpperCase()
    .replace(/^(00)+(?=.)/, '');
  return hex || '00';
}

/**
 * The certificate's own key verifies its signature. Native code sees the key only when
 * `nativeKey` passes it (spki.ts says why); for any other key, matching names are the best
 * evidence there is, as they are when Node cannot check a signature (an unsupported curve).
 */
export function verifiesItself(der: Buffer, spkiDer: Buffer): boolean {
  if (!nativeKey(spkiDer)) return true;
  try {
    return new X509Certificate(der).verify(createPublicKey({ key: spkiDer, format: 'der', type: 'spki' }));
  } catch {
    return true;
  }
}
