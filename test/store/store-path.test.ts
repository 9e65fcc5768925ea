/**
 * A `store.path` that cannot hold a database is a setup error found before collecting: the real
 * command exits 2 within seconds, naming the path and why, instead of spinning or auditing for an
 * hour first. A missing directory that can be created is still created, as on a first run.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOW } from '../fixtures/certs.js';
import { certwardenAsync } from '../reliability/spawn.js';
import { writeCert } from './scenario.js';

const dir = mkdtempSync(join(tmpdir(), 'cw-storepath-'));
const certs = join(dir, 'certs');
writeCert(join(certs, 'a.pem'), 'expired');

/** The real command with the store at `db`; killed after 30 s, so a spin fails the test rather than hanging it. */
async function audit(name: string, db: string) {
  const cfg = join(dir, `${name}.yaml`);
  writeFileSync(
    cfg,
    `providers:\n  files: { paths: [${JSON.stringify(certs)}] }\nstore: { path: ${JSON.stringify(db)} }\n`,
  );
  const out = join(dir, `${name}.json`);
  const run = await certwardenAsync(['audit', '-c', cfg, '-o', out, '--now', NOW.toISOString(), '--fail-on', 'none'], {
    timeoutMs: 30_000,
  });
  return { ...run, reportWritten: existsSync(out) };
}

const onLinux = process.platform === 'linux' && existsSync('/proc/self');
(onLinux ? test : test.skip).each([
  [
    'a missing directory under /proc',
    '/proc/certwarden/history.db',
    /path not creatable: .*\/proc.* kernel pseudo-filesystem \(proc\)/,
  ],
  [
    'a new file directly in /proc',
    '/proc/history.db',
    /path not creatable: .*\/proc.* kernel pseudo-filesystem \(proc\)/,
  ],
  ['an existing /proc file', '/proc/self/status', /kernel pseudo-filesystem \(proc\)/],
])(
  'store.path %s: a clear error at once, exit 2, no spinning',
  async (_what, db, message) => {
    const run = await audit(`proc-${db.replace(/\W/g, '_')}`, db);
    expect(run.stderr).toMatch(/config error: store\.path /);
    expect(run.stderr).toMatch(message);
    expect(run.code).toBe(2);
    expect(run.ms).toBeLessThan(20_000);
    expect(run.reportWritten).toBe(false);
  },
  60_000,
);

test('a directory that cannot be created (a regular file in the way): "path not creatable", exit 2', async () => {
  writeFileSync(join(dir, 'plain-file'), 'x');
  const db = join(dir, 'plain-file', 'state', 'history.db');
  const run = await audit('under-file', db);
  expect(run.stderr).toMatch(
    new RegExp(
      `config error: store\\.path ${db.replace(/[/.]/g, '\\$&')}: path not creatable: .*plain-file.* is not a directory`,
    ),
  );
  expect(run.code).toBe(2);
  expect(run.reportWritten).toBe(false);
}, 60_000);

test('a directory or a device where the store file should be: "not a regular file", exit 2', async () => {
  const folder = join(dir, 'folder.db');
  mkdirSync(folder);
  const a = await audit('folder', folder);
  expect(a.stderr).toMatch(/store\.path .*folder\.db: not a regular file \(a directory\)/);
  expect(a.code).toBe(2);
  const b = await audit('devnull', '/dev/null');
  expect(b.stderr).toMatch(/store\.path \/dev\/null: not a regular file \(a character device\)/);
  expect(b.code).toBe(2);
}, 60_000);

test('a missing directory that can be created is created: the first run goes on as before', async () => {
  const db = join(dir, 'new', 'deeper', 'history.db');
  const run = await audit('fresh', db);
  expect(run.stderr).toMatch(/history: run 1 \(first run\)/);
  expect(run.code).toBe(0);
  expect(existsSync(db)).toBe(true);
}, 60_000);
