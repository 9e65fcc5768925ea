/**
 * `npm run bench`: the audit benchmark (see docs/benchmarks.md).
 *
 *   npm run bench                       default organisation (20 accounts x 4 regions x 500 certificates, ...)
 *   npm run bench -- --scale 0.5        per-scope counts halved
 *   npm run bench -- --quick            a small organisation, same limits, under a minute
 *   npm run bench -- --json             one JSON object on the last line of stdout
 *   npm run bench -- --engine-only --certificates 1000000
 *   npm run bench -- --pem              PEM text built to be slow, 64 MB per input
 *   npm run bench -- --shards 2,4       one process, then N shard processes and a merge, for each N
 *   npm run bench -- --merge-cost 10000,100000   the merge alone, on synthetic inventories
 */
import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import { Command } from 'commander';
import { runBench, type BenchResult } from './audit.js';
import { runEngine, type EngineFigures } from './engine.js';
import { DEFAULT_SHAPE, type Shape } from './scenario.js';
import { PEM_BUDGET_SECONDS, runPem, type PemFigure } from './pem.js';
import { mergeCost, runSharded } from './sharded.js';

/** Small enough to finish in under a minute on a laptop, with every limit in force. */
export const QUICK_SHAPE: Shape = {
  accounts: 4,
  regions: 2,
  certificatesPerRegion: 50,
  loadBalancersPerRegion: 10,
  subscriptions: 2,
  vaultsPerSubscription: 2,
  certificatesPerVault: 40,
};

const program = new Command()
  .option('--scale <f>', 'multiply the per-scope counts', Number, 1)
  .option('--quick', 'a small organisation that finishes in under a minute')
  .option('--json', 'print one JSON object as the last line of stdout')
  .option('--full-baseline', 'time the naive baseline on every scope instead of a sample (hours at the default scale)')
  .option('--baseline-sample <n>', 'account/regions (and vaults) the naive baseline is timed on', Number, 2)
  .option(
    '--threads <n>',
    'collection threads of the audit (config key `threads`; default: the CPUs Node may use, 1 with --quick)',
    Number,
  )
  .option('--engine-only', 'only the rule engine and JSON writer, on a synthetic inventory')
  .option('--certificates <n>', 'certificates of the synthetic inventory (--engine-only)', Number, 1_000_000)
  .option('--pem', 'only the PEM reader, on adversarial text')
  .option('--pem-mb <n>', 'size of each PEM input in MB (--pem)', Number, 64)
  .option('--shards <list>', 'shard counts to run as processes with a merge, e.g. 2,4', (v) => v.split(',').map(Number))
  .option('--accounts <n>', 'accounts of the organisation (--shards)', Number)
  .option('--merge-cost <list>', 'certificates of the synthetic inventories the merge is timed on', (v) =>
    v.split(',').map(Number),
  )
  .parse();
interface BenchOptions {
  scale: number;
  quick?: true;
  json?: true;
  fullBaseline?: true;
  baselineSample: number;
  threads?: number;
  engineOnly?: true;
  certificates: number;
  pem?: true;
  pemMb: number;
  shards?: number[];
  accounts?: number;
  mergeCost?: number[];
}
const opts = program.opts<BenchOptions>();

const out = (line: string) => process.stderr.write(`${line}\n`);
const s = (x: number) => `${x.toFixed(1)} s`;

function printAudit(r: BenchResult): void {
  out(
    `\norganisation: ${r.shape.accounts} accounts x ${r.shape.regions} regions x ${r.shape.certificatesPerRegion} certificates, ${r.shape.loadBalancersPerRegion} load balancers; ${r.shape.subscriptions * r.shape.vaultsPerSubscription} vaults x ${r.shape.certificatesPerVault} (scale ${r.scale})`,
  );
  out(
    `inventory:     ${r.certificates} certificates, ${r.bindings} bindings (simulator seeded in ${s(r.seedSeconds)})`,
  );
  out(`wall time:     ${s(r.wallSeconds)}   lower bound ${s(r.boundSeconds)}   ratio ${r.ratio.toFixed(2)}`);
  out(
    `               slowest scope: ${r.bound.slowest?.scope} (${r.bound.slowest?.busiest?.api}: ${r.bound.slowest?.busiest?.calls} calls at ${r.bound.slowest?.busiest?.limit.perSecond}/s)`,
  );
  out(
    `CPU:           audit's event loop ${s(r.clientCpuSeconds)} busy (${r.threads} collection thread${r.threads > 1 ? 's' : ''}); simulator ${s(r.simCpuSeconds)}; whole process ${s(r.processCpuSeconds)}; rule engine ${s(r.ruleSeconds)}`,
  );
  out(
    `calls:         ${r.calls}; throttled ${r.throttled}; retries ${r.retries}; failed calls ${r.failedCalls}; failed scopes ${r.failedScopes}`,
  );
  for (const [api, n] of Object.entries(r.byApi)) out(`               ${api.padEnd(44)} ${n}`);
  out(
    `second run:    ${r.secondRunCalls} calls (${((100 * r.secondRunCalls) / r.firstRunCalls).toFixed(1)}% of ${r.firstRunCalls}) in ${s(r.secondRunSeconds)}; same inventory: ${r.secondRunSameInventory}`,
  );
  out(
    `naive:         ${s(r.baselineSeconds)}${r.baselineExtrapolated ? ` (extrapolated from ${r.baselineSampledScopes} sampled scopes)` : ''}; speed-up ${r.speedup.toFixed(1)}x`,
  );
  out(`peak RSS:      ${r.peakRssMb.toFixed(0)} MB`);
}

function printEngine(e: EngineFigures): void {
  out(`\nsynthetic inventory: ${e.certificates} certificates, ${e.bindings} bindings (built in ${s(e.buildSeconds)})`);
  out(`rules:         ${s(e.ruleSeconds)} (CPU ${s(e.ruleCpuSeconds)}), ${e.findings} findings`);
  out(`JSON report:   ${s(e.reportSeconds)} (CPU ${s(e.reportCpuSeconds)}), ${e.jsonMb.toFixed(0)} MB`);
  out(`peak RSS:      ${e.peakRssMb.toFixed(0)} MB`);
  out(`load average:  ${e.loadAtStart.toFixed(2)} at start, ${e.loadAtEnd.toFixed(2)} at the end (1 minute)`);
}

function printPem(figures: PemFigure[]): void {
  out(`\nPEM reader, budget ${PEM_BUDGET_SECONDS} s per input:`);
  for (const f of figures)
    out(
      `  ${f.input.padEnd(48)} ${f.mb.toFixed(1).padStart(6)} MB  ${f.seconds.toFixed(2).padStart(6)} s  ${f.seconds <= PEM_BUDGET_SECONDS ? 'within budget' : 'OVER BUDGET'}`,
    );
}

if (opts.mergeCost) {
  for (const n of opts.mergeCost) {
    const m = await mergeCost(n);
    out(
      `merge of ${m.certificates} certificates from ${m.shards} shards: read ${s(m.readSeconds)}, link + rules + report ${s(m.evaluateSeconds)}, write ${s(m.writeSeconds)}; load ${m.load.start.toFixed(2)} -> ${m.load.end.toFixed(2)}`,
    );
    if (opts.json) process.stdout.write(`${JSON.stringify(m)}\n`);
  }
} else if (opts.shards) {
  const base = opts.quick ? QUICK_SHAPE : DEFAULT_SHAPE;
  const r = await runSharded({
    shape: opts.accounts ? { ...base, accounts: opts.accounts } : base,
    scale: opts.scale,
    shards: opts.shards,
    threads: opts.threads,
    log: (l) => out(`bench: ${l}`),
  });
  out(`\norganisation: ${r.shape.accounts} accounts x ${r.shape.regions} regions; ${r.certificates} certificates`);
  out(`one process:   ${s(r.singleSeconds)}`);
  for (const run of r.runs)
    out(
      `${String(run.shards).padStart(2)} shards:     ${s(run.shardSeconds)} + merge ${s(run.mergeSeconds)} = ${s(run.shardSeconds + run.mergeSeconds)}; same report: ${run.identical}`,
    );
  out(`load average:  ${r.load.start.toFixed(2)} at start, ${r.load.end.toFixed(2)} at the end (1 minute)`);
  if (opts.json) process.stdout.write(`${JSON.stringify(r)}\n`);
} else if (opts.pem) {
  const figures = runPem(opts.pemMb);
  printPem(figures);
  if (opts.json) process.stdout.write(`${JSON.stringify({ budgetSeconds: PEM_BUDGET_SECONDS, figures })}\n`);
  if (figures.some((f) => f.seconds > PEM_BUDGET_SECONDS)) process.exitCode = 1;
} else if (opts.engineOnly) {
  // A million records want more heap than V8's default; run again with room, once.
  const wantMb = Math.ceil(opts.certificates / 1000) * 12 + 1024;
  if (getHeapStatistics().heap_size_limit / 2 ** 20 < wantMb && !process.env.CERTWARDEN_BENCH_CHILD) {
    const r = spawnSync(process.execPath, [`--max-old-space-size=${wantMb}`, ...process.argv.slice(1)], {
      stdio: 'inherit',
      env: { ...process.env, CERTWARDEN_BENCH_CHILD: '1' },
    });
    process.exit(r.status ?? 1);
  }
  const e = runEngine(opts.certificates);
  printEngine(e);
  if (opts.json) process.stdout.write(`${JSON.stringify(e)}\n`);
} else {
  const r = await runBench({
    scale: opts.quick ? 1 : opts.scale,
    shape: opts.quick ? QUICK_SHAPE : DEFAULT_SHAPE,
    fullBaseline: opts.fullBaseline,
    // A small organisation does not repay a thread's start-up (loading the SDKs takes a second or two).
    threads: opts.threads ?? (opts.quick ? 1 : availableParallelism()),
    baselineSample: opts.quick ? 1 : opts.baselineSample,
    log: (l) => out(`bench: ${l}`),
  });
  printAudit(r);
  if (opts.json) {
    const { bound, shape, ...figures } = r;
    process.stdout.write(`${JSON.stringify({ ...figures, shape, slowestScope: bound.slowest })}\n`);
  }
}
