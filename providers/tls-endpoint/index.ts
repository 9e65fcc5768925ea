/**
 * TLS endpoints: connects to the endpoints the config lists (and, when asked, the load balancers
 * and certificate names the other providers found), completes a handshake with SNI and records
 * the certificate and chain actually served. One scope per endpoint: an unreachable one fails
 * alone, with the reason. Runs after the other providers, since it may take targets from them.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { TlsConfig } from '../../src/config/schema.js';
import type { Certificate, Inventory } from '../../src/model/types.js';
import {
  scopeHandle,
  type CollectContext,
  type Provider,
  type Scope,
  type ScopeContext,
} from '../../src/engine/api/provider.js';
import { handshake } from './connect.js';
import { ACCOUNT, toRecords } from './map.js';
import { targets, type Target } from './targets.js';

/** Handshakes at once per run: the engine's scope concurrency is shared with every provider. */
const limits = new WeakMap<TlsConfig, LimitFunction>();
const limitOf = (cfg: TlsConfig) => limits.get(cfg) ?? limits.set(cfg, pLimit(cfg.concurrency)).get(cfg)!;

/** Inventory certificates by fingerprint, first by uid so the choice is stable run to run. */
const indexes = new WeakMap<Inventory, Map<string, Certificate>>();
function byFingerprint(inv: Inventory | undefined): (fp: string) => Certificate | undefined {
  if (!inv) return () => undefined;
  let index = indexes.get(inv);
  if (!index) {
    index = new Map();
    for (const c of [...inv.certificates].sort((a, b) => a.uid.localeCompare(b.uid)))
      if (c.fingerprintSha256 && !index.has(c.fingerprintSha256)) index.set(c.fingerprintSha256, c);
    indexes.set(inv, index);
  }
  return (fp) => index.get(fp);
}

export const tlsEndpoint: Provider<Target> = {
  id: 'tls-endpoint',
  title: 'TLS endpoints (the certificate actually served)',
  needsInventory: true,
  enabled: (config) => !!config.providers.tls,
  // eslint-disable-next-line @typescript-eslint/require-await -- the Provider contract is an async iterable; these scopes need no I/O to list
  async *scopes(ctx: ScopeContext): AsyncGenerator<Scope<Target>> {
    const cfg = ctx.config.providers.tls!;
    const { targets: list, skipped } = targets(cfg, ctx.inventory);
    if (skipped)
      ctx.log.warn(`tls-endpoint: ${skipped} endpoint(s) beyond maxEndpoints (${cfg.maxEndpoints}) were not contacted`);
    for (const t of list) yield { provider: 'tls-endpoint', account: ACCOUNT, location: t.key, handle: t };
  },
  async *collect(scope: Scope<Target>, ctx: CollectContext) {
    const cfg = ctx.config.providers.tls!;
    const t = scopeHandle(scope);
    const hs = await limitOf(cfg)(() => handshake(t, cfg.timeoutMs, ctx.signal));
    yield* toRecords(t, hs, byFingerprint(ctx.inventory));
  },
};

export default tlsEndpoint;
