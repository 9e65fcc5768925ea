/**
 * Nothing half written: a child writes a large report over and over through writeAtomic and is
 * SIGKILLed at random moments. After every kill the report on disk is a complete report (the old
 * one or a new one), never a torn file; the only traces a killed writer can leave are dot-files
 * beside it, which are not reports by name and which the next write removes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { parseReport } from '../../src/report/read.js';
import { jsonChunks } from '../../src/report/json.js';
import { writeAtomic } from '../../src/report/write.js';
import { largeReport } from './atomic-writer.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'cw-atomic-'));
const target = join(dir, 'report.json');
const KILLS = 8;
/** Kills beyond KILLS while none has yet landed in the middle of a write (a loaded machine can miss). */
const MAX_KILLS = 24;

/** Starts the writer, lets it run `ms` after its first complete write, then SIGKILLs it. */
function killAfter(ms: number, from: number): Promise<{ signal: NodeJS.Signals | null; generations: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/security/atomic-writer.ts')], {
      cwd: root,
      env: { ...process.env, NODE_OPTIONS: '', CW_ATOMIC_TARGET: target, CW_ATOMIC_FROM: String(from) },
    });
    let out = '';
    let err = '';
    let armed = false;
    child.stderr.on('data', (d) => (err += d));
    child.stdout.on('data', (d) => {
      out += d;
      if (!armed && out.includes('wrote ')) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), ms);
      }
    });
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      signal
        ? resolve({ signal, generations: (out.match(/wrote /g) ?? []).length })
        : reject(new Error(`writer exited ${code}: ${err}`)),
    );
  });
}

/** The report on disk is whole: it parses as a report, and its parts agree with each other. */
function checkWhole(): string {
  const report = parseReport(readFileSync(target, 'utf8'), target);
  expect(report.certificates).toHaveLength(report.summary.certificates);
  expect(report.run.id).toMatch(/^generation-\d+$/);
  return report.run.id;
}

const dotFiles = () => readdirSync(dir).filter((n) => n.startsWith('.'));
const visible = () => readdirSync(dir).filter((n) => !n.startsWith('.'));

test('a writer killed at random moments never leaves a torn report', async () => {
  writeAtomic(target, jsonChunks(largeReport(20_000, 0)));
  const delays = fc.sample(fc.integer({ min: 0, max: 700 }), { numRuns: MAX_KILLS, seed: 8 });
  let leftovers = 0;
  let kills = 0;
  const seen = new Set<string>(['generation-0']);
  for (const [i, ms] of delays.entries()) {
    if (kills >= KILLS && leftovers > 0) break;
    kills++;
    // Each writer numbers its reports from its own base, so old and new can be told apart.
    const from = (i + 1) * 1000;
    const { signal, generations } = await killAfter(ms, from);
    expect(signal).toBe('SIGKILL');
    expect(generations).toBeGreaterThanOrEqual(1);
    const id = checkWhole();
    const n = Number(id.split('-')[1]);
    // The newest report this writer finished, or the one it was writing when killed (renamed, not yet announced).
    expect(n).toBeGreaterThanOrEqual(from + generations);
    expect(n).toBeLessThanOrEqual(from + generations + 1);
    seen.add(id);
    // Whatever the kill left is a dot-file beside the report, never a second report-looking file.
    expect(visible()).toEqual(['report.json']);
    for (const f of dotFiles()) expect(f).toMatch(/^\.report\.json\.\d+\.[0-9a-f]{8}\.tmp$/);
    leftovers = Math.max(leftovers, dotFiles().length);
  }
  // The kills did land in the middle of writes (a temporary file was left), and reports changed.
  expect(leftovers).toBeGreaterThan(0);
  expect(seen.size).toBe(kills + 1);
  process.stdout.write(
    `atomic write: ${kills} kills, ${seen.size} distinct reports seen, up to ${leftovers} temporary files left before clean-up\n`,
  );

  // The next write clears what dead writers left, and is itself whole.
  writeAtomic(target, jsonChunks(largeReport(1_000, 99)));
  expect(dotFiles()).toEqual([]);
  expect(checkWhole()).toBe('generation-99');
}, 240_000);
