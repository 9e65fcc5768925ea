/**
 * Starts the simulated Azure in-process on a free port and runs the real provider (real
 * @azure/arm-keyvault and @azure/keyvault-certificates clients) against it.
 */
import { startSimServer, type SimServer } from '../../src/sim/server.js';
import type { SimOptions } from '../../src/sim/types.js';
import { ScenarioCa } from '../../src/sim/template.js';
import { azureServices, seedAzure, type AzureScenario, type AzureWorld } from '../../src/sim/azure/index.js';
import { configSchema, type Config } from '../../src/config/schema.js';
import { createAzureKeyVaultProvider } from '../../providers/azure-keyvault/index.js';
import type { Certificate, Inventory, ScopeError, ScopeStatus } from '../../src/model/types.js';
import { collectScope } from '../../src/engine/runtime/collect.js';
import type { Logger } from '../../src/engine/api/provider.js';

export const NOW = new Date('2025-06-01T00:00:00.000Z');
export const SUB_A = '0b1f6471-1bf0-4dda-aec3-111111111111';
export const SUB_B = '0b1f6471-1bf0-4dda-aec3-222222222222';
export const TOKEN_ENV = 'CERTWARDEN_TEST_AZURE_TOKEN';
export const TOKEN = 'sim-token-7f3c0d5e-do-not-print';

export const quiet: Logger = { info: () => {}, warn: () => {}, debug: () => {} };

export interface ScopeOutcome {
  account: string;
  location: string;
  status: ScopeStatus;
  error?: ScopeError;
  errors?: ScopeError[];
  certificates: Certificate[];
}

export interface AzureHarness {
  sim: SimServer;
  world: AzureWorld;
  config: Config;
  run(overrides?: Record<string, unknown>): Promise<ScopeOutcome[]>;
  close(): Promise<void>;
}

let caCache: ScenarioCa | undefined;

export async function startAzure(scenario: AzureScenario, options: SimOptions = {}): Promise<AzureHarness> {
  caCache ??= new ScenarioCa(NOW);
  const world = seedAzure({ token: TOKEN, ...scenario }, caCache, NOW);
  const sim = await startSimServer(azureServices(world), options, { now: () => NOW });
  process.env[TOKEN_ENV] = TOKEN;
  const configFor = (overrides: Record<string, unknown> = {}) =>
    configSchema.parse({
      providers: {
        azure: {
          cloud: { resourceManager: sim.url },
          credential: { type: 'token', env: TOKEN_ENV },
          subscriptions: ['all'],
          maxAttempts: 4,
          ...overrides,
        },
      },
    });
  const provider = createAzureKeyVaultProvider({ minDelayMs: 5 });
  return {
    sim,
    world,
    config: configFor(),
    async run(overrides) {
      const config = configFor(overrides);
      const out: ScopeOutcome[] = [];
      for await (const scope of provider.scopes({ config, log: quiet })) {
        // As the engine collects it: a failure or a loss is recorded on the scope, never thrown.
        const sink: Inventory = { certificates: [], bindings: [], scopes: [] };
        const r = await collectScope(provider, scope, { config, log: quiet, now: NOW }, sink);
        out.push({
          account: r.account,
          location: r.location,
          status: r.status,
          ...(r.error ? { error: r.error } : {}),
          ...(r.errors ? { errors: r.errors } : {}),
          certificates: sink.certificates,
        });
      }
      return out;
    },
    close: () => sim.close(),
  };
}
