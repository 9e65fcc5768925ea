import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../../src/sim/scenario.js';
import { startSimulator } from '../../src/sim/index.js';
import { writeScenarioFiles } from '../../src/sim/files.js';
import { parseConfig } from '../../src/config/load.js';
import { runAudit } from '../../src/cli/audit.js';

const file = fileURLToPath(new URL('../../docs/examples/scenario.yaml', import.meta.url));
const quiet = { info: () => {}, warn: () => {}, debug: () => {} };

test('the documented example scenario loads, serves, and audits through every provider', async () => {
  const scenario = loadScenario(file);
  const now = new Date('2026-03-01T00:00:00Z');
  const sim = await startSimulator(scenario, { now });
  try {
    const dir = mkdtempSync(join(tmpdir(), 'cw-scn-'));
    writeScenarioFiles(dir, scenario.files!, sim.ca, now);
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE000000001',
      AWS_SECRET_ACCESS_KEY: 'example-secret-opens-nothing',
      AWS_REGION: 'us-east-1',
      CW_EXAMPLE_TOKEN: 'example-token',
    });
    const config = parseConfig(
      JSON.stringify({
        providers: {
          files: { paths: [dir] },
          aws: { endpoint: sim.server.url, regions: ['us-east-1'], retryDelayMs: 20 },
          azure: { cloud: { resourceManager: sim.server.url }, credential: { type: 'token', env: 'CW_EXAMPLE_TOKEN' } },
        },
      }),
    );
    const { report } = await runAudit({ config, now, log: quiet });
    expect(report.scopes.map((s) => `${s.provider}:${s.status}`).sort()).toEqual([
      'aws-acm:ok',
      'aws-elbv2:ok',
      'aws-iam:ok',
      'azure-appgateway:ok',
      'azure-appservice:ok',
      'azure-frontdoor:ok',
      'azure-keyvault:ok',
      'files:ok',
    ]);
    expect(report.certificates.filter((c) => c.provider === 'aws-acm')).toHaveLength(32);
    expect(report.certificates.filter((c) => c.provider === 'azure-keyvault')).toHaveLength(2);
    expect(report.bindings.map((b) => b.certificateUid?.split(':')[0])).toEqual(['aws-acm', 'aws-acm']);
    expect(report.summary.byRule['cert-expiring']).toBe(2);
    // The scenario's faults were served (throttles on GetCertificate) and absorbed by retries.
    expect(sim.server.calls.some((c) => c.fault === 'throttle')).toBe(true);
  } finally {
    await sim.server.close();
  }
}, 60_000);
