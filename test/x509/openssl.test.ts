/**
 * Facts certwarden computes, checked against OpenSSL's own reading of the same bytes
 * (`openssl x509 -text`), so the parser is not graded by its own assumptions.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { certificateFacts } from '../../src/x509/index.js';
import { FIXTURES, issue } from '../fixtures/certs.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-x509-'));
const openssl = (file: string, ...args: string[]) =>
  execFileSync('openssl', ['x509', '-in', file, '-noout', ...args], { encoding: 'utf8' });

describe.each(FIXTURES.map((f) => [f.name, f] as const))('%s', (name, f) => {
  const cert = issue(f);
  const file = join(dir, `${name}.pem`);
  writeFileSync(file, cert.pem);
  const facts = certificateFacts(cert.pem).facts!;
  const text = openssl(file, '-text');

  test('signature algorithm matches OpenSSL', () => {
    const sig = /Signature Algorithm: (\S+)/.exec(text)![1];
    expect(facts.signatureAlgorithm).toBe(sig);
  });

  test('key algorithm, size and curve match OpenSSL', () => {
    const bits = /Public-Key: \((\d+) bit\)/.exec(text)?.[1];
    if (facts.key.algorithm === 'RSA' || facts.key.algorithm === 'DSA') expect(facts.key.bits).toBe(Number(bits));
    if (facts.key.algorithm === 'EC') {
      const oid = /ASN1 OID: (\S+)/.exec(text)![1];
      const names: Record<string, string> = {
        prime256v1: 'P-256',
        secp384r1: 'P-384',
        secp521r1: 'P-521',
        secp256k1: 'secp256k1',
      };
      expect(facts.key.curve).toBe(names[oid]);
      expect(facts.key.bits).toBe(Number(bits));
    }
    if (facts.key.algorithm === 'Ed25519') expect(text).toMatch(/ED25519 Public-Key/);
  });

  test('serial, fingerprint, validity and names match OpenSSL', () => {
    expect(facts.serial).toBe(openssl(file, '-serial').trim().replace('serial=', ''));
    expect(facts.fingerprintSha256).toBe(openssl(file, '-fingerprint', '-sha256').trim().split('=')[1]);
    expect(new Date(facts.notAfter).getTime()).toBe(new Date(openssl(file, '-enddate').trim().split('=')[1]).getTime());
    expect(new Date(facts.notBefore).getTime()).toBe(
      new Date(openssl(file, '-startdate').trim().split('=')[1]).getTime(),
    );
    expect(facts.commonName).toBe(`${name}.example.com`);
    expect(facts.sans.dns).toEqual([`${name}.example.com`, `www.${name}.example.com`]);
    expect(facts.sans.ip).toEqual(['192.0.2.7']);
    expect(text).toContain(`DNS:${name}.example.com, DNS:www.${name}.example.com, IP Address:192.0.2.7`);
  });

  test('self-signed, CA and usages', () => {
    expect(facts.selfSigned).toBe(true);
    expect(facts.isCA).toBe(false);
    expect(text).toContain('CA:FALSE');
    expect(facts.extendedKeyUsage).toEqual(['serverAuth', 'clientAuth']);
    expect(facts.keyUsage).toEqual(['digitalSignature', 'keyEncipherment']);
  });
});

describe('bundles and bad bytes', () => {
  const ca = issue(FIXTURES[1], { isCA: true, commonName: 'Test CA' });
  const leaf = issue(FIXTURES[3], { issuer: ca, commonName: 'leaf.example.com' });

  test('a PEM bundle: the first is the leaf, the rest is the chain', () => {
    const parsed = certificateFacts(leaf.pem + ca.pem);
    expect(parsed.parseError).toBeUndefined();
    expect(parsed.facts!.commonName).toBe('leaf.example.com');
    expect(parsed.facts!.issuer).toBe('CN=Test CA');
    expect(parsed.facts!.selfSigned).toBe(false);
    expect(parsed.chain).toHaveLength(1);
    expect(parsed.chain[0]).toMatchObject({ subject: 'CN=Test CA', isCA: true, selfSigned: true });
  });

  test('DER input gives the same facts as PEM', () => {
    expect(certificateFacts(leaf.der).facts).toEqual(certificateFacts(leaf.pem).facts);
  });

  test.each([
    ['empty', Buffer.alloc(0), /empty input/],
    ['text', Buffer.from('hello world'), /not a valid X.509/],
    [
      'PEM without certificate',
      Buffer.from('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n'),
      /no CERTIFICATE block/,
    ],
    ['truncated DER', leaf.der.subarray(0, leaf.der.length >> 1), /not a valid X.509/],
    ['a DER SEQUENCE of junk', Buffer.from('3003020101', 'hex'), /not a valid X.509/],
  ])('%s yields a parseError, never a throw', (_n, bytes, message) => {
    const parsed = certificateFacts(bytes);
    expect(parsed.facts).toBeUndefined();
    expect(parsed.parseError).toMatch(message);
  });

  test('a broken chain member keeps the leaf and says which member', () => {
    const broken = leaf.pem + '-----BEGIN CERTIFICATE-----\nMIIBroke\n-----END CERTIFICATE-----\n';
    const parsed = certificateFacts(broken);
    expect(parsed.facts!.commonName).toBe('leaf.example.com');
    expect(parsed.parseError).toMatch(/chain certificate 1 is not valid X.509/);
  });
});
