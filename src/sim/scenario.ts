import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { AwsScenario } from './aws/index.js';
import type { AzureScenario } from './azure/index.js';
import type { FileSpec } from './files.js';
import type { SimOptions } from './types.js';

/**
 * A scenario: what the local cloud holds. `aws` and `azure` are served over their wire
 * protocols; `files` are written to disk for the `files` provider.
 */
export interface Scenario {
  aws?: AwsScenario;
  azure?: AzureScenario;
  /** Relative path -> certificate (`der`: DER bytes, `chain`: append the chain, `copyOf`: another file's bytes). */
  files?: Record<string, FileSpec>;
  /** Latency, rate limits, faults and a permission allow-list, as the simulator's options. */
  sim?: SimOptions;
}

const KEYS = new Set(['aws', 'azure', 'files', 'sim']);

export function loadScenario(file: string): Scenario {
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  if (!raw || typeof raw !== 'object' || Array.isArray(raw))
    throw new Error(`${file}: a scenario is a mapping with aws, azure, files and sim keys`);
  for (const k of Object.keys(raw))
    if (!KEYS.has(k)) throw new Error(`${file}: unknown scenario key "${k}" (expected aws, azure, files, sim)`);
  const s = raw as Scenario;
  if (s.aws && !Array.isArray(s.aws.accounts)) throw new Error(`${file}: aws.accounts must be a list`);
  if (s.azure && !Array.isArray(s.azure.subscriptions)) throw new Error(`${file}: azure.subscriptions must be a list`);
  return s;
}
