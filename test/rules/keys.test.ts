import weakRsa from '../../rules/keys/weak-rsa-key.js';
import weakCurve from '../../rules/keys/weak-ec-curve.js';
import weakSig from '../../rules/keys/weak-signature.js';
import unsupported from '../../rules/keys/unsupported-key.js';
import unparseable from '../../rules/hygiene/cert-unparseable.js';
import { FIXTURES, certRecord } from '../fixtures/certs.js';
import { certificateFacts } from '../../src/x509/index.js';
import { run, summary } from './harness.js';

/** Every fixture through each key rule: exactly the listed ones fire, with these severities. */
const all = () => FIXTURES.map((f) => certRecord(f.name));

describe('key and signature rules over every generated key type', () => {
  test('weak-rsa-key: only the 1024-bit key', () => {
    expect(summary(run(weakRsa, { name: 'all', certificates: all() }))).toEqual(['rsa-1024:high']);
  });
  test('weak-rsa-key: minBits 4096 also flags 2048-bit keys but never EC', () => {
    const names = summary(run(weakRsa, { name: 'strict', certificates: all(), params: { minBits: 4096 } })).map(
      (s) => s.split(':')[0],
    );
    expect(names).toContain('rsa-2048');
    expect(names).not.toContain('rsa-4096');
    expect(names.some((n) => n.startsWith('ec-'))).toBe(false);
  });
  test('weak-ec-curve: only secp256k1', () => {
    expect(summary(run(weakCurve, { name: 'all', certificates: all() }))).toEqual(['ec-secp256k1:medium']);
  });
  test('weak-ec-curve: an allow-list of P-384 flags P-256 and P-521', () => {
    expect(
      summary(run(weakCurve, { name: 'p384', certificates: all(), params: { allowedCurves: ['P-384'] } })),
    ).toEqual(['ec-p256:medium', 'ec-p521:medium', 'ec-secp256k1:medium']);
  });
  test('weak-signature: MD5 critical, SHA-1 high, PSS and SHA-2 silent', () => {
    expect(summary(run(weakSig, { name: 'all', certificates: all() }))).toEqual([
      'md5-signed:critical',
      'sha1-signed:high',
    ]);
  });
  test('weak-signature: a SHA-1 intermediate in the chain fires, a SHA-1 root does not', () => {
    const leaf = certRecord('rsa-2048');
    const inter = { ...certRecord('sha1-signed'), selfSigned: false };
    const root = { ...certRecord('sha1-signed'), selfSigned: true };
    const chainOf = (c: typeof inter) => ({
      subject: c.subject!,
      issuer: c.issuer!,
      serial: c.serial!,
      fingerprintSha256: c.fingerprintSha256!,
      notBefore: c.notBefore!,
      notAfter: c.notAfter!,
      signatureAlgorithm: c.signatureAlgorithm!,
      key: c.key!,
      isCA: true,
      selfSigned: c.selfSigned,
    });
    expect(summary(run(weakSig, { name: 'inter', certificates: [{ ...leaf, chain: [chainOf(inter)] }] }))).toEqual([
      'rsa-2048:high',
    ]);
    expect(summary(run(weakSig, { name: 'root', certificates: [{ ...leaf, chain: [chainOf(root)] }] }))).toEqual([]);
  });
  test('unsupported-key: DSA only', () => {
    expect(summary(run(unsupported, { name: 'all', certificates: all() }))).toEqual(['dsa-2048:medium']);
  });
  test('cert-unparseable: malformed bytes, and nothing else', () => {
    const bad = {
      ...certRecord('rsa-2048'),
      ...certificateFacts(Buffer.from('3082ffff0102', 'hex')).facts,
      key: undefined,
      name: 'bad',
      uid: 'files:bad',
      parseError: certificateFacts(Buffer.from('3082ffff0102', 'hex')).parseError,
    };
    expect(summary(run(unparseable, { name: 'all', certificates: [...all(), bad] }))).toEqual(['bad:medium']);
  });
});
