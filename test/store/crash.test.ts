import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openStore } from '../../src/store/sqlite.js';
import { syntheticRun } from './synthetic.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cw-crash-'));
const db = join(dir, 'history.db');

/**
 * Starts a child that writes a run of `count` findings, and SIGKILLs it once the uncommitted
 * transaction has spilled at least `walBytes` into the WAL: the write is provably under way.
 */
function killMidWrite(
  count: number,
  walBytes: number,
): Promise<{ signal: NodeJS.Signals | null; stdout: string; walAtKill: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(root, 'test/store/crash-writer.ts'), db, String(count)],
      { cwd: root, env: { ...process.env, NODE_OPTIONS: '' } },
    );
    let stdout = '';
    let walAtKill = 0;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d) => {
      stdout += d;
      if (!timer && stdout.includes('writing')) {
        timer = setInterval(() => {
          const size = existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0;
          if (size >= walBytes) {
            clearInterval(timer);
            walAtKill = size;
            child.kill('SIGKILL');
          }
        }, 2);
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearInterval(timer);
      resolve({ signal, stdout, walAtKill });
    });
  });
}

test('a writer killed mid-run leaves the store as it was: earlier runs intact, no trace of the half run', async () => {
  const store = openStore(db);
  await store.saveRun(syntheticRun(50, '2026-06-08T00:00:00.000Z', 'a'));
  await store.saveRun(syntheticRun(60, '2026-06-09T00:00:00.000Z', 'b'));
  await store.close();

  const killed = await killMidWrite(100_000, 4 << 20);
  expect(killed.signal).toBe('SIGKILL');
  expect(killed.stdout).toContain('writing');
  expect(killed.stdout).not.toContain('done');
  expect(killed.walAtKill).toBeGreaterThanOrEqual(4 << 20);

  const after = openStore(db);
  expect(after.integrity()).toBe('ok');
  expect((await after.runs()).map((r) => [r.seq, r.now, r.counts.findings])).toEqual([
    [1, '2026-06-08T00:00:00.000Z', 50],
    [2, '2026-06-09T00:00:00.000Z', 60],
  ]);
  expect(await after.findings(2)).toHaveLength(60);
  expect(await after.records(2)).toHaveLength(60);
  expect(await after.findings(3)).toHaveLength(0);
  // The store goes on: the next run takes the next number, as if the killed one never began.
  expect(await after.saveRun(syntheticRun(5, '2026-06-11T00:00:00.000Z', 'c'))).toBe(3);
  expect((await after.alive(3)).map((f) => f.resource.name)).toEqual([
    'c0.pem',
    'c1.pem',
    'c2.pem',
    'c3.pem',
    'c4.pem',
  ]);
  await after.close();
}, 120_000);
