/**
 * The files provider against files that are not what their names say: a FIFO nobody writes to,
 * a symlink to an endless device, a file whose size says less than it holds, a file slower to read
 * than its deadline, and names swapped between a certificate and such things while the walk runs.
 * Each is a record that says what it is, never a hang and never an unbounded read.
 */
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { filesProvider } from '../../providers/files/index.js';
import { readRegularFile } from '../../providers/files/read.js';
import { parseConfig } from '../../src/config/load.js';
import type { Certificate } from '../../src/model/types.js';
import { NOW, fixture, issue } from '../fixtures/certs.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const quiet = { info() {}, warn() {}, debug() {} };
const MB = 1 << 20;
const pem = issue(fixture('rsa-2048')).pem;

/** Every record the files provider yields for `path`, by file name, within `boundMs` or a failure. */
async function collect(
  path: string,
  files: Record<string, unknown> = {},
  boundMs = 10_000,
): Promise<Record<string, Certificate>> {
  const config = parseConfig(JSON.stringify({ providers: { files: { paths: [path], ...files } } }), 'files');
  const out: Record<string, Certificate> = {};
  const run = (async () => {
    for await (const r of filesProvider.collect!(
      { provider: 'files', account: 'local', location: path },
      {
        config,
        log: quiet,
        now: NOW,
        lose: (l) => {
          throw l.error;
        },
      },
    ))
      out[(r as Certificate).name.slice(path.length + 1) || '.'] = r as Certificate;
  })();
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<never>(
    (_, reject) => (timer = setTimeout(() => reject(new Error(`the walk did not end within ${boundMs} ms`)), boundMs)),
  );
  try {
    await Promise.race([run, hung]);
  } finally {
    clearTimeout(timer);
  }
  return out;
}

test('a FIFO, a socket, a symlink to /dev/zero and a procfs file larger than its size are refused, each named, and the certificate beside them is read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-files-odd-'));
  writeFileSync(join(dir, 'good.pem'), pem);
  execFileSync('mkfifo', [join(dir, 'fifo.pem')]);
  symlinkSync('/dev/zero', join(dir, 'zero.pem'));
  // procfs reports a size of 0 for a file that holds kilobytes: the limit holds on what is read.
  symlinkSync('/proc/self/status', join(dir, 'status.pem'));
  const socket = createServer();
  await new Promise<void>((resolve) => socket.listen(join(dir, 'sock.pem'), resolve));
  const started = Date.now();
  const out = await collect(dir, { maxFileBytes: 256 }).finally(() => socket.close());
  expect(Date.now() - started).toBeLessThan(5_000);
  expect(Object.keys(out).sort()).toEqual(['fifo.pem', 'good.pem', 'sock.pem', 'status.pem', 'zero.pem']);
  expect(out['sock.pem'].parseError).toBe('cannot read: not a regular file: a socket');
  expect(out['good.pem'].fingerprintSha256).toBeUndefined(); // 256 bytes is less than a PEM certificate
  expect(out['good.pem'].parseError).toMatch(/over the 256-byte limit/);
  expect(out['fifo.pem'].parseError).toBe('cannot read: not a regular file: a FIFO (named pipe)');
  expect(out['zero.pem'].parseError).toBe('cannot read: not a regular file: a character device');
  expect(out['status.pem'].parseError).toMatch(
    /^cannot read: more than 256 bytes read, over the 256-byte limit \(its size said 0 bytes/,
  );
  const big = await collect(dir);
  expect(big['good.pem'].fingerprintSha256).toMatch(/^[0-9a-f:]+$/i);
  expect(big['good.pem'].parseError).toBeUndefined();
});

test('a path configured directly that is a FIFO is refused at once, not waited on', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-files-fifo-'));
  execFileSync('mkfifo', [join(dir, 'pipe')]);
  const out = await collect(join(dir, 'pipe'), {}, 5_000);
  expect(out['.'].parseError).toBe('cannot read: not a regular file: a FIFO (named pipe)');
});

test('a file slower to read than the per-file deadline is refused with the deadline named; the walk goes on to the next file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-files-slow-'));
  // 48 reads of 1 MiB cannot all come back within 1 ms.
  writeFileSync(join(dir, 'a-big.pem'), Buffer.alloc(48 * MB, 'A'));
  writeFileSync(join(dir, 'b-good.pem'), pem);
  const out = await collect(dir, { timeoutMs: 1 });
  expect(out['a-big.pem'].parseError).toBe('cannot read: not read within 1 ms (ETIMEDOUT)');
  // The small file gets its own millisecond: read, or (on a busy machine) refused for the same reason.
  expect(out['b-good.pem'].fingerprintSha256 ?? out['b-good.pem'].parseError).toMatch(
    /^([0-9a-f:]+|cannot read: not read within 1 ms \(ETIMEDOUT\))$/i,
  );
});

test('with followSymlinks off, a symlink opened where a file was listed is refused, not followed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-files-nofollow-'));
  writeFileSync(join(dir, 'real.pem'), pem);
  symlinkSync(join(dir, 'real.pem'), join(dir, 'link.pem'));
  // What the walk does after stat(): open the name it listed, here a symlink put in its place.
  await expect(
    readRegularFile(join(dir, 'link.pem'), { maxFileBytes: MB, timeoutMs: 5000, followSymlinks: false }),
  ).rejects.toThrow('a symbolic link, and symlinks are not followed');
  expect(
    (
      await readRegularFile(join(dir, 'link.pem'), { maxFileBytes: MB, timeoutMs: 5000, followSymlinks: true })
    ).toString(),
  ).toBe(pem);
});

/** Runs the race helper; a walk that does not end within `killAfterMs` is killed and reported as such. */
function helper(
  args: string[],
  killAfterMs: number,
): Promise<{ code: number | null; killed: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/providers/files-race.ts'), ...args], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, killAfterMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, killed, stdout, stderr });
    });
  });
}

test('names swapped between a certificate, a FIFO and a symlink to /dev/zero while the walk runs: every walk ends, what changed after stat() is refused when opened', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-files-race-'));
  const stage = join(dir, '.stage');
  const folder = join(dir, 'certs');
  mkdirSync(stage);
  mkdirSync(folder);
  writeFileSync(join(stage, 'cert'), pem);
  execFileSync('mkfifo', [join(stage, 'fifo')]);
  const names = Array.from({ length: 24 }, (_, i) => `c${String(i).padStart(2, '0')}.pem`);
  for (const n of names) writeFileSync(join(folder, n), pem);
  const swapper = spawn(
    process.execPath,
    ['--import', 'tsx', join(root, 'test/providers/files-race.ts'), 'swap', folder, stage, ...names],
    { cwd: root, env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  try {
    await new Promise<void>((resolve) => swapper.stdout.once('data', () => resolve()));
    const walker = await helper(['walk', folder, '400', '30000'], 60_000);
    expect({ killed: walker.killed, code: walker.code, stderr: walker.stderr }).toEqual({
      killed: false,
      code: 0,
      stderr: '',
    });
    const result = JSON.parse(walker.stdout) as {
      rounds: number;
      ms: number;
      seen: Record<string, number>;
      maxRssBytes: number;
    };
    process.stdout.write(
      `files race: ${result.rounds} walks in ${result.ms} ms, peak RSS ${(result.maxRssBytes / MB).toFixed(0)} MB, ${JSON.stringify(result.seen)}\n`,
    );
    // The race was met both ways: a name that passed stat() as a regular file was a FIFO, or /dev/zero, when opened.
    expect(result.seen['cannot read: not a regular file when opened: a FIFO (named pipe)']).toBeGreaterThan(0);
    expect(result.seen['cannot read: not a regular file when opened: a character device']).toBeGreaterThan(0);
    // Nothing else than these outcomes, and no read of /dev/zero beyond a page.
    for (const what of Object.keys(result.seen))
      expect(what).toMatch(
        /^(read \d+ bytes|cannot read: not a regular file( when opened)?: (a FIFO \(named pipe\)|a character device))$/,
      );
    expect(result.maxRssBytes).toBeLessThan(400 * MB);
  } finally {
    swapper.kill('SIGKILL');
  }
}, 120_000);
