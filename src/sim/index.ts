/**
 * certwarden's local cloud: one HTTP server on loopback serving the simulated AWS (ACM, ELBv2,
 * STS, Organizations, Account) and Azure (Resource Manager, Key Vault) for a scenario, so the real
 * SDK clients run unchanged against it.
 */
import { ScenarioCa } from './template.js';
import { startSimServer, type SimServer } from './server.js';
import { awsServices, seedAws, type AwsWorld } from './aws/index.js';
import { azureServices, seedAzure, type AzureWorld } from './azure/index.js';
import type { SimOptions, SimService } from './types.js';
import type { Scenario } from './scenario.js';

export interface Simulator {
  server: SimServer;
  aws?: AwsWorld;
  azure?: AzureWorld;
  ca: ScenarioCa;
  now: Date;
}

export async function startSimulator(
  scenario: Scenario,
  opts: { now?: Date; options?: SimOptions; port?: number } = {},
): Promise<Simulator> {
  const now = opts.now ?? new Date();
  const ca = new ScenarioCa(now);
  const services: SimService[] = [];
  const aws = scenario.aws ? seedAws(scenario.aws, ca, now) : undefined;
  const azure = scenario.azure ? seedAzure(scenario.azure, ca, now) : undefined;
  // Key Vault claims requests by vault host, so Azure goes first; AWS requests are POSTs to "/".
  if (azure) services.push(...azureServices(azure));
  if (aws) services.push(...awsServices(aws));
  const server = await startSimServer(
    services,
    { ...scenario.sim, ...opts.options },
    { port: opts.port, now: () => now },
  );
  return { server, aws, azure, ca, now };
}

/** The first access key of the scenario, for the standard AWS environment variables. */
export function awsKeys(scenario: Scenario): { id: string; secret: string } | undefined {
  for (const a of scenario.aws?.accounts ?? []) if (a.accessKeys?.length) return a.accessKeys[0];
  return undefined;
}

export type { Scenario } from './scenario.js';
