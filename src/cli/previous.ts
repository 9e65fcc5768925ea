/**
 * Where an incremental audit's previous records come from: the report named by `--previous`, or
 * else the history store's last run when a store is configured. A source that does not exist yet
 * (the first night) means every certificate is read, and the records are stamped for the next.
 */
import { existsSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import type { Logger } from '../engine/provider.js';
import { DEFAULT_MAX_AGE_DAYS, fromCertificates, type Incremental } from '../engine/incremental.js';
import type { Certificate } from '../model/types.js';
import { readReport } from '../report/read.js';
import { openStore } from '../store/sqlite.js';

export interface PreviousOptions {
  config: Config;
  log: Logger;
  /** A previous JSON report. */
  previous?: string;
  maxAgeDays?: number;
}

function fromStore(path: string): Certificate[] {
  const store = openStore(path);
  try {
    const last = store.lastRun();
    return last ? store.records(last.seq).flatMap((r) => (r.kind === 'certificate' ? [r.body as Certificate] : [])) : [];
  } finally {
    store.close();
  }
}

export function previousRun(opts: PreviousOptions): Incremental | undefined {
  const maxAgeDays = opts.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
  if (opts.previous) {
    if (!existsSync(opts.previous)) {
      opts.log.info(`${opts.previous} does not exist yet: every certificate is read this time`);
      return fromCertificates([], maxAgeDays);
    }
    return fromCertificates(readReport(opts.previous).certificates, maxAgeDays);
  }
  const store = opts.config.store?.path;
  if (!store) return undefined;
  try {
    return fromCertificates(existsSync(store) ? fromStore(store) : [], maxAgeDays);
  } catch (err) {
    // An unreadable store costs tonight's savings, not tonight's audit: read everything.
    opts.log.warn(`the history store ${store} cannot be read (${err instanceof Error ? err.message : String(err)}): every certificate is read this time`);
    return fromCertificates([], maxAgeDays);
  }
}
