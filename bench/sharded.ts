/**
 * The sharded benchmark: the organisation audited by one `certwarden audit` process, then by N
 * `certwarden audit --shard I/N` processes at once and a `certwarden merge`, all on this machine
 * against one simulator; and the merge's own cost on synthetic inventories as they grow.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { configDigest, parseConfig } from '../src/config/load.js';
import { link } from '../src/engine/api/link.js';
import { planShards } from '../src/engine/runtime/shard.js';
import type { Logger } from '../src/engine/api/provider.js';
import type { Inventory } from '../src/model/types.js';
import { buildReport, jsonChunks } from '../src/report/json.js';
import { writeAtomic } from '../src/report/write.js';
import { runAudit, writeJson } from '../src/cli/audit.js';
import { evaluateJoined, joinShards } from '../src/cli/merge.js';
import type { ShardReport } from '../src/cli/shard.js';
import { benchConfig, benchEnvironment } from './config.js';
import { scaled, type Shape } from './scenario.js';
import { startSimHost } from './sim-host.js';
import { syntheticInventory } from './synthetic.js';

const main = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));
const quiet: Logger = { info: () => {}, warn: () => {}, debug: () => {} };

function cli(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [main, ...args], { env: process.env });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

async function timed<T>(f: () => T | Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const r = await f();
  return [r, (performance.now() - t) / 1000];
}

export interface ShardedResult {
  shape: Shape;
  certificates: number;
  singleSeconds: number;
  shards: number[];
  runs: Array<{ shards: number; shardSeconds: number; mergeSeconds: number; identical: boolean }>;
  load: { start: number; end: number };
}

/** One process, then each N of `shards` with its merge; the merged report is compared byte for byte. */
export async function runSharded(opts: {
  shape: Shape;
  scale: number;
  shards: number[];
  /** Collection threads of each process (config key `threads`; default 1: the processes share the CPUs). */
  threads?: number;
  log: (line: string) => void;
}): Promise<ShardedResult> {
  const shape = scaled(opts.shape, opts.scale);
  const now = '2026-01-15T00:00:00.000Z';
  const start = loadavg()[0];
  opts.log(
    `seeding ${shape.accounts} accounts x ${shape.regions} regions x ${shape.certificatesPerRegion} certificates`,
  );
  const sim = await startSimHost(shape, new Date(now), { latency: { fixedMs: 20, jitterMs: 40 }, rateLimits: true });
  const dir = mkdtempSync(join(tmpdir(), 'certwarden-bench-shards-'));
  try {
    benchEnvironment();
    const config = join(dir, 'config.json');
    writeFileSync(config, JSON.stringify({ ...benchConfig(sim.url, shape), threads: opts.threads ?? 1 }));
    const common = ['-c', config, '--now', now, '-q', '--fail-on', 'none'];
    opts.log('one process');
    const [single, singleSeconds] = await timed(() => cli(['audit', ...common, '-o', join(dir, 'single.json')]));
    if (single.code !== 0) throw new Error(`single run: exit ${single.code}: ${single.stderr}`);
    const expected = readFileSync(join(dir, 'single.json'), 'utf8');
    const runs: ShardedResult['runs'] = [];
    for (const n of opts.shards) {
      opts.log(`${n} shard processes, then the merge`);
      const paths = Array.from({ length: n }, (_, i) => join(dir, `n${n}-shard-${i}.json`));
      const [codes, shardSeconds] = await timed(() =>
        Promise.all(
          paths.map((p, i) => cli(['audit', '-c', config, '--now', now, '-q', '--shard', `${i}/${n}`, '-o', p])),
        ),
      );
      const bad = codes.find((c) => c.code !== 0);
      if (bad) throw new Error(`a shard exited ${bad.code}: ${bad.stderr}`);
      const out = join(dir, `n${n}-merged.json`);
      const [merged, mergeSeconds] = await timed(() => cli(['merge', ...common, '-o', out, ...paths]));
      if (merged.code !== 0) throw new Error(`merge: exit ${merged.code}: ${merged.stderr}`);
      runs.push({ shards: n, shardSeconds, mergeSeconds, identical: readFileSync(out, 'utf8') === expected });
    }
    const certificates = (JSON.parse(expected) as { certificates: unknown[] }).certificates.length;
    return {
      shape,
      certificates,
      singleSeconds,
      shards: opts.shards,
      runs,
      load: { start, end: loadavg()[0] },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sim.close();
  }
}

export interface MergeCost {
  certificates: number;
  shards: number;
  /** Reading and joining the shard reports. */
  readSeconds: number;
  /** Linking and every rule over the joined inventory, owners, the report object. */
  evaluateSeconds: number;
  /** Writing the merged JSON report. */
  writeSeconds: number;
  load: { start: number; end: number };
}

/** The merge alone, on a synthetic inventory of `certificates` split by account into `shards` shard reports. */
export async function mergeCost(certificates: number, shards = 4): Promise<MergeCost> {
  const start = loadavg()[0];
  const now = new Date('2026-01-15T00:00:00Z');
  const config = parseConfig('providers:\n  files: { paths: [unused] }\n', 'bench config');
  const inv = syntheticInventory(certificates, Math.round(certificates / 2), now);
  const plan = planShards(shards);
  const dir = mkdtempSync(join(tmpdir(), 'certwarden-bench-merge-'));
  try {
    const paths = Array.from({ length: shards }, (_, index) => {
      const mine = <T extends { account: string }>(list: T[]) => list.filter((r) => plan.ownerOf(r.account) === index);
      const part: Inventory = {
        certificates: mine(inv.certificates),
        bindings: mine(inv.bindings),
        scopes: mine(inv.scopes),
      };
      const report = buildReport({
        inventory: link(part),
        findings: [],
        now,
        startedAt: now,
        finishedAt: now,
        configDigest: configDigest(config),
      });
      const shard: ShardReport['shard'] = {
        index,
        count: shards,
        plan: plan.digest,
        fixedNow: true,
        accounts: [...new Set(part.scopes.map((s) => s.account))].sort(),
        others: [],
        discovered: [],
      };
      const path = join(dir, `shard-${index}.json`);
      const shardReport: ShardReport = { ...report, shard };
      writeAtomic(path, jsonChunks(shardReport));
      return path;
    });
    const [joined, readSeconds] = await timed(() => joinShards(paths, config, now, quiet));
    const [run, evaluateSeconds] = await timed(() =>
      runAudit({
        config,
        now,
        log: quiet,
        collected: (rules) => evaluateJoined(joined, config, rules, now, quiet),
      }),
    );
    const [, writeSeconds] = await timed(() => writeJson(run.report, join(dir, 'merged.json')));
    return { certificates, shards, readSeconds, evaluateSeconds, writeSeconds, load: { start, end: loadavg()[0] } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
