/**
 * Certificates whose keys abort Node's native crypto (test/fixtures/hostile-keys.ts), through the
 * real command and the files provider, in a child process: the audit ends normally with every
 * certificate in the report, its key described from the bytes.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOW, fixture, issue } from '../fixtures/certs.js';
import { certwarden } from '../fixtures/cli.js';
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
  const run = certwarden(['audit', '--config', config, '--output', out, '--now', NOW.toISOString(), '--fail-on', 'none']);
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
