/**
 * The benchmark's logic at a tiny scale: the figures it prints as JSON are all there, no call
 * failed, the incremental second run makes a fraction of the first run's calls. Timing is only
 * sanity-checked: a test machine's speed is not the subject here.
 */
import { runBench } from '../../bench/audit.js';
import type { Shape } from '../../bench/scenario.js';

const TINY: Shape = {
  accounts: 2,
  regions: 1,
  certificatesPerRegion: 20,
  loadBalancersPerRegion: 4,
  subscriptions: 1,
  vaultsPerSubscription: 1,
  certificatesPerVault: 25,
};

test('a tiny benchmark: every figure present, zero failures, a small second run', async () => {
  const r = await runBench({
    scale: 1,
    shape: TINY,
    thread: false,
    baselineSample: 1,
    latency: { fixedMs: 5, jitterMs: 5 },
  });
  for (const key of [
    'wallSeconds',
    'boundSeconds',
    'ratio',
    'calls',
    'failedCalls',
    'throttled',
    'retries',
    'baselineSeconds',
    'speedup',
    'firstRunCalls',
    'secondRunCalls',
    'peakRssMb',
    'scale',
  ] as const) {
    expect(typeof r[key]).toBe('number');
    expect(Number.isFinite(r[key])).toBe(true);
  }
  expect(r.certificates).toBe(2 * 20 + 25);
  expect(r.failedCalls).toBe(0);
  expect(r.failedScopes).toBe(0);
  // Throttles are retried (and counted), not failures; on a loaded test machine a few may happen.
  expect(r.retries).toBeGreaterThanOrEqual(r.throttled);
  expect(r.secondRunCalls).toBeLessThan(r.firstRunCalls * 0.4);
  expect(r.secondRunSameInventory).toBe(true);
  expect(r.boundSeconds).toBeGreaterThan(0);
  expect(r.ratio).toBeGreaterThanOrEqual(1);
  expect(r.ratio).toBeLessThan(100); // sanity only: a busy CI machine is slow
  expect(r.baselineExtrapolated).toBe(true);
  expect(r.bound.slowest?.busiest?.api).toMatch(/GetCertificate|DescribeCertificate|Describe/);
}, 120_000);
