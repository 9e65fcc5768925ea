/**
 * Facts degrade per field: a SubjectAltName with a GeneralName form certwarden does not report,
 * or an extension it cannot decode, costs that extension (named in `extensionErrors`), never the
 * key, validity, names or signature algorithm. Real certificates (test/fixtures/craft.ts).
 */
import { certificateFacts } from '../../src/x509/index.js';
import { fastFacts } from '../../src/x509/fast.js';
import { fullFacts } from '../../src/x509/parse.js';
import { asn, oidBytes, resign, split, tlv } from '../fixtures/craft.js';
import { fixture, issue } from '../fixtures/certs.js';

const seed = issue(fixture('ec-p256'), {
  commonName: 'odd.example.com',
  issuer: issue(fixture('rsa-2048'), { isCA: true, commonName: 'Odd CA' }),
});
const SAN = '2.5.29.17';

/** The seed with its extensions replaced by `extensions`, signed again. */
function withExtensions(...extensions: Buffer[]): Buffer {
  const p = split(seed.der);
  const ca = issue(fixture('rsa-2048'), { isCA: true, commonName: 'Odd CA' });
  return resign({ ...p, extensions }, ca.privateKey);
}

const dns = tlv(0x82, Buffer.from('odd.example.com'));
const forms: Array<[string, Buffer]> = [
  ['an otherName (a UPN)', tlv(0xa0, asn.oid('1.3.6.1.4.1.311.20.2.3'), asn.ctx(0, asn.utf8('user@example.com')))],
  ['an x400Address', tlv(0xa3, asn.seq(tlv(0x61, asn.printable('GB'))))],
  ['a directoryName', asn.ctx(4, asn.name(['2.5.4.3', asn.utf8('Directory')]))],
  [
    'an ediPartyName (DirectoryString tagged explicitly, as a CHOICE must be)',
    tlv(0xa5, asn.ctx(0, asn.utf8('assigner')), asn.ctx(1, asn.utf8('party'))),
  ],
  ['a registeredID', tlv(0x88, oidBytes('1.2.3.4.5'))],
];

/** What must survive any extension: everything but the extensions' own facts. */
function expectCoreFacts(der: Buffer) {
  const parsed = certificateFacts(der);
  expect(parsed.parseError).toBeUndefined();
  expect(parsed.facts).toMatchObject({
    subject: 'CN=odd.example.com',
    issuer: 'CN=Odd CA',
    key: { algorithm: 'EC', curve: 'P-256', bits: 256 },
    signatureAlgorithm: 'sha256WithRSAEncryption',
    notBefore: expect.any(String),
    notAfter: expect.any(String),
  });
  // Both paths of the reader agree on it.
  expect(fastFacts(der) ?? fullFacts(der)).toStrictEqual(fullFacts(der));
  return parsed.facts!;
}

test.each(forms)('a SAN holding %s beside a dNSName: the dNSName is reported, nothing lost, no error', (_n, name) => {
  const facts = expectCoreFacts(withExtensions(asn.extension(SAN, asn.seq(name, dns))));
  expect(facts.sans).toEqual({ dns: ['odd.example.com'], ip: [], email: [], uri: [] });
  expect(facts.extensionErrors).toBeUndefined();
});

test.each([
  [
    'an iPAddress of 5 bytes',
    asn.seq(dns, tlv(0x87, Buffer.from([10, 0, 0, 1, 9]))),
    { dns: ['odd.example.com'] },
    'an iPAddress of 5 bytes',
  ],
  [
    'a GeneralName with an undefined tag',
    asn.seq(dns, tlv(0x89, Buffer.from('x'))),
    { dns: ['odd.example.com'] },
    'a GeneralName with tag 0x89',
  ],
  ['a SEQUENCE cut short', Buffer.concat([asn.seq(dns).subarray(0, 8)]), { dns: [] }, /cannot be decoded/],
  ['an INTEGER instead of a SEQUENCE', asn.int([1]), { dns: [] }, /cannot be decoded: tag 0x2 where 0x30 belongs/],
  ['bytes after the SEQUENCE', Buffer.concat([asn.seq(dns), Buffer.from([0])]), { dns: [] }, /bytes after the value/],
])('a SAN with %s costs the SAN only, and says so', (_n, value, sans, error) => {
  const facts = expectCoreFacts(withExtensions(asn.extension(SAN, value)));
  expect(facts.sans).toMatchObject(sans);
  expect(facts.extensionErrors).toEqual([{ extension: 'subjectAltName', error: expect.stringMatching(error) }]);
});

test('broken basicConstraints, keyUsage and extendedKeyUsage, and a repeated one: each named, the rest read', () => {
  const facts = expectCoreFacts(
    withExtensions(
      asn.extension('2.5.29.19', asn.seq(asn.int([1]), asn.bool(true)), true),
      asn.extension('2.5.29.15', asn.bits(Buffer.alloc(0), 3), true),
      asn.extension('2.5.29.37', asn.seq(asn.utf8('serverAuth'))),
      asn.extension(SAN, asn.seq(dns)),
      asn.extension(SAN, asn.seq(tlv(0x82, Buffer.from('second.example.com')))),
    ),
  );
  expect(facts).toMatchObject({ isCA: false, keyUsage: [], extendedKeyUsage: [], sans: { dns: ['odd.example.com'] } });
  expect(facts.extensionErrors!.map((e) => e.extension)).toEqual([
    'basicConstraints',
    'keyUsage',
    'extendedKeyUsage',
    'subjectAltName',
  ]);
  expect(facts.extensionErrors![3].error).toBe('appears more than once; the first is read');
});

test('an unknown extension, critical or not, costs nothing and is not an error', () => {
  const facts = expectCoreFacts(
    withExtensions(asn.extension('1.2.3.4.5.6', Buffer.from([0xff, 0x00]), true), asn.extension(SAN, asn.seq(dns))),
  );
  expect(facts.sans.dns).toEqual(['odd.example.com']);
  expect(facts.extensionErrors).toBeUndefined();
});
