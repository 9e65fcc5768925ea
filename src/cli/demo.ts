import { join, resolve } from 'node:path';
import { rmSync } from 'node:fs';
import type { Logger } from '../engine/api/provider.js';
import { parseConfig } from '../config/load.js';
import { startSimulator } from '../sim/index.js';
import { writeScenarioFiles } from '../sim/files.js';
import { useSimulatorCredentials } from '../sim/credentials.js';
import {
  DEMO_DEV,
  DEMO_EXTERNAL_ID,
  DEMO_KEY,
  DEMO_PROD,
  DEMO_SCENARIO,
  DEMO_TLS_NAMES,
  DEMO_TLS_SITES,
  DEMO_TOKEN,
  DEMO_TOKEN_ENV,
} from '../sim/scenarios/demo.js';
import { siteFromTemplate, startTlsServer } from '../sim/tls.js';
import { exitCode, runAudit, writeJson } from './audit.js';
import { summaryText } from './summary.js';
import { writeFormats } from './report.js';
import { FORMATS } from '../report/formats.js';

export interface DemoOptions {
  outDir: string;
  log: Logger;
  now?: Date;
}

type TlsEndpoints = Array<{ host: string; port: number; servername: string }>;

/** The config a user would write to audit the demo estate (endpoints point at the local simulator). */
export function demoConfig(simUrl: string, certDir: string, tlsEndpoints: TlsEndpoints = []) {
  return parseConfig(JSON.stringify(demoConfigData(simUrl, certDir, tlsEndpoints)), 'demo config');
}

/** The demo config as the file a user would write holds it. */
export function demoConfigData(simUrl: string, certDir: string, tlsEndpoints: TlsEndpoints = []) {
  return {
    providers: {
      files: { paths: [certDir] },
      aws: {
        endpoint: simUrl,
        regions: ['us-east-1', 'eu-west-1'],
        accounts: [
          { roleArn: `arn:aws:iam::${DEMO_PROD}:role/certwarden-audit`, externalId: DEMO_EXTERNAL_ID },
          { roleArn: `arn:aws:iam::${DEMO_DEV}:role/certwarden-audit` },
        ],
      },
      azure: {
        cloud: { resourceManager: simUrl },
        credential: { type: 'token', env: DEMO_TOKEN_ENV },
        subscriptions: ['all'],
      },
      ...(tlsEndpoints.length ? { tls: { endpoints: tlsEndpoints, timeoutMs: 5000 } } : {}),
    },
    // Tags name most owners; the development account and the certificate files are mapped.
    owners: {
      tags: ['owner', 'team'],
      map: [
        { account: DEMO_DEV, owner: 'platform' },
        { path: `${certDir}/**`, owner: 'on-prem-ops' },
      ],
    },
  };
}

/**
 * A full audit of the bundled estate through the real AWS and Azure SDK clients against the
 * local simulator, so a user sees certwarden work before giving it credentials.
 */
export async function runDemo(opts: DemoOptions): Promise<number> {
  const now = opts.now ?? new Date();
  const outDir = resolve(opts.outDir);
  const certDir = join(outDir, 'certs');
  const sim = await startSimulator(DEMO_SCENARIO, { now });
  const tls = await startTlsServer(DEMO_TLS_SITES.map((s) => siteFromTemplate(sim.ca, s.cert, now, s.names, s.chain)));
  try {
    rmSync(certDir, { recursive: true, force: true });
    writeScenarioFiles(certDir, DEMO_SCENARIO.files ?? {}, sim.ca, now);
    useSimulatorCredentials(DEMO_KEY, DEMO_TOKEN_ENV, DEMO_TOKEN);
    const endpoints = DEMO_TLS_NAMES.map((servername) => ({ host: tls.host, port: tls.port, servername }));
    opts.log.info(
      `local cloud simulator on ${sim.server.url}; auditing 2 AWS accounts x 2 regions, 2 Azure subscriptions, ${certDir} and ${endpoints.length} TLS endpoints on ${tls.host}:${tls.port}`,
    );
    const { report } = await runAudit({ config: demoConfig(sim.server.url, certDir, endpoints), now, log: opts.log });
    const jsonPath = join(outDir, 'report.json');
    writeJson(report, jsonPath);
    writeFormats(report, [...FORMATS], {
      output: jsonPath,
      outDir,
      failOn: 'high',
      log: { ...opts.log, info: (m) => opts.log.debug(m) },
    });
    process.stderr.write(`\n${summaryText(report)}\n`);
    opts.log.info(`${sim.server.calls.length} API calls served by the simulator; reports written to ${outDir}/`);
    // The demo's findings are intended; only an incomplete run (beyond the deliberately locked vault) is worth a non-zero exit.
    return report.scopes.some((s) => s.status !== 'ok' && s.location !== 'kv-prod-locked')
      ? exitCode(report, 'none')
      : 0;
  } finally {
    await Promise.all([sim.server.close(), tls.close()]);
  }
}
