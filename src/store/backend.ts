/**
 * Which store a configuration names, opened for reading or for an audit's run: an embedded SQLite
 * file (`store.path`) or a PostgreSQL database (`store.url`). Everything above this sees a Store.
 */
import type { StoreConfig } from '../config/schema.js';
import type { Logger } from '../engine/api/provider.js';
import { DEFAULT_LOCK_TIMEOUT_MS } from './lock.js';
import { openForRun } from './open.js';
import { PostgresStore } from './postgres.js';
import { redactUrl } from './pg-url.js';
import { openStore } from './sqlite.js';
import { StoreError } from './errors.js';
import type { RunStore, Store } from './types.js';

/** Where a store is, or a URL: as either may be shown (a URL without its password). */
export type StoreTarget = Pick<StoreConfig, 'path' | 'url' | 'connectTimeoutMs' | 'statementTimeoutMs'> &
  Partial<Pick<StoreConfig, 'retentionRuns' | 'retentionDays' | 'lockTimeoutMs'>>;

export function storeLabel(target: StoreTarget): string {
  return target.url !== undefined ? redactUrl(target.url) : (target.path ?? '');
}

const pgOptions = (t: StoreTarget) => ({
  retention: { runs: t.retentionRuns, days: t.retentionDays },
  connectTimeoutMs: t.connectTimeoutMs,
  statementTimeoutMs: t.statementTimeoutMs,
});

/** For readers and for writes outside a run (notification outcomes); `mustExist` for `history` and `diff`. */
export async function openTarget(target: StoreTarget, opts: { mustExist?: boolean } = {}): Promise<Store> {
  if (target.url !== undefined) return PostgresStore.open(target.url, { ...pgOptions(target), ...opts });
  return openStore(target.path!, {
    retention: { runs: target.retentionRuns, days: target.retentionDays },
    mustExist: opts.mustExist,
  });
}

/** For an audit's run: opened, migrated and locked before anything is collected (see open.ts). */
export async function openTargetForRun(
  target: StoreTarget,
  opts: { log: Logger; newStore?: boolean },
): Promise<RunStore> {
  if (target.url === undefined)
    return openForRun(target.path!, {
      log: opts.log,
      retention: { runs: target.retentionRuns, days: target.retentionDays },
      lockTimeoutMs: target.lockTimeoutMs,
      newStore: opts.newStore,
    });
  const store = await PostgresStore.open(target.url, pgOptions(target));
  await store.lock(target.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, opts.log);
  try {
    const runs = opts.newStore ? (await store.runs()).length : 0;
    if (runs)
      throw new StoreError(
        store.label,
        `--new-store refused: ${store.label} holds ${runs} run${runs === 1 ? '' : 's'}; without --new-store the audit continues its history`,
        'refused',
      );
    return store;
  } catch (err) {
    await store.abandon();
    throw store.error(err);
  }
}
