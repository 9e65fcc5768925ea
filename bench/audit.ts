/**
 * One benchmark: a full audit of the organisation through the real SDK clients and engine, a
 * second (incremental) run of the unchanged organisation, and the naive baseline on a sample.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAudit, writeJson } from '../src/cli/audit.js';
import type { Logger } from '../src/engine/api/provider.js';
import type { Certificate } from '../src/model/types.js';
import { awsAcm } from '../providers/aws-acm/index.js';
import { awsElbv2 } from '../providers/aws-elbv2/index.js';
import { azureKeyVault } from '../providers/azure-keyvault/index.js';
import { lowerBound, type Bound } from './bound.js';
import { callStats, type CallStats } from './calls.js';
import { benchConfig, benchEnvironment } from './config.js';
import { naiveAwsScope, naiveVault } from './naive.js';
import { accountId, DEFAULT_SHAPE, regionsOf, scaled, type Shape } from './scenario.js';
import { startSimHost } from './sim-host.js';

export interface BenchOptions {
  scale: number;
  shape?: Shape;
  latency?: { fixedMs: number; jitterMs: number };
  /** Account/regions (and as many vaults) the naive baseline is timed on; all with `fullBaseline`. */
  baselineSample?: number;
  fullBaseline?: boolean;
  /** Collection threads of the audit (config key `threads`). */
  threads?: number;
  /** Run the simulator on this thread (tests) instead of a worker. */
  thread?: boolean;
  log?: (line: string) => void;
}

export interface BenchResult {
  scale: number;
  shape: Shape;
  seedSeconds: number;
  wallSeconds: number;
  boundSeconds: number;
  ratio: number;
  bound: Bound;
  calls: number;
  byApi: Record<string, number>;
  failedCalls: number;
  failedScopes: number;
  throttled: number;
  retries: number;
  certificates: number;
  bindings: number;
  ruleSeconds: number;
  /** Main-thread busy time during the first run (event-loop utilisation x wall). */
  clientCpuSeconds: number;
  /** The simulator thread's busy time during the first run. */
  simCpuSeconds: number;
  /** CPU time of the whole process (every thread, garbage collection included) during the first run. */
  processCpuSeconds: number;
  threads: number;
  firstRunCalls: number;
  secondRunCalls: number;
  secondRunSeconds: number;
  secondRunSameInventory: boolean;
  baselineSeconds: number;
  baselineExtrapolated: boolean;
  baselineSampledScopes: number;
  speedup: number;
  peakRssMb: number;
}

const quiet: Logger = { info: () => {}, warn: () => {}, debug: () => {} };
const PROVIDERS = [awsAcm, awsElbv2, azureKeyVault];

/** The inventory without the records' read stamps (a re-read record is stamped anew), for comparing two runs. */
export function inventoryText(r: { certificates: Certificate[]; bindings: unknown[] }): string {
  return JSON.stringify([
    r.certificates.map((c) => (c.incremental ? { ...c, incremental: { ...c.incremental, readAt: undefined } } : c)),
    r.bindings,
  ]);
}

export async function runBench(opts: BenchOptions): Promise<BenchResult> {
  const log = opts.log ?? (() => {});
  const shape = scaled(opts.shape ?? DEFAULT_SHAPE, opts.scale);
  const latency = opts.latency ?? { fixedMs: 20, jitterMs: 40 };
  const now = new Date('2026-01-15T00:00:00Z');
  log(
    `seeding ${shape.accounts} accounts x ${shape.regions} regions x ${shape.certificatesPerRegion} certificates, ${shape.subscriptions * shape.vaultsPerSubscription} vaults x ${shape.certificatesPerVault}`,
  );
  const sim = await startSimHost(shape, now, { latency, rateLimits: true }, { thread: opts.thread });
  const dir = mkdtempSync(join(tmpdir(), 'certwarden-bench-'));
  try {
    benchEnvironment();
    const config = { ...benchConfig(sim.url, shape), threads: opts.threads ?? 1 };
    const previous = join(dir, 'night-1.json');

    log('first run: full audit');
    const elu0 = performance.eventLoopUtilization();
    const sim0 = sim.busyMs();
    const cpu0 = process.cpuUsage();
    let t = performance.now();
    const first = await runAudit({ config, now, log: quiet, providers: PROVIDERS, previous });
    const wallSeconds = (performance.now() - t) / 1000;
    const elu = performance.eventLoopUtilization(elu0);
    const simMs = sim.busyMs() - sim0;
    const cpu = process.cpuUsage(cpu0);
    writeJson(first.report, previous);
    const firstCalls = await sim.take();
    const stats: CallStats = callStats(firstCalls);
    const bound = lowerBound(firstCalls, latency, config.concurrency);

    log('second run: the same organisation, a day later, incremental');
    const next = new Date(now.getTime() + 86_400_000);
    t = performance.now();
    const second = await runAudit({ config, now: next, log: quiet, providers: PROVIDERS, previous });
    const secondRunSeconds = (performance.now() - t) / 1000;
    const secondCalls = await sim.take();

    const sample = opts.fullBaseline
      ? shape.accounts * shape.regions
      : Math.min(opts.baselineSample ?? 2, shape.accounts * shape.regions);
    log(`naive baseline on ${sample} account/regions and ${sample} vaults`);
    const aws = { acm: 0, elbv2: 0 };
    const regions = regionsOf(shape);
    for (let k = 0; k < sample; k++) {
      const r = await naiveAwsScope(
        sim.url,
        accountId(Math.floor(k / regions.length) + 1),
        regions[k % regions.length],
      );
      aws.acm += r.acm;
      aws.elbv2 += r.elbv2;
    }
    const vaults = first.report.scopes.filter((s) => s.provider === 'azure-keyvault');
    const vaultSample = opts.fullBaseline ? vaults.length : Math.min(sample, vaults.length);
    let kv = 0;
    for (const v of vaults.slice(0, vaultSample))
      kv += await naiveVault(config.providers.azure!, `https://${v.location}.vault.azure.net/`);
    await sim.take();
    const awsScopes = shape.accounts * shape.regions;
    const baselineSeconds =
      ((aws.acm + aws.elbv2) / Math.max(1, sample)) * awsScopes +
      (vaultSample ? (kv / vaultSample) * vaults.length : 0);

    return {
      scale: opts.scale,
      shape,
      seedSeconds: sim.seedMs / 1000,
      wallSeconds,
      boundSeconds: bound.seconds,
      ratio: wallSeconds / bound.seconds,
      bound,
      calls: stats.calls,
      byApi: stats.byApi,
      failedCalls: stats.failedCalls,
      failedScopes: first.report.scopes.filter((s) => s.status !== 'ok').length,
      throttled: stats.throttled,
      retries: stats.retries,
      certificates: first.report.certificates.length,
      bindings: first.report.bindings.length,
      ruleSeconds: first.ruleMs / 1000,
      clientCpuSeconds: elu.active / 1000,
      simCpuSeconds: simMs / 1000,
      processCpuSeconds: (cpu.user + cpu.system) / 1e6,
      threads: config.threads,
      firstRunCalls: stats.calls,
      secondRunCalls: secondCalls.length,
      secondRunSeconds,
      secondRunSameInventory: inventoryText(first.report) === inventoryText(second.report),
      baselineSeconds,
      baselineExtrapolated: !opts.fullBaseline,
      baselineSampledScopes: sample + vaultSample,
      speedup: baselineSeconds / wallSeconds,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sim.close();
  }
}
