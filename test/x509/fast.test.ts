/**
 * The fast DER walk (src/x509/fast.ts) must give exactly the full parser's facts whenever it
 * gives any: on every kind of certificate the tests make, on certificates with every field it
 * reads in unusual forms, and on thousands of broken ones. Where it declines, the full parser
 * answers, so the only thing to prove is that it never answers differently.
 */
import fc from 'fast-check';
import { issueCertificate } from '../../src/sim/certs.js';
import { fastFacts } from '../../src/x509/fast.js';
import { fullFacts } from '../../src/x509/parse.js';
import { FIXTURES, issue, NOW } from '../fixtures/certs.js';
import { mutate, mutation } from '../fixtures/mutate.js';

const CA = issueCertificate({
  key: { type: 'rsa', bits: 2048 },
  commonName: 'Fast Path CA',
  subject: { O: 'Example', C: 'GB' },
  isCA: true,
  notBefore: new Date('2020-01-01T00:00:00Z'),
  notAfter: new Date('2040-01-01T00:00:00Z'),
});

const full = (der: Buffer) => {
  try {
    return fullFacts(der);
  } catch (err) {
    return `throws: ${(err as Error).message}`;
  }
};

const SEEDS = [
  ...FIXTURES.map((f) => issue(f)),
  ...FIXTURES.map((f) => issue(f, { issuer: CA })),
  // UTF-8 and characters RFC 4514 escapes, in subject and issuer
  issue(FIXTURES[1], {
    commonName: 'Zürich, "Ops" + <Team>; #1 ',
    subject: { O: 'Société Générale', OU: '東京', C: 'FR' },
    issuer: CA,
  }),
  // every SAN kind, IPv6 forms that compress differently
  issue(FIXTURES[3], {
    sans: {
      dns: ['a.example', '*.b.example'],
      ip: ['10.1.2.3', '2001:db8::1', '::', '::1', '1:0:0:2:0:0:0:3', 'fe80:0:0:0:1:0:0:0'],
      email: ['ops@example.com'],
      uri: ['https://example.com/x'],
    },
  }),
  // times after 2049 are GeneralizedTime; before 1950 too
  issue(FIXTURES[1], { notBefore: new Date('1949-12-31T23:59:59Z'), notAfter: new Date('2050-01-01T00:00:00Z') }),
  // key usages across both bytes of the BIT STRING, custom extended key usages, a CA
  issue(FIXTURES[1], {
    keyUsage: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    extendedKeyUsage: ['1.3.6.1.5.5.7.3.1', '1.2.3.4.5'],
    isCA: true,
  }),
  issueCertificate({ key: { type: 'ed25519' }, notBefore: NOW, notAfter: NOW, sans: {} }),
];

test('every seed takes the fast path and reads exactly as the full parser reads it', () => {
  for (const s of SEEDS) {
    const fast = fastFacts(s.der);
    expect(fast).toBeDefined();
    expect(fast).toStrictEqual(full(s.der));
  }
});

test('broken certificates: whatever the fast path still reads, the full parser reads the same', () => {
  let fast = 0;
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: SEEDS.length - 1 }),
      fc.array(mutation, { minLength: 1, maxLength: 2 }),
      (i, ms) => {
        let der = SEEDS[i].der;
        for (const m of ms) der = mutate(der, m);
        const facts = fastFacts(der);
        if (facts === undefined) return;
        fast++;
        expect(facts).toStrictEqual(full(der));
      },
    ),
    { numRuns: 6000, seed: 7 },
  );
  // Mutations that land in signature or key bytes leave a certificate both paths still read.
  expect(fast).toBeGreaterThan(400);
});

test('encodings outside the fast path are left to the full parser', () => {
  const der = issue(FIXTURES[1]).der;
  // A BMPString common name: the fast path declines, the full parser reads it.
  const cn = Buffer.from('0c', 'hex');
  const at = der.indexOf(Buffer.concat([cn, Buffer.from([FIXTURES[1].name.length + '.example.com'.length])]));
  const bmp = Buffer.from(der);
  bmp[at] = 0x1e;
  expect(fastFacts(bmp)).toBeUndefined();
  expect(typeof full(bmp)).toBe('object');
  // Trailing bytes after the certificate: declined.
  expect(fastFacts(Buffer.concat([der, Buffer.from([0])]))).toBeUndefined();
});
