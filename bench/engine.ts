/**
 * The rule engine and the JSON writer alone, on a synthetic inventory of any size
 * (`bench/synthetic.ts`): link, every rule at its defaults, then the report streamed to disk.
 */
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { rmSync, statSync } from 'node:fs';
import { activeRules } from '../src/config/load.js';
import { configSchema } from '../src/config/schema.js';
import { evaluate } from '../src/engine/runtime/evaluate.js';
import { link } from '../src/engine/api/link.js';
import { buildReport, jsonChunks } from '../src/report/json.js';
import { writeAtomic } from '../src/report/write.js';
import { RULES } from '../rules/index.js';
import { syntheticInventory } from './synthetic.js';

export interface EngineFigures {
  certificates: number;
  bindings: number;
  findings: number;
  buildSeconds: number;
  ruleSeconds: number;
  reportSeconds: number;
  jsonMb: number;
  peakRssMb: number;
  /** CPU time of the process (user + system) per phase: other work on a shared machine inflates wall time only. */
  ruleCpuSeconds: number;
  reportCpuSeconds: number;
  /** The 1-minute load average when the run started and when it ended. */
  loadAtStart: number;
  loadAtEnd: number;
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

export function runEngine(certificates: number, bindings = Math.round(certificates / 2)): EngineFigures {
  const now = new Date('2026-01-15T00:00:00Z');
  const loadAtStart = loadavg()[0];
  let t = performance.now();
  const inv = syntheticInventory(certificates, bindings, now);
  const buildSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  let cpu = cpuSeconds();
  const linked = link(inv, { 'aws-acm': ['aws-elbv2'], 'azure-keyvault': [] });
  const findings = evaluate(activeRules(configSchema.parse({}), RULES), linked, now);
  const ruleSeconds = (performance.now() - t) / 1000;
  const ruleCpuSeconds = cpuSeconds() - cpu;
  t = performance.now();
  cpu = cpuSeconds();
  const report = buildReport({
    inventory: linked,
    findings,
    now,
    startedAt: now,
    finishedAt: now,
    configDigest: 'bench',
  });
  const out = join(tmpdir(), `certwarden-bench-${process.pid}.json`);
  writeAtomic(out, jsonChunks(report));
  const reportSeconds = (performance.now() - t) / 1000;
  const reportCpuSeconds = cpuSeconds() - cpu;
  const jsonMb = statSync(out).size / 2 ** 20;
  rmSync(out, { force: true });
  return {
    certificates,
    bindings,
    findings: findings.length,
    buildSeconds,
    ruleSeconds,
    reportSeconds,
    jsonMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    ruleCpuSeconds,
    reportCpuSeconds,
    loadAtStart,
    loadAtEnd: loadavg()[0],
  };
}
