/**
 * The PEM scanner (src/x509/pem.ts) on adversarial text: what it keeps, what it names as broken,
 * and that a broken block keeps its place. How long 64 MB of such text takes is measured by
 * `npm run bench -- --pem` (docs/benchmarks.md), not by a timer here.
 */
import { certificateFacts, MAX_CHAIN } from '../../src/x509/index.js';
import { scanPem } from '../../src/x509/pem.js';
import { fixture, issue } from '../fixtures/certs.js';

const leaf = issue(fixture('ec-p256'));
const ca = issue(fixture('rsa-2048'), { isCA: true, commonName: 'PEM CA' });
const BEGIN = '-----BEGIN CERTIFICATE-----\n';
const body = (pem: string) => pem.slice(BEGIN.length, pem.indexOf('-----END'));

test('a bundle with text, keys and other blocks around it: only certificate blocks, in order', () => {
  const text = `subject=leaf\n${leaf.pem}junk -----\n-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n${ca.pem.replace(/\n/g, '\r\n')}`;
  const scan = scanPem(text, 10);
  expect(scan.total).toBe(2);
  expect(scan.blocks).toEqual([{ der: leaf.der }, { der: ca.der }]);
});

test('the other certificate labels OpenSSL reads', () => {
  for (const label of ['X509 CERTIFICATE', 'TRUSTED CERTIFICATE']) {
    const text = `-----BEGIN ${label}-----\n${body(leaf.pem)}-----END ${label}-----\n`;
    expect(scanPem(text, 10).blocks).toEqual([{ der: leaf.der }]);
  }
});

test('repeated BEGIN lines without END: each is an unterminated block, all counted, the cap decoded', () => {
  const text = BEGIN.repeat(40_000);
  const scan = scanPem(text, MAX_CHAIN + 1);
  expect(scan.total).toBe(40_000);
  expect(scan.blocks).toHaveLength(MAX_CHAIN + 1);
  expect(scan.blocks.every((b) => 'error' in b && b.error === 'has no END line')).toBe(true);
  const parsed = certificateFacts(text);
  expect(parsed.facts).toBeUndefined();
  expect(parsed.parseError).toBe(
    `PEM block 1 has no END line; bundle holds 40000 certificates; only the first ${MAX_CHAIN + 1} were read`,
  );
});

test('a BEGIN inside an open block ends that block as broken; the inner block is read', () => {
  const text = `${BEGIN}MIIB\n${leaf.pem}`;
  const scan = scanPem(text, 10);
  expect(scan.blocks).toEqual([{ error: 'has no END line' }, { der: leaf.der }]);
  // The broken block is the leaf: the certificate after it does not take its place.
  expect(certificateFacts(text)).toEqual({ chain: [], parseError: 'PEM block 1 has no END line' });
});

test('mismatched and nested labels', () => {
  const mismatched = `${BEGIN}${body(leaf.pem)}-----END X509 CERTIFICATE-----\n`;
  expect(scanPem(mismatched, 10).blocks).toEqual([{ error: 'ends with END X509 CERTIFICATE, not END CERTIFICATE' }]);
  expect(certificateFacts(mismatched)).toEqual({
    chain: [],
    parseError: 'PEM block 1 ends with END X509 CERTIFICATE, not END CERTIFICATE',
  });
  // A key block opened inside a certificate block: the certificate block never ended.
  const nested = `${BEGIN}${body(leaf.pem)}-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n-----END CERTIFICATE-----\n`;
  expect(scanPem(nested, 10)).toEqual({ blocks: [{ error: 'has no END line' }], total: 1 });
  // A certificate block opened inside a key block is read; the stray END after it is ignored.
  const inKey = `-----BEGIN PRIVATE KEY-----\nAAAA\n${leaf.pem}-----END PRIVATE KEY-----\n`;
  expect(scanPem(inKey, 10).blocks).toEqual([{ der: leaf.der }]);
});

test('a leaf, then a chain member with stray characters: the leaf is kept, the member named', () => {
  const stray = ca.pem.replace(/\n([A-Za-z0-9+/]{10})/, '\n$1*');
  const parsed = certificateFacts(leaf.pem + stray);
  expect(parsed.facts?.fingerprintSha256).toBeDefined();
  expect(parsed.chain).toEqual([]);
  expect(parsed.parseError).toBe('chain certificate 1 holds characters that are not base64');
});

test('huge base64 with stray characters is refused, not filtered into other bytes', () => {
  const huge = 'QUJD'.repeat(500_000);
  expect(scanPem(`${BEGIN}${huge}\n-----END CERTIFICATE-----\n`, 1).blocks[0]).toHaveProperty('der');
  const text = `${BEGIN}${huge.slice(0, 1_000_000)}\u0000${huge.slice(1_000_000)}\n-----END CERTIFICATE-----\n`;
  expect(scanPem(text, 1).blocks).toEqual([{ error: 'holds characters that are not base64' }]);
  expect(certificateFacts(text).parseError).toBe('PEM block 1 holds characters that are not base64');
  expect(scanPem(`${BEGIN}QUJ\n-----END CERTIFICATE-----\n`, 1).blocks).toEqual([
    { error: 'holds 3 base64 characters, not a multiple of 4' },
  ]);
  expect(scanPem(`${BEGIN}-----END CERTIFICATE-----\n`, 1).blocks).toEqual([{ error: 'is empty' }]);
});

test('many tiny blocks: every one counted, only the cap decoded', () => {
  const tiny = `${BEGIN}AA==\n-----END CERTIFICATE-----\n`;
  const scan = scanPem(tiny.repeat(100_000), MAX_CHAIN + 1);
  expect(scan.total).toBe(100_000);
  expect(scan.blocks).toHaveLength(MAX_CHAIN + 1);
  expect(scan.blocks[0]).toEqual({ der: Buffer.from([0]) });
});

test('dashes that are not markers: runs of dashes, labels too long, BEGIN with no closing dashes', () => {
  const noise = `${'-'.repeat(10_000)}\n-----BEGIN ${'X'.repeat(200)}-----\n-----BEGIN CERTIFICATE\n-----END-----\n`;
  expect(scanPem(noise + leaf.pem, 10)).toEqual({ blocks: [{ der: leaf.der }], total: 1 });
  expect(scanPem(noise, 10)).toEqual({ blocks: [], total: 0 });
});
