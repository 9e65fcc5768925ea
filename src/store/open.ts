/**
 * Opening the history store for an audit's run, before anything is collected: the path is
 * checked, the file verified (`PRAGMA quick_check` included), and the run's lock taken, so the
 * previous run read for incremental reuse and for the diff is the one the new run is written
 * after. What can go wrong is a StoreError (see errors.ts for what the audit does with each kind).
 */
import type { Logger } from '../engine/api/provider.js';
import { moveAside } from './create.js';
import { asStoreError, StoreError } from './errors.js';
import { DEFAULT_LOCK_TIMEOUT_MS } from './lock.js';
import { SqliteStore } from './sqlite.js';
import type { Retention } from './types.js';

export interface RunStoreOptions {
  log: Logger;
  retention?: Retention;
  /** How long to wait for another run to finish with the store (default 60 s). */
  lockTimeoutMs?: number;
  /**
   * The operator's explicit choice to start over: an unusable file is moved aside and a new store
   * begun. A sound store that holds runs is never replaced.
   */
  newStore?: boolean;
}

export async function openForRun(path: string, opts: RunStoreOptions): Promise<SqliteStore> {
  const open = () => new SqliteStore(path, { retention: opts.retention, forRun: true });
  let store: SqliteStore;
  try {
    store = open();
  } catch (err) {
    if (!(opts.newStore && err instanceof StoreError && err.kind === 'content')) throw err;
    const aside = moveAside(path, err.problem);
    opts.log.warn(`${err.message}; --new-store: it is moved aside to ${aside} and a new store is started`);
    store = open();
  }
  try {
    await store.lock(opts.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS, opts.log);
    store.migrate();
    const runs = opts.newStore ? (await store.runs()).length : 0;
    if (runs)
      throw new StoreError(
        path,
        `--new-store refused: ${path} is a sound certwarden store holding ${runs} run${runs === 1 ? '' : 's'}; without --new-store the audit continues its history, and to start over anyway move the file away yourself`,
        'refused',
      );
    return store;
  } catch (err) {
    await store.abandon();
    throw asStoreError(err, path);
  }
}
