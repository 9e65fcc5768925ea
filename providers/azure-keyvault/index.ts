/**
 * Azure Key Vault certificates. Scopes are vaults, discovered through Resource Manager in each
 * configured subscription (or every subscription the credential sees); each vault's certificates
 * are listed and read through the data plane. A subscription whose vaults cannot be listed, or a
 * vault that denies us (RBAC, access policy, firewall), fails alone; the rest goes on.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import type { Certificate } from '../../src/model/types.js';
import {
  readItem,
  scopeHandle,
  type CollectContext,
  type Provider,
  type Scope,
  type ScopeContext,
} from '../../src/engine/api/provider.js';
import { toCollectError } from '../../src/engine/api/collect-error.js';
import { KEY_VAULT_PERMISSIONS } from '../azure-shared/permissions.js';
import { serviceEntries, SKIPPED_STATES, subscriptionEntry, vaultEntry } from '../azure-shared/coverage.js';
import { checkVaultUri } from '../azure-shared/cloud.js';
import { listSubscriptions } from '../azure-shared/arm.js';
import { azureFacts } from '../azure-shared/errors.js';
import { openSession, type AzureSession, type AzureSessionOptions } from '../azure-shared/session.js';
import { listVaults, vaultReader, type ListedCertificate, type VaultSummary } from './fetch.js';
import { mapCertificate, PROVIDER_ID, refreshState, uidOf } from './map.js';
import { listDigest, reusable, stamp } from '../../src/engine/runtime/incremental.js';
import { callPriority } from '../../src/net/priority.js';

/** Certificates read at once within one vault; a page holds at most 25. */
const GETS_PER_VAULT = 8;
/** Subscriptions that are gone or switched off have nothing to read. */

export interface VaultHandle {
  session: AzureSession;
  vaultUri: string;
  slots: LimitFunction;
}

/** Holds one of `limit`'s slots until the returned release is called. */
function acquire(limit: LimitFunction): Promise<() => void> {
  return new Promise((granted) => void limit(() => new Promise<void>((release) => granted(release))));
}

export function createAzureKeyVaultProvider(options: AzureSessionOptions = {}): Provider<VaultHandle> {
  async function vaultsOf(
    session: AzureSession,
    slots: LimitFunction,
    subscriptionId: string,
    signal?: AbortSignal,
  ): Promise<Scope<VaultHandle>[]> {
    const vaults: VaultSummary[] = [];
    try {
      for await (const v of listVaults(session, subscriptionId, signal)) vaults.push(v);
    } catch (err) {
      const e = toCollectError(err, 'Vaults_ListBySubscription', {
        where: `subscription ${subscriptionId}`,
        describe: azureFacts,
      });
      return [
        {
          provider: PROVIDER_ID,
          account: subscriptionId,
          location: '*',
          error: { code: e.code, message: e.message, operation: e.operation },
        },
      ];
    }
    return vaults.map((v) => {
      const origin = { provider: PROVIDER_ID, account: subscriptionId, location: v.name };
      const bad = checkVaultUri(v.vaultUri, session.cloud);
      if (bad || !v.vaultUri)
        return {
          ...origin,
          error: {
            code: bad?.code ?? 'InvalidVaultUri',
            message: `vault ${v.name}: ${bad?.message ?? 'no vaultUri'}`,
            operation: 'Vaults_ListBySubscription',
          },
        };
      const handle: VaultHandle = { session, slots, vaultUri: v.vaultUri };
      return { ...origin, handle };
    });
  }

  return {
    id: PROVIDER_ID,
    title: 'Azure Key Vault certificates',
    // A gateway, app or Front Door profile of another subscription may use a vault's certificate
    // (App Service imports across subscriptions, an Application Gateway names any vault its
    // identity can read); see docs/permissions.md for the sources.
    referencedAs: { refKind: 'keyvault', reach: 'anywhere' },
    permissions: KEY_VAULT_PERMISSIONS,
    enabled: (config) => config.providers.azure?.services.keyVault === true,

    async *scopes(ctx: ScopeContext): AsyncIterable<Scope<VaultHandle>> {
      const config = ctx.config.providers.azure;
      if (!config) return;
      let session: AzureSession;
      try {
        session = await openSession(config, ctx.log, options, ctx.signal);
      } catch (err) {
        const e = toCollectError(err, 'GetMetadataEndpoints', { where: 'Azure', describe: azureFacts });
        yield {
          provider: PROVIDER_ID,
          account: '*',
          location: '*',
          error: { code: e.code, message: e.message, operation: e.operation },
        };
        return;
      }
      const slots = pLimit(config.concurrency);
      let ids = config.subscriptions.filter((s) => s.toLowerCase() !== 'all');
      if (config.subscriptions.some((s) => s.toLowerCase() === 'all')) {
        try {
          const seen = new Set(ids.map((s) => s.toLowerCase()));
          for await (const sub of listSubscriptions(session, ctx.signal)) {
            if (!seen.has(sub.subscriptionId.toLowerCase()))
              ctx.discovered?.(subscriptionEntry(sub, 'list-subscriptions'));
            if (SKIPPED_STATES.has(sub.state ?? ''))
              ctx.log.info(`azure: subscription ${sub.subscriptionId} is ${sub.state}; skipped`);
            else if (!seen.has(sub.subscriptionId.toLowerCase())) ids.push(sub.subscriptionId);
            seen.add(sub.subscriptionId.toLowerCase());
          }
        } catch (err) {
          const e = toCollectError(err, 'Subscriptions_List', { where: 'listing subscriptions', describe: azureFacts });
          yield {
            provider: PROVIDER_ID,
            account: '*',
            location: '*',
            error: { code: e.code, message: e.message, operation: e.operation },
          };
        }
      }
      ids = [...new Set(ids)];
      for (const e of serviceEntries(config)) ctx.discovered?.(e);
      for (const id of config.subscriptions)
        if (id.toLowerCase() !== 'all') ctx.discovered?.(subscriptionEntry({ subscriptionId: id }, 'config'));
      // Subscriptions are listed a few at a time, and yielded in their order as each one is done.
      const listing = pLimit(config.concurrency);
      const tasks = ids.map((id) => listing(() => vaultsOf(session, slots, id, ctx.signal)));
      for (const task of tasks)
        for (const scope of await task) {
          if (scope.location !== '*') ctx.discovered?.(vaultEntry(scope.account, scope.location));
          yield scope;
        }
    },

    async *collect(scope: Scope<VaultHandle>, ctx: CollectContext): AsyncIterable<Certificate> {
      const handle = scopeHandle(scope);
      // Vaults are read a few at a time across the whole run (providers.azure.concurrency).
      const release = await acquire(handle.slots);
      // Cancelling the audit cancels the reads in flight; one certificate that cannot be read does not.
      const stop = new AbortController();
      const onAbort = () => stop.abort(ctx.signal?.reason);
      ctx.signal?.addEventListener('abort', onAbort, { once: true });
      // The reads still to make, stated for the thread's priority (src/net/priority.ts).
      const work = callPriority.work(handle.session.limits.perSecond('keyvault'));
      try {
        const reader = vaultReader(handle.session, handle.vaultUri);
        const vault = { subscriptionId: scope.account, name: scope.location, vaultUri: handle.vaultUri };
        const gets = pLimit(GETS_PER_VAULT);
        // Reads are cancelled with the vault (`stop`), and counted together for readItem's streak.
        const reading = { lose: ctx.lose, signal: stop.signal };
        let stopped: unknown;
        const pages = reader.listed(stop.signal);
        // The next page is asked for while this page's certificates are read.
        const listNext = () => {
          const p = pages.next();
          p.catch(() => {}); // awaited below; this only keeps an early failure from going unhandled
          return p;
        };
        let pending = listNext();
        while (true) {
          let next: IteratorResult<ListedCertificate[]>;
          try {
            next = await pending;
          } catch (err) {
            throw toCollectError(err, 'GetCertificates', { where: `vault ${scope.location}`, describe: azureFacts });
          }
          if (next.done) break;
          pending = listNext();
          const read = next.value.map(async ({ name, item }): Promise<Certificate | undefined> => {
            // An unchanged list item (same x5t, attributes, tags): last run's record stands.
            const digest = ctx.incremental ? listDigest(item) : '';
            const uid = uidOf(item.id as string | undefined, handle.vaultUri, name);
            const kept = ctx.incremental && reusable(ctx.incremental, uid, digest, ctx.now);
            if (kept) return refreshState(kept, ctx.now);
            work.add(1);
            // A certificate that cannot be read is missing, named in the scope's result; the rest are not.
            const cert = await gets(async () => {
              work.took();
              if (stop.signal.aborted) return undefined;
              return readItem(reading, `certificate ${name}`, async () => {
                try {
                  return await reader.get(name, stop.signal);
                } catch (err) {
                  throw toCollectError(err, 'GetCertificate', {
                    where: `vault ${scope.location}`,
                    describe: azureFacts,
                  });
                }
              });
            }).catch((err: unknown) => {
              // Too many reads failed in a row: the vault stops, and the reads in flight are cancelled.
              stopped ??= err;
              stop.abort();
              throw err;
            });
            if (!cert) return undefined;
            const record = mapCertificate(cert, vault, ctx.now);
            return ctx.incremental ? stamp(record, digest, ctx.now) : record;
          });
          // Every certificate read is kept, even when the vault then stops.
          for (const r of await Promise.allSettled(read)) if (r.status === 'fulfilled' && r.value) yield r.value;
          // eslint-disable-next-line @typescript-eslint/only-throw-error -- the read's own failure, rethrown as it came
          if (stopped) throw stopped;
        }
      } finally {
        work.end();
        stop.abort();
        ctx.signal?.removeEventListener('abort', onAbort);
        release();
      }
    },
  };
}

export const azureKeyVault: Provider<VaultHandle> = createAzureKeyVaultProvider();
export default azureKeyVault;
