/**
 * The certificates the crash fuzzer starts from: one real, signed certificate per key type
 * certwarden may meet (RSA, RSASSA-PSS, EC on named curves and on explicit parameters, DSA,
 * Ed25519, Ed448, and keys of algorithms it does not know), each split into its DER fields.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { fixture, issue } from '../../fixtures/certs.js';
import { asn, resign, split, type CertParts } from '../../fixtures/craft.js';
import { explicitEc } from '../../fixtures/hostile-keys.js';

export interface Seed {
  name: string;
  parts: CertParts;
  /** Signs the TBSCertificate again after a change. */
  key: KeyObject;
}

function fromFixture(name: string): Seed {
  const cert = issue(fixture(name), { subject: { O: 'Fuzz', OU: name } });
  return { name, parts: split(cert.der), key: cert.privateKey };
}

/** A fixture certificate carrying another key: `spki` replaces its own, `key` signs it. */
function withKey(name: string, spki: Buffer, key: KeyObject): Seed {
  const base = issue(fixture('rsa-2048'), { commonName: `${name}.fuzz.example` });
  const parts = { ...split(base.der), spki };
  return { name, parts: split(resign(parts, key)), key };
}

export function seeds(): Seed[] {
  const pss = generateKeyPairSync('rsa-pss', {
    modulusLength: 2048,
    hashAlgorithm: 'sha256',
    mgf1HashAlgorithm: 'sha256',
  });
  const explicit = split(explicitEc('prime256v1'));
  const explicitKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  const x25519 = generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'der' });
  const signer = issue(fixture('rsa-2048')).privateKey;
  const ed448 = issue({ name: 'ed448', key: { type: 'ed448' } });
  return [
    ...['rsa-2048', 'pss-signed', 'ec-p256', 'ec-p384', 'ec-secp256k1', 'dsa-2048', 'ed25519', 'md5-signed'].map(
      fromFixture,
    ),
    { name: 'ed448', parts: split(ed448.der), key: ed448.privateKey },
    withKey('rsa-pss-key', pss.publicKey.export({ type: 'spki', format: 'der' }), pss.privateKey),
    // explicitEc signs with a key of its own; later re-signing uses any P-256 key.
    { name: 'ec-explicit', parts: explicit, key: explicitKey },
    withKey('x25519-key', x25519, signer),
    withKey(
      'unknown-oid-key',
      asn.seq(asn.seq(asn.oid('1.3.6.1.4.1.55555.1.1'), asn.null()), asn.bits(Buffer.from('an unknown key'))),
      signer,
    ),
  ];
}
