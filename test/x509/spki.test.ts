/**
 * The SubjectPublicKeyInfo reader (src/x509/spki.ts): facts as OpenSSL prints them, and which keys
 * native crypto is handed. Keys from real certificates, some changed on purpose (hostile-keys.ts).
 */
import { generateKeyPairSync } from 'node:crypto';
import { keyFacts, nativeKey } from '../../src/x509/spki.js';
import { asn, split } from '../fixtures/craft.js';
import { fixture, issue } from '../fixtures/certs.js';
import { dsaNegativeY, ecPointAtInfinity, explicitEc, explicitEcPointAtInfinity } from '../fixtures/hostile-keys.js';

const spkiOf = (der: Buffer) => split(der).spki;
const fixtureSpki = (name: string) => spkiOf(issue(fixture(name)).der);
const RSA = asn.seq(asn.oid('1.2.840.113549.1.1.1'), asn.null());
const rsaKey = (n: number[], e: number[]) => asn.seq(RSA, asn.bits(asn.seq(asn.int(n), asn.int(e))));
const pss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' });

test.each([
  ['rsa-2048', fixtureSpki('rsa-2048'), { algorithm: 'RSA', bits: 2048 }],
  ['rsa-1024', fixtureSpki('rsa-1024'), { algorithm: 'RSA', bits: 1024 }],
  ['an RSASSA-PSS key', pss, { algorithm: 'RSA', bits: 2048 }],
  ['ec-p256', fixtureSpki('ec-p256'), { algorithm: 'EC', curve: 'P-256', bits: 256 }],
  ['ec-p521', fixtureSpki('ec-p521'), { algorithm: 'EC', curve: 'P-521', bits: 521 }],
  ['ec-secp256k1', fixtureSpki('ec-secp256k1'), { algorithm: 'EC', curve: 'secp256k1', bits: 256 }],
  ['ed25519', fixtureSpki('ed25519'), { algorithm: 'Ed25519', bits: 256 }],
  ['dsa-2048', fixtureSpki('dsa-2048'), { algorithm: 'DSA', bits: 2048 }],
])('%s: its facts, and native crypto may see it', (_n, spki, facts) => {
  expect(keyFacts(spki)).toEqual(facts);
  expect(nativeKey(spki)).toBe(true);
});

test.each([
  ['a DSA key with a negative y', spkiOf(dsaNegativeY()), { algorithm: 'DSA', bits: 2048 }],
  ['an EC point at infinity', spkiOf(ecPointAtInfinity()), { algorithm: 'EC', curve: 'P-256', bits: 256 }],
  ['an explicit curve', spkiOf(explicitEc()), { algorithm: 'EC', curve: 'explicit', bits: 256 }],
  ['an explicit P-384', spkiOf(explicitEc('secp384r1')), { algorithm: 'EC', curve: 'explicit', bits: 384 }],
  [
    'an explicit curve, point at infinity',
    spkiOf(explicitEcPointAtInfinity()),
    { algorithm: 'EC', curve: 'explicit', bits: 256 },
  ],
  ['an RSA modulus of 0', rsaKey([0], [3]), { algorithm: 'RSA', bits: 0 }],
  [
    'a negative RSA modulus (OpenSSL counts its bytes unsigned)',
    rsaKey([0x80, 1], [3]),
    { algorithm: 'RSA', bits: 16 },
  ],
  ['an even RSA exponent', rsaKey([0x00, 0xc1, ...Array(255).fill(1)], [1, 0]), { algorithm: 'RSA', bits: 2048 }],
  ['an RSA exponent of 1', rsaKey([0x00, 0xc1, ...Array(255).fill(1)], [1]), { algorithm: 'RSA', bits: 2048 }],
  [
    'an RSA key inside the BIT STRING cut short',
    asn.seq(RSA, asn.bits(asn.seq(asn.int([1])).subarray(0, 3))),
    { algorithm: 'RSA' },
  ],
  [
    'an EC key without parameters',
    asn.seq(asn.seq(asn.oid('1.2.840.10045.2.1')), asn.bits(Buffer.from([4, 1, 2]))),
    { algorithm: 'EC' },
  ],
  [
    'an EC key on an unknown curve',
    asn.seq(asn.seq(asn.oid('1.2.840.10045.2.1'), asn.oid('1.2.3.4')), asn.bits(Buffer.from([4, 1, 2]))),
    { algorithm: 'EC', curve: '1.2.3.4' },
  ],
  [
    'an Ed25519 key of 31 bytes',
    asn.seq(asn.seq(asn.oid('1.3.101.112')), asn.bits(Buffer.alloc(31, 1))),
    { algorithm: 'Ed25519', bits: 256 },
  ],
  [
    'an X25519 key',
    generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'der' }),
    { algorithm: 'unknown' },
  ],
  ['not a SubjectPublicKeyInfo', Buffer.from('3003020101', 'hex'), { algorithm: 'unknown' }],
])('%s: its facts, read without native crypto, which is not handed it', (_n, spki, facts) => {
  expect(keyFacts(spki)).toEqual(facts);
  expect(nativeKey(spki)).toBe(false);
});
