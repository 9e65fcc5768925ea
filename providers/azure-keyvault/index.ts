/**
 * Azure Key Vault certificates. Scopes are vaults, discovered through Resource Manager in each
 * configured subscription (or every subscription the credential sees); each vault's certificates
 * are listed and read through the data plane. A subscription whose vaults cannot be listed, or a
 * vault that denies us (RBAC, access policy, firewall), fails alone; the rest goes on.
 */
import pLimit, { type LimitFunction } from 'p-limit';
import { scopeHandle, type Provider, type Scope, type ScopeContext } from '../../src/engine/api/provider.js';
import { defineKind } from '../../src/engine/api/resource-kind.js';
import { toCollectError } from '../../src/engine/api/collect-error.js';
import { KEY_VAULT_PERMISSIONS } from '../azure-shared/permissions.js';
import { serviceEntries, SKIPPED_STATES, subscriptionEntry, vaultEntry } from '../azure-shared/coverage.js';
import { checkVaultUri } from '../azure-shared/cloud.js';
import { listSubscriptions } from '../azure-shared/arm.js';
import { azureFacts } from '../azure-shared/errors.js';
import { openSession, type AzureSession, type AzureSessionOptions } from '../azure-shared/session.js';
import { listVaults, vaultReader, type ListedCertificate, type VaultReader, type VaultSummary } from './fetch.js';
import { mapCertificate, PROVIDER_ID, refreshState, uidOf, type VaultRef } from './map.js';

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

/** One vault's reader, and the run-wide vault slot it holds while the vault is read. */
interface VaultSession {
  h: VaultHandle;
  vault: VaultRef;
  reader: VaultReader;
  now: Date;
  release?: () => void;
}

/** A listed certificate with its vault, which its uid falls back on. */
type Listed = ListedCertificate & { vaultUri: string };

/**
 * The certificates of one vault. Listing and the get are required; nothing only enriches: the
 * list item carries the tags and the get carries the bytes with the policy, both under
 * `certificates/read` (fetch.ts), so no part of a record can be denied on its own.
 */
const certificates = defineKind({
  open: (scope: Scope<VaultHandle>, ctx): VaultSession => {
    const h = scopeHandle(scope);
    return {
      h,
      vault: { subscriptionId: scope.account, name: scope.location, vaultUri: h.vaultUri },
      reader: vaultReader(h.session, h.vaultUri),
      now: ctx.now,
    };
  },
  close: (v) => v.release?.(),
  async *list(v, c) {
    // Vaults are read a few at a time across the whole run (providers.azure.concurrency).
    v.release = await acquire(v.h.slots);
    try {
      for await (const page of v.reader.listed(c.signal))
        yield page.map((l): Listed => ({ ...l, vaultUri: v.h.vaultUri }));
    } catch (err) {
      throw toCollectError(err, 'GetCertificates', { where: `vault ${v.vault.name}`, describe: azureFacts });
    }
  },
  describe: (l: Listed) => `certificate ${l.name}`,
  uid: (l) => uidOf(l.item.id as string | undefined, l.vaultUri, l.name),
  // An unchanged list item (same x5t, attributes, tags): last night's record stands.
  digest: (l) => l.item,
  reuse: refreshState,
  read: {
    slots: () => GETS_PER_VAULT,
    perSecond: (v) => v.h.session.limits.perSecond('keyvault'),
    async call(v, l, c) {
      c.work?.took();
      try {
        return await v.reader.get(l.name, c.signal);
      } catch (err) {
        throw toCollectError(err, 'GetCertificate', { where: `vault ${v.vault.name}`, describe: azureFacts });
      }
    },
  },
  // Undefined when the certificate was deleted since the listing (the get's 404): no record, no loss.
  map: (v, _l, cert) => (cert ? mapCertificate(cert, v.vault, v.now) : undefined),
});

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

    kinds: [certificates],
  };
}

export const azureKeyVault: Provider<VaultHandle> = createAzureKeyVaultProvider();
export default azureKeyVault;
