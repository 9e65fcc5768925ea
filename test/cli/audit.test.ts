import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { activeRules, parseConfig } from '../../src/config/load.js';
import { RULES } from '../../rules/index.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, NOW, issue } from '../fixtures/certs.js';
import { certwarden } from '../fixtures/cli.js';
import { reportSchemaErrors } from '../fixtures/schema.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-cli-'));
const certs = join(dir, 'certs');
mkdirSync(join(certs, 'nested'), { recursive: true });
for (const f of FIXTURES)
  writeFileSync(
    join(certs, f.name === 'rsa-4096' ? `nested/${f.name}.der` : `${f.name}.pem`),
    f.name === 'rsa-4096' ? issue(f).der : issue(f).pem,
  );
writeFileSync(join(certs, 'garbage.crt'), 'this is not a certificate');
writeFileSync(join(certs, 'notes.txt'), 'ignored: not a certificate extension');
symlinkSync(join(certs, 'missing-target.pem'), join(certs, 'dangling.pem'));
symlinkSync(certs, join(certs, 'nested', 'loop')); // a directory loop must end quietly
const config = join(dir, 'certwarden.yaml');
writeFileSync(
  config,
  `providers:\n  files: { paths: [${JSON.stringify(certs)}] }\nrules:\n  cert-expiring: { warnDays: 30, criticalDays: 7 }\n`,
);
const now = NOW.toISOString();

describe('certwarden audit over a folder of generated certificates', () => {
  const out = join(dir, 'report.json');
  const run = certwarden(['audit', '--config', config, '--output', out, '--now', now, '--fail-on', 'none']);
  const report = JSON.parse(readFileSync(out, 'utf8'));
  const byName = (n: string) => report.certificates.find((c: { name: string }) => c.name.endsWith(n));
  const rulesOf = (n: string) =>
    report.findings
      .filter((f: any) => f.resource.name.endsWith(n))
      .map((f: any) => `${f.ruleId}:${f.severity}`)
      .sort();

  test('completes, prints a summary on stderr, and the report matches the schema', () => {
    expect(run.stderr).toMatch(/certificates, 0 bindings/);
    expect(run.code).toBe(0);
    expect(reportSchemaErrors(report)).toEqual([]);
    expect(report.certificates).toHaveLength(FIXTURES.length + 2); // + garbage + dangling symlink
  });

  test('key facts per file', () => {
    expect(byName('rsa-4096.der').key).toEqual({ algorithm: 'RSA', bits: 4096 });
    expect(byName('ec-p521.pem').key).toEqual({ algorithm: 'EC', bits: 521, curve: 'P-521' });
    expect(byName('ed25519.pem').signatureAlgorithm).toBe('ED25519');
    expect(byName('md5-signed.pem').signatureAlgorithm).toBe('md5WithRSAEncryption');
  });

  test.each([
    ['rsa-2048.pem', []],
    ['rsa-1024.pem', ['weak-rsa-key:high']],
    ['ec-secp256k1.pem', ['weak-ec-curve:medium']],
    ['dsa-2048.pem', ['unsupported-key:medium']],
    ['sha1-signed.pem', ['weak-signature:high']],
    ['md5-signed.pem', ['weak-signature:critical']],
    ['expired.pem', ['cert-expired:high']],
    ['expiring-20d.pem', ['cert-expiring:medium']],
    ['expiring-3d.pem', ['cert-expiring:high']],
    ['not-yet-valid.pem', ['cert-not-yet-valid:medium']],
    ['garbage.crt', ['cert-unparseable:medium']],
    ['dangling.pem', ['cert-unparseable:medium']],
  ])('%s -> %j', (name, expected) => {
    expect(rulesOf(name)).toEqual(expected);
  });

  test('an unreadable file is named with its reason and the rest is still reported', () => {
    expect(byName('dangling.pem').parseError).toMatch(/cannot read/);
    expect(byName('garbage.crt').parseError).toMatch(/not a valid X.509/);
  });

  test('same inputs and --now give byte-identical JSON, also on stdout', () => {
    const again = certwarden([
      'audit',
      '--config',
      config,
      '--output',
      '-',
      '--now',
      now,
      '--quiet',
      '--fail-on',
      'none',
    ]);
    expect(again.stdout).toBe(readFileSync(out, 'utf8'));
  });
});

describe('exit codes and errors', () => {
  test('--fail-on high exits 1 when a high finding exists', () => {
    expect(
      certwarden(['audit', '-c', config, '-o', join(dir, 'r1.json'), '--now', now, '--fail-on', 'high', '-q']).code,
    ).toBe(1);
  });
  test('--fail-on critical with only a critical MD5 finding exits 1; without it 0', () => {
    const cfg = join(dir, 'nomd5.yaml');
    writeFileSync(cfg, `providers:\n  files: { paths: [${JSON.stringify(join(certs, 'rsa-2048.pem'))}] }\n`);
    expect(
      certwarden(['audit', '-c', cfg, '-o', join(dir, 'r2.json'), '--now', now, '--fail-on', 'critical', '-q']).code,
    ).toBe(0);
  });
  test('a path that does not exist is a failed scope: exit 3, the other path still audited', () => {
    const cfg = join(dir, 'missing.yaml');
    writeFileSync(
      cfg,
      `providers:\n  files: { paths: [${JSON.stringify(join(dir, 'nope'))}, ${JSON.stringify(join(certs, 'rsa-2048.pem'))}] }\n`,
    );
    const r = certwarden(['audit', '-c', cfg, '-o', join(dir, 'r3.json'), '--now', now, '--fail-on', 'none']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/failed files local\/.*nope: ENOENT: cannot read .*no such file/);
    const rep = JSON.parse(readFileSync(join(dir, 'r3.json'), 'utf8'));
    expect(rep.certificates).toHaveLength(1);
    expect(rep.summary.scopes).toEqual({ ok: 1, partial: 0, failed: 1 });
  });
  test.each([
    ['unknown provider key', 'providers:\n  filez: { paths: [x] }\n', /providers\.filez: unknown key/],
    ['wrong type', 'providers:\n  files: { paths: 3 }\n', /providers\.files\.paths: /],
    ['unknown rule', 'rules:\n  cert-expirin: { warnDays: 3 }\n', /rules\.cert-expirin: unknown rule/],
    ['bad rule param', 'rules:\n  cert-expiring: { warnDays: "soon" }\n', /rules\.cert-expiring\.warnDays: /],
    ['unknown rule param', 'rules:\n  weak-rsa-key: { minBit: 4096 }\n', /rules\.weak-rsa-key\.minBit: unknown key/],
    ['bad YAML', 'providers: [\n', /not valid YAML at line/],
    ['bad severity', 'rules:\n  weak-rsa-key: { severity: urgent }\n', /rules\.weak-rsa-key\.severity/],
    [
      'plain http to a remote Azure endpoint',
      'providers:\n  azure: { cloud: { resourceManager: "http://10.1.2.3" } }\n',
      /providers\.azure\.cloud.*loopback/,
    ],
  ])('config error (%s) names the key', (_n, text, message) => {
    expect(() => activeRules(parseConfig(text, 'c.yaml'), RULES)).toThrow(message);
  });
  test('a config error exits 2 with the key path on stderr, and writes no report', () => {
    const cfg = join(dir, 'bad.yaml');
    writeFileSync(cfg, 'rules:\n  cert-expiring: { warnDays: "soon" }\n');
    const r = certwarden(['audit', '-c', cfg, '-o', join(dir, 'never.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/config error: .*rules\.cert-expiring\.warnDays: /);
    expect(existsSync(join(dir, 'never.json'))).toBe(false);
  });
  test('a bad --now is a usage error', () => {
    expect(certwarden(['audit', '-c', config, '--now', 'yesterday']).code).toBe(2);
  });
  test('rules lists every rule with its defaults; --version and --help work', () => {
    expect(certwarden(['rules']).stdout).toMatch(/cert-expiring\s+medium\s+expiry.*warnDays=30 criticalDays=7/);
    expect(JSON.parse(certwarden(['rules', '--format', 'json']).stdout).map((r: any) => r.id)).toContain(
      'weak-signature',
    );
    expect(certwarden(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(certwarden(['--help']).stdout).toMatch(/audit/);
  });
});
