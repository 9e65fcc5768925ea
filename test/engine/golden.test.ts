/**
 * Pins what link + rules + the JSON report make of a deterministic synthetic inventory, so that
 * work on the engine's speed or memory cannot change a finding or a byte of the report. The
 * expected figures live in test/fixtures/engine-golden.json; a deliberate change of rules or
 * report shape rewrites them with CERTWARDEN_UPDATE_GOLDEN=1 and shows in review as a diff.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { activeRules } from '../../src/config/load.js';
import { configSchema } from '../../src/config/schema.js';
import { evaluate } from '../../src/engine/runtime/evaluate.js';
import { link } from '../../src/engine/api/link.js';
import { buildReport, jsonChunks } from '../../src/report/json.js';
import { RULES } from '../../rules/index.js';
import { syntheticInventory } from '../../bench/synthetic.js';

const GOLDEN = new URL('../fixtures/engine-golden.json', import.meta.url);

interface Golden {
  certificates: number;
  bindings: number;
  findings: number;
  byRule: Record<string, number>;
  findingIdsSha256: string;
  reportSha256: string;
  reportBytes: number;
}

function run(): Golden {
  const now = new Date('2026-01-15T00:00:00Z');
  const inv = syntheticInventory(2000, 1000, now);
  const linked = link(inv, { 'aws-acm': ['aws-elbv2'], 'azure-keyvault': [] });
  const findings = evaluate(activeRules(configSchema.parse({}), RULES), linked, now);
  const report = buildReport({
    inventory: linked,
    findings,
    now,
    startedAt: now,
    finishedAt: now,
    configDigest: 'golden',
  });
  // The tool's version changes with every release, not with the engine.
  report.tool = { ...report.tool, version: '0.0.0' };
  const hash = createHash('sha256');
  let reportBytes = 0;
  for (const chunk of jsonChunks(report)) {
    hash.update(chunk);
    reportBytes += Buffer.byteLength(chunk);
  }
  const ids = findings.map((f) => f.id).sort();
  return {
    certificates: inv.certificates.length,
    bindings: inv.bindings.length,
    findings: findings.length,
    byRule: report.summary.byRule,
    findingIdsSha256: createHash('sha256').update(ids.join('\n')).digest('hex'),
    reportSha256: hash.digest('hex'),
    reportBytes,
  };
}

describe('engine golden output', () => {
  test('link + rules + JSON report give the pinned findings and bytes', () => {
    const got = run();
    if (process.env.CERTWARDEN_UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, `${JSON.stringify(got, null, 2)}\n`);
    const want = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Golden;
    // Every rule that fires at a million records fires here too, so none escapes the pin.
    expect(Object.keys(want.byRule).length).toBeGreaterThanOrEqual(8);
    expect(got).toEqual(want);
  });

  test('the report is the same when the same inventory is run twice in one process', () => {
    expect(run()).toEqual(run());
  });
});
