/**
 * A certificate whose issuer and subject hold a given attribute value: certwarden reads it exactly
 * when OpenSSL (`openssl x509`) loads it (src/x509/names.ts). Real certificates, signed again
 * after the name is changed (test/fixtures/craft.ts).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateFacts } from '../../src/x509/index.js';
import { asn, resign, split, tlv } from '../fixtures/craft.js';
import { fixture, issue } from '../fixtures/certs.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-names-'));
const seed = issue(fixture('ec-p256'));
const bytes = (...b: number[]) => Buffer.from(b);

const VALUES: Array<[string, Buffer]> = [
  ['UTF8String', asn.utf8('plain')],
  ['UTF8String, four-byte character', asn.utf8('😀')],
  ['UTF8String, invalid byte', tlv(0x0c, bytes(0x41, 0xff))],
  ['UTF8String, encoded surrogate', tlv(0x0c, bytes(0xed, 0xa0, 0x80))],
  ['UTF8String, overlong', tlv(0x0c, bytes(0xc0, 0x80))],
  ['UTF8String, empty', tlv(0x0c)],
  ['UTF8String, constructed (BER)', tlv(0x2c, asn.utf8('x'))],
  ['PrintableString, outside its alphabet', tlv(0x13, Buffer.from('a@b'))],
  ['PrintableString, 8-bit', tlv(0x13, bytes(0x41, 0xe9))],
  ['IA5String, 8-bit', tlv(0x16, bytes(0x41, 0xe9))],
  ['T61String', tlv(0x14, bytes(0x41, 0xe9))],
  ['NumericString, letters', tlv(0x12, Buffer.from('ab'))],
  ['BMPString', tlv(0x1e, bytes(0, 0x41))],
  ['BMPString, odd length', tlv(0x1e, bytes(0, 0x41, 0))],
  ['BMPString, surrogate pair', tlv(0x1e, bytes(0xd8, 0x3d, 0xde, 0x00))],
  ['UniversalString, U+10FFFF', tlv(0x1c, bytes(0, 0x10, 0xff, 0xff))],
  ['UniversalString, length 5', tlv(0x1c, bytes(0, 0, 0, 0x41, 0))],
  ['UniversalString, past U+10FFFF', tlv(0x1c, bytes(0, 0x11, 0, 0))],
  ['UniversalString, surrogate', tlv(0x1c, bytes(0, 0, 0xd8, 0))],
  ['VisibleString', tlv(0x1a, bytes(0x41))],
  ['VideotexString', tlv(0x15, bytes(0x41))],
  ['GraphicString', tlv(0x19, bytes(0x41))],
  ['GeneralString', tlv(0x1b, bytes(0x41))],
  ['BIT STRING', asn.bits(bytes(1))],
  ['BIT STRING, empty', tlv(0x03)],
  ['SEQUENCE', asn.seq(asn.int([1]))],
  ['SET', asn.set(asn.int([1]))],
  ['INTEGER', asn.int([1])],
  ['ENUMERATED', tlv(0x0a, bytes(1))],
  ['OCTET STRING', asn.octets(bytes(0x78))],
  ['NULL', asn.null()],
  ['BOOLEAN', asn.bool(true)],
  ['OBJECT IDENTIFIER', asn.oid('1.2.3')],
  ['UTCTime', asn.utc('250101000000Z')],
  ['GeneralizedTime', asn.generalized('20250101000000Z')],
  ['ObjectDescriptor', tlv(0x07, bytes(0x78))],
  ['EXTERNAL', tlv(0x08, bytes(0x78))],
  ['RELATIVE-OID', tlv(0x0d, bytes(1))],
  ['[APPLICATION 1]', tlv(0x41, bytes(0x78))],
  ['[0] constructed', tlv(0xa0, asn.utf8('x'))],
  ['[APPLICATION 32], a long-form tag', bytes(0x7f, 0x20, 0x00)],
  ['universal 31, a long-form tag', bytes(0x1f, 0x1f, 0x01, 0x78)],
];

test.each(VALUES)('a name holding %s: certwarden reads it exactly when OpenSSL does', (label, value) => {
  const name = asn.name(['2.5.4.3', value]);
  const der = resign({ ...split(seed.der), subject: name, issuer: name }, seed.privateKey);
  const file = join(dir, `${label.replace(/\W+/g, '-')}.der`);
  writeFileSync(file, der);
  let openssl = true;
  try {
    execFileSync('openssl', ['x509', '-in', file, '-noout'], { stdio: 'ignore' });
  } catch {
    openssl = false;
  }
  const parsed = certificateFacts(der);
  expect({ label, reads: parsed.facts !== undefined }).toEqual({ label, reads: openssl });
  if (!parsed.facts)
    expect(parsed.parseError).toMatch(openssl ? /./ : /OpenSSL cannot load it: its issuer holds|not a valid X.509/);
});
