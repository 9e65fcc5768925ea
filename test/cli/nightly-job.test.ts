/**
 * The command as a nightly job uses it: documented pipes, paths checked before collecting, an
 * empty config refused, exit codes that say the audit was incomplete, and config errors that
 * name the file. Each runs the real command over a folder of generated certificates.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NOW, fixture, issue } from '../fixtures/certs.js';
import { certwarden } from '../fixtures/cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = `${JSON.stringify(process.execPath)} --import tsx ${JSON.stringify(`${root}src/cli/main.ts`)}`;
const dir = mkdtempSync(join(tmpdir(), 'cw-nightly-'));
const certs = join(dir, 'certs');
mkdirSync(certs);
writeFileSync(join(certs, 'expired.pem'), issue(fixture('expired')).pem);
writeFileSync(join(certs, 'ok.pem'), issue(fixture('rsa-2048')).pem);
const config = join(dir, 'c.yaml');
writeFileSync(config, `providers:\n  files: { paths: [${JSON.stringify(certs)}] }\n`);
const now = NOW.toISOString();

/** A shell pipeline of certwarden commands; `pipefail` so each side's exit code counts. */
function pipeline(script: string) {
  const r = spawnSync('bash', ['-c', `set -o pipefail; ${script}`], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '', CW: cli },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('pipes', () => {
  // The pause makes the reader find its pipe empty at first, as it does whenever the audit takes a while.
  test('audit -o - -q | report - --format markdown renders the piped report', () => {
    const r = pipeline(
      `eval "$CW audit -c ${config} -o - -q --now ${now} --fail-on none" | { sleep 2; cat; } | eval "$CW report - --format markdown"`,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^## certwarden: 1 finding/);
    expect(r.code).toBe(0);
  });

  test('a reader that stops early (| head) ends the command quietly', () => {
    const big = join(dir, 'big');
    mkdirSync(big);
    const pem = issue(fixture('rsa-2048')).pem;
    for (let i = 0; i < 400; i++) writeFileSync(join(big, `c${i}.pem`), pem);
    writeFileSync(join(dir, 'big.yaml'), `providers:\n  files: { paths: [${JSON.stringify(big)}] }\n`);
    const r = pipeline(`eval "$CW audit -c ${join(dir, 'big.yaml')} -o - -q --now ${now}" | head -c 100 >/dev/null`);
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
    expect(r.code).toBe(0);
  });
});

describe('paths are checked before collecting', () => {
  const afile = join(dir, 'afile');
  writeFileSync(afile, 'a file, not a folder');
  test.each([
    ['--output', ['-o', join(afile, 'r.json')]],
    ['--out-dir', ['-o', join(dir, 'r.json'), '--format', 'json,html', '--out-dir', join(afile, 'reports')]],
  ])('%s under a file: exit 2 naming the path, nothing collected', (_name, args) => {
    const r = certwarden(['audit', '-c', config, '--now', now, ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/afile.*not a folder|afile.*is a file/);
    expect(r.stderr).not.toMatch(/certificates, 0 bindings|scopes:/);
  });

  test('a store path under a file: exit 2 naming the store path', () => {
    const cfg = join(dir, 'store-bad.yaml');
    writeFileSync(
      cfg,
      `providers:\n  files: { paths: [${JSON.stringify(certs)}] }\nstore: { path: ${JSON.stringify(join(afile, 'h.db'))} }\n`,
    );
    const r = certwarden(['audit', '-c', cfg, '-o', join(dir, 'never.json'), '--now', now]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/afile/);
    expect(existsSync(join(dir, 'never.json'))).toBe(false);
  });

  test('a missing output folder is created before collecting', () => {
    const out = join(dir, 'new', 'deeper', 'r.json');
    const r = certwarden(['audit', '-c', config, '-o', out, '--now', now, '--fail-on', 'none', '-q']);
    expect(r.code).toBe(0);
    expect(existsSync(out)).toBe(true);
  });
});

describe('config and usage', () => {
  test.each([
    ['providers: {}', 'providers: {}\n'],
    ['an empty file', ''],
  ])('%s: exit 2, saying no provider is configured', (_name, text) => {
    const cfg = join(dir, `empty-${text.length}.yaml`);
    writeFileSync(cfg, text);
    const r = certwarden(['audit', '-c', cfg, '-o', join(dir, 'empty.json'), '--now', now]);
    expect(r.stderr).toMatch(/no provider/);
    expect(r.code).toBe(2);
  });

  test('--fail-on HIGH is accepted like high', () => {
    const r = certwarden([
      'audit',
      '-c',
      config,
      '-o',
      join(dir, 'upper.json'),
      '--now',
      now,
      '--fail-on',
      'HIGH',
      '-q',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
  });

  test('a wrong-type rule param names the config file', () => {
    const cfg = join(dir, 'rule-type.yaml');
    writeFileSync(
      cfg,
      `providers:\n  files: { paths: [${JSON.stringify(certs)}] }\nrules:\n  cert-expiring: { warnDays: soon }\n`,
    );
    const r = certwarden(['audit', '-c', cfg, '-o', join(dir, 'never2.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${cfg}: rules.cert-expiring.warnDays`);
  });

  test('a missing suppressions file says how to create one', () => {
    const cfg = join(dir, 'supp-missing.yaml');
    writeFileSync(
      cfg,
      `providers:\n  files: { paths: [${JSON.stringify(certs)}] }\nsuppressions: ${JSON.stringify(join(dir, 'nope.yaml'))}\n`,
    );
    const r = certwarden(['audit', '-c', cfg, '-o', join(dir, 'never3.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not exist.*certwarden suppress/);
  });
});

describe('exit codes', () => {
  const mixed = join(dir, 'mixed.yaml');
  writeFileSync(
    mixed,
    `providers:\n  files: { paths: [${JSON.stringify(join(dir, 'gone'))}, ${JSON.stringify(certs)}] }\n`,
  );
  test('a failed scope and a high finding: 3 wins over 1', () => {
    const r = certwarden(['audit', '-c', mixed, '-o', join(dir, 'mixed.json'), '--now', now, '-q']);
    expect(r.code).toBe(3);
  });
  test('--no-fail-incomplete: the findings decide (1), with a warning naming the incomplete scope', () => {
    const r = certwarden([
      'audit',
      '-c',
      mixed,
      '-o',
      join(dir, 'mixed2.json'),
      '--now',
      now,
      '-q',
      '--no-fail-incomplete',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/incomplete.*gone/);
  });
  test('failIncomplete: false in the config does the same', () => {
    const cfg = join(dir, 'mixed3.yaml');
    writeFileSync(cfg, readFileSync(mixed, 'utf8') + 'failIncomplete: false\n');
    const r = certwarden(['audit', '-c', cfg, '-o', join(dir, 'mixed3.json'), '--now', now, '-q', '--fail-on', 'none']);
    expect(r.code).toBe(0);
  });
});

describe('suppress', () => {
  const cfg = join(dir, 'stored.yaml');
  writeFileSync(
    cfg,
    `providers:\n  files: { paths: [${JSON.stringify(certs)}] }\nstore: { path: ${JSON.stringify(join(dir, 'h.db'))} }\n`,
  );
  test('an id that is in no stored run is written with a warning', () => {
    expect(
      certwarden(['audit', '-c', cfg, '-o', join(dir, 's.json'), '--now', now, '-q', '--fail-on', 'none']).code,
    ).toBe(0);
    const file = join(dir, 'supp.yaml');
    const args = ['--reason', 'test', '--owner', 'team', '--until', '2099-01-01', '--file', file, '-c', cfg];
    const r = certwarden(['suppress', '0123456789abcdef0123', ...args]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: no finding 0123456789abcdef0123 in the latest run/);
    const real = JSON.parse(readFileSync(join(dir, 's.json'), 'utf8')).findings[0].id as string;
    const ok = certwarden(['suppress', real, ...args]);
    expect(ok.stderr).not.toMatch(/warning/);
  });
});
