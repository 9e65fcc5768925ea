/**
 * Untrusted strings on the terminal, through the real commands: a certificate whose common name
 * holds line breaks and terminal controls is served by the simulated ACM (real X.509 bytes from
 * the simulator's templates, through the real AWS SDK), audited on two nights into a history
 * store, and printed by the spawned `certwarden diff`. Nothing it holds may start a line of its
 * own, move the cursor, recolour the screen or reorder the text; the JSON output keeps it exact.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAudit } from '../../src/cli/audit.js';
import { historyTable } from '../../src/cli/history.js';
import { visibleText } from '../../src/report/escape.js';
import { parseConfig } from '../../src/config/load.js';
import { startSimulator } from '../../src/sim/index.js';
import type { AwsCertificateSpec } from '../../src/sim/aws/index.js';
import { certwarden } from '../fixtures/cli.js';
import { KEY, NOW, quiet, useCredentials } from '../reliability/estate.js';

const ACCOUNT = '444444444444';
const DAY = 86_400_000;
/** Lines that would pass for certwarden's own: a clean summary and a critical finding on another certificate. */
const FORGED =
  'evil.example.com\n\nscopes: 0 failed\n  [critical] cert-expired payments.example.com (0123456789abcdef0123)';
const CN = `${FORGED}\r\u001b[2K\u001b]8;;http://evil.example/\u001b\\click\u001b]8;;\u001b\\\u009b1A\u202egpj.exe\u200b`;
/** Everything that breaks a line, moves the cursor, recolours, reorders or hides itself. */
// eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/u;

const dir = mkdtempSync(join(tmpdir(), 'cw-hostile-terminal-'));
const store = join(dir, 'history.db');

async function night(n: number, certificates: AwsCertificateSpec[]) {
  const now = new Date(NOW.getTime() + n * DAY);
  const sim = await startSimulator(
    {
      aws: {
        accounts: [
          { id: ACCOUNT, accessKeys: [{ id: KEY.id, secret: KEY.secret }], regions: { 'us-east-1': { certificates } } },
        ],
      },
    },
    { now },
  );
  try {
    const config = parseConfig(
      JSON.stringify({
        providers: { aws: { endpoint: sim.server.url, regions: ['us-east-1'], maxAttempts: 2, retryDelayMs: 5 } },
        store: { path: store },
      }),
      'hostile terminal',
    );
    return (await runAudit({ config, now, log: quiet })).report;
  } finally {
    await sim.server.close();
  }
}

beforeAll(async () => {
  useCredentials();
  await night(0, [{ name: 'www', cn: 'www.example.com', expiresInDays: 200 }]);
  const second = await night(1, [
    { name: 'www', cn: 'www.example.com', expiresInDays: 199 },
    { name: 'hostile', cn: CN, expiresInDays: -2 },
  ]);
  // The common name reached the store unchanged, through the wire protocol and the SDK.
  expect(second.findings.filter((f) => f.resource.name === CN).map((f) => f.ruleId)).toContain('cert-expired');
}, 90_000);

test('certwarden diff: a common name with line breaks stays on its one line, every control shown escaped', () => {
  const run = certwarden(['diff', '--store', store]);
  expect(run.code).toBe(0);
  const lines = run.stdout.split('\n');
  expect(lines).not.toContain('scopes: 0 failed');
  // Named twice (its finding, and the certificate added), each time whole on its own line.
  const named = lines.filter((l) => l.includes('evil.example.com'));
  expect(named).toHaveLength(2);
  expect(lines.filter((l) => l.includes('payments.example.com'))).toEqual(named);
  const line = lines.find((l) => l.includes('evil.example.com'))!;
  expect(line).toMatch(
    /^ {2}\[\w+\] cert-expired evil\.example\.com\\n\\nscopes: 0 failed\\n {2}\[critical\] cert-expired payments\.example\.com \(0123456789abcdef0123\)\\r\\x1b\[2K\\x1b\]8;;/,
  );
  expect(line).toContain('\\x9b1A\\u202egpj.exe\\u200b (');
  for (const l of lines) expect([l, TERMINAL_UNSAFE.test(l)]).toEqual([l, false]);
}, 60_000);

test('certwarden diff --json keeps the name exact, with C1 and bidi characters as \\u escapes', () => {
  const run = certwarden(['diff', '--store', store, '--json']);
  expect(run.code).toBe(0);
  expect(run.stdout.replace(/\n/g, '')).not.toMatch(TERMINAL_UNSAFE);
  expect(JSON.parse(run.stdout).findings.new.map((f: { resource: { name: string } }) => f.resource.name)).toContain(CN);
}, 60_000);

test('an error that quotes a hostile path is one line on stderr', () => {
  const run = certwarden(['history', '--store', join(dir, `nope\nscopes: 0 failed\u001b[2K`)]);
  expect(run.code).toBe(2);
  expect(run.stderr.split('\n')).toEqual([
    expect.stringMatching(/^certwarden: no history store at .*nope\\nscopes: 0 failed\\x1b\[2K \(run an audit/),
    '',
  ]);
}, 60_000);

test('terminal escapes: named for line breaks and tab, \\x for other C0, DEL and C1, \\u for format characters and separators', () => {
  expect(visibleText('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
  expect(visibleText('\u0000\u0007\u001b[31m\u007f\u0085\u009b')).toBe('\\x00\\x07\\x1b[31m\\x7f\\x85\\x9b');
  expect(visibleText('\u202einvoice\u2066\u200b\u200f\ufeff\u2028\u2029')).toBe(
    '\\u202einvoice\\u2066\\u200b\\u200f\\ufeff\\u2028\\u2029',
  );
  expect(visibleText('tag\u{e0041}')).toBe('tag\\u{e0041}');
  expect(visibleText('C:\\certs\\ café ✓ 証明書')).toBe('C:\\certs\\ café ✓ 証明書');
  const runs = [
    {
      seq: 1,
      reportId: `abc\nforged`,
      startedAt: '',
      finishedAt: '',
      now: '2026-01-01T00:00:00.000Z\u001b[2K',
      configDigest: '',
      counts: {
        certificates: 1,
        bindings: 0,
        findings: 0,
        new: 0,
        open: 0,
        suppressed: 0,
        resolved: 0,
        carried: 0,
        scopesOk: 1,
        scopesNotOk: 0,
      },
    },
  ];
  expect(historyTable(runs).split('\n')).toHaveLength(3);
  expect(historyTable(runs)).toContain('2026-01-01T00:00:00.000Z\\x1b[2K  abc\\nforged');
});
