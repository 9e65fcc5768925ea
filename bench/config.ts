/**
 * The certwarden config a user would write to audit the benchmark organisation, pointed at the
 * local simulator, and the process environment its credentials come from.
 */
import { parseConfig } from '../src/config/load.js';
import { useSimulatorCredentials } from '../src/sim/credentials.js';
import type { Config } from '../src/config/schema.js';
import { accountId, AUDITOR_KEY, AZURE_TOKEN, regionsOf, ROLE, subscriptionId, type Shape } from './scenario.js';

export const TOKEN_ENV = 'CERTWARDEN_BENCH_AZURE_TOKEN';

/** The bench's own credentials replace any real ones in this process: nothing real reaches the simulator. */
export function benchEnvironment(): void {
  useSimulatorCredentials(AUDITOR_KEY, TOKEN_ENV, AZURE_TOKEN);
}

/** Every scope may run at once: each has its own rate limits, so queuing scopes only adds time. */
export function scopeCount(shape: Shape): number {
  return 2 * shape.accounts * shape.regions + shape.subscriptions * shape.vaultsPerSubscription;
}

export function benchConfig(simUrl: string, shape: Shape): Config {
  return parseConfig(
    JSON.stringify({
      providers: {
        aws: {
          endpoint: simUrl,
          regions: regionsOf(shape),
          accounts: Array.from({ length: shape.accounts }, (_, i) => ({
            roleArn: `arn:aws:iam::${accountId(i + 1)}:role/${ROLE}`,
          })),
          services: { acm: true, elbv2: true, iam: false },
        },
        azure: {
          cloud: { resourceManager: simUrl },
          credential: { type: 'token', env: TOKEN_ENV },
          subscriptions: Array.from({ length: shape.subscriptions }, (_, i) => subscriptionId(i + 1)),
          concurrency: Math.min(256, shape.subscriptions * shape.vaultsPerSubscription),
        },
      },
      concurrency: Math.min(512, scopeCount(shape)),
    }),
    'bench config',
  );
}
