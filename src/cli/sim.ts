import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { awsKeys, startSimulator } from '../sim/index.js';
import { loadScenario, type Scenario } from '../sim/scenario.js';
import { writeScenarioFiles } from '../sim/files.js';
import {
  DEMO_SCENARIO,
  DEMO_TOKEN_ENV,
  DEMO_PROD,
  DEMO_DEV,
  DEMO_EXTERNAL_ID,
  DEMO_KEY,
  DEMO_TOKEN,
} from '../sim/scenarios/demo.js';

export interface SimCommandOptions {
  scenario?: string;
  port?: number;
  rateLimits?: boolean;
  latencyMs?: number;
}

/** `certwarden sim`: the local cloud, standalone, with what to point certwarden or any SDK tool at. */
export async function runSim(opts: SimCommandOptions): Promise<void> {
  const scenario: Scenario = opts.scenario ? loadScenario(opts.scenario) : DEMO_SCENARIO;
  const options = {
    ...(opts.rateLimits ? { rateLimits: true } : {}),
    ...(opts.latencyMs ? { latency: { fixedMs: opts.latencyMs, jitterMs: opts.latencyMs / 2 } } : {}),
  };
  const sim = await startSimulator(scenario, { port: opts.port, options });
  const url = sim.server.url;
  const keys = awsKeys(scenario);
  const lines = [`certwarden local cloud listening on ${url}`, ''];
  if (scenario.aws) {
    lines.push('AWS (ACM, ELBv2, IAM, STS, Organizations, Account) — for certwarden or any AWS SDK/CLI tool:');
    lines.push(`  export AWS_ENDPOINT_URL=${url}`);
    // The bundled estate's keys are demo-only and open nothing real; a scenario file's stay in that file.
    const secret = opts.scenario ? '<the secret from the scenario file>' : DEMO_KEY.secret;
    if (keys) lines.push(`  export AWS_ACCESS_KEY_ID=${keys.id}`, `  export AWS_SECRET_ACCESS_KEY=${secret}`);
    lines.push('  export AWS_REGION=us-east-1', '');
  }
  if (scenario.azure) {
    lines.push(
      'Azure (Resource Manager: Key Vault, Application Gateway, App Service, Front Door; the Key Vault data plane) — vault URLs stay https://<vault>.vault.azure.net and are routed here:',
    );
    lines.push(
      `  export ${DEMO_TOKEN_ENV}=${opts.scenario ? '<the token from the scenario file, or any token when it sets none>' : DEMO_TOKEN}`,
      '',
    );
  }
  const config: Record<string, unknown> = { providers: {} };
  const providers = config.providers as Record<string, unknown>;
  if (scenario.aws) {
    providers.aws = opts.scenario
      ? { endpoint: url, regions: scenarioRegions(scenario) }
      : {
          endpoint: url,
          regions: ['us-east-1', 'eu-west-1'],
          accounts: [
            { roleArn: `arn:aws:iam::${DEMO_PROD}:role/certwarden-audit`, externalId: DEMO_EXTERNAL_ID },
            { roleArn: `arn:aws:iam::${DEMO_DEV}:role/certwarden-audit` },
          ],
        };
  }
  if (scenario.azure)
    providers.azure = {
      cloud: { resourceManager: url },
      credential: { type: 'token', env: DEMO_TOKEN_ENV },
      subscriptions: ['all'],
    };
  let dir: string | undefined;
  if (scenario.files) {
    dir = mkdtempSync(join(tmpdir(), 'certwarden-sim-files-'));
    writeScenarioFiles(dir, scenario.files, sim.ca, sim.now);
    providers.files = { paths: [dir] };
  }
  lines.push(
    'A certwarden config for it (save as sim.yaml, then `certwarden audit -c sim.yaml`):',
    '',
    stringify(config).replace(/^/gm, '  '),
    'Press Ctrl-C to stop.',
  );
  process.stderr.write(lines.join('\n') + '\n');
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  process.stderr.write(`\n${sim.server.calls.length} calls served; stopping.\n`);
  await sim.server.close();
  // The certificate files were written for this session only.
  if (dir) rmSync(dir, { recursive: true, force: true });
}

/** Every region some account of the scenario holds, in the order the file names them. */
function scenarioRegions(scenario: Scenario): string[] {
  const regions = new Set<string>();
  for (const a of scenario.aws?.accounts ?? []) for (const r of Object.keys(a.regions ?? {})) regions.add(r);
  return regions.size ? [...regions] : ['us-east-1'];
}
