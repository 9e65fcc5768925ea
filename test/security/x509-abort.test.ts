/**
 * Certificates whose keys abort Node's native crypto (test/fixtures/hostile-keys.ts), through the
 * real command in a child process, from the files provider and from a TLS endpoint: the audit
 * ends normally with every certificate in the report, its key described from the bytes.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueCertificate, toPem } from '../../src/sim/certs.js';
import { startTlsServer } from '../../src/sim/tls.js';
import { NOW, fixture, issue } from '../fixtures/certs.js';
import { certwarden } from '../fixtures/cli.js';
import { certwardenAsync } from '../reliability/spawn.js';
import { dsaNegativeY, ecPointAtInfinity, explicitEc, explicitEcPointAtInfinity } from '../fixtures/hostile-keys.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-abort-'));
const certs = join(dir, 'certs');
mkdirSync(certs);
writeFileSync(join(certs, 'dsa-negative-y.der'), dsaNegativeY());
writeFileSync(join(certs, 'ec-infinity.der'), ecPointAtInfinity());
writeFileSync(join(certs, 'explicit-infinity.der'), explicitEcPointAtInfinity());
writeFileSync(join(certs, 'explicit.der'), explicitEc());
writeFileSync(join(certs, 'plain.pem'), issue(fixture('rsa-2048')).pem);
const config = join(dir, 'certwarden.yaml');
writeFileSync(config, `providers:\n  files: { paths: [${JSON.stringify(certs)}] }\n`);

test('keys that abort native crypto: the audit completes and describes each key from its bytes', () => {
  const out = join(dir, 'report.json');
  const run = certwarden([
    'audit',
    '--config',
    config,
    '--output',
    out,
    '--now',
    NOW.toISOString(),
    '--fail-on',
    'none',
  ]);
  expect(run.stderr).not.toMatch(/Assertion failed/);
  expect(run.code).toBe(0);
  const report = JSON.parse(readFileSync(out, 'utf8'));
  const key = (file: string) => report.certificates.find((c: { name: string }) => c.name.endsWith(file))?.key;
  expect(key('dsa-negative-y.der')).toEqual({ algorithm: 'DSA', bits: 2048 });
  expect(key('ec-infinity.der')).toEqual({ algorithm: 'EC', curve: 'P-256', bits: 256 });
  expect(key('explicit-infinity.der')).toEqual({ algorithm: 'EC', curve: 'explicit', bits: 256 });
  expect(key('explicit.der')).toEqual({ algorithm: 'EC', curve: 'explicit', bits: 256 });
  expect(key('plain.pem')).toEqual({ algorithm: 'RSA', bits: 2048 });
  expect(report.certificates.every((c: { parseError?: string }) => c.parseError === undefined)).toBe(true);
});

test('the same key on a CA certificate a TLS endpoint sends: the audit completes and records the chain as sent', async () => {
  const ca = issue(fixture('dsa-2048'), { isCA: true, commonName: 'Hostile DSA CA' });
  const leaf = issueCertificate({
    key: { type: 'ec', curve: 'P-256' },
    commonName: 'hostile-chain.example',
    sans: { dns: ['hostile-chain.example'] },
    issuer: ca,
    notBefore: NOW,
    notAfter: new Date(NOW.getTime() + 30 * 864e5),
  });
  const server = await startTlsServer([
    { names: ['hostile-chain.example'], cert: leaf.pem, chain: toPem(dsaNegativeY(ca)), key: leaf.privateKey },
  ]);
  try {
    const cfg = join(dir, 'tls.yaml');
    writeFileSync(
      cfg,
      `providers:\n  tls: { endpoints: [{ host: 127.0.0.1, port: ${server.port}, servername: hostile-chain.example }], timeoutMs: 10000 }\n`,
    );
    const out = join(dir, 'tls-report.json');
    const run = await certwardenAsync([
      'audit',
      '--config',
      cfg,
      '--output',
      out,
      '--now',
      NOW.toISOString(),
      '--fail-on',
      'none',
    ]);
    expect(run.stderr).not.toMatch(/Assertion failed/);
    expect(run.code).toBe(0);
    const [cert] = JSON.parse(readFileSync(out, 'utf8')).certificates;
    expect(cert).toMatchObject({ commonName: 'hostile-chain.example', key: { algorithm: 'EC', curve: 'P-256' } });
    expect(cert.chain).toEqual([
      expect.objectContaining({ subject: 'CN=Hostile DSA CA', key: { algorithm: 'DSA', bits: 2048 } }),
    ]);
  } finally {
    await server.close();
  }
});
