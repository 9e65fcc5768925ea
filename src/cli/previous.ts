/**
 * Where an incremental audit's previous records come from: the report named by `--previous`, or
 * else the last run of the history store opened for this run. A source that does not exist yet
 * (the first night) means every certificate is read, and the records are stamped for the next.
 */
import { existsSync } from 'node:fs';
import type { Config } from '../config/schema.js';
import type { Logger } from '../engine/api/provider.js';
import { DEFAULT_MAX_AGE_DAYS, fromCertificates, type Incremental } from '../engine/runtime/incremental.js';
import type { Certificate } from '../model/types.js';
import { readReport } from '../report/read.js';
import { isCorruption, messageOf } from '../store/errors.js';
import { storeLabel } from '../store/backend.js';
import type { Store } from '../store/types.js';

export interface PreviousOptions {
  config: Config;
  log: Logger;
  /** A previous JSON report. */
  previous?: string;
  maxAgeDays?: number;
  /** The store opened (and locked) for this run; absent when `store:` is not set or cannot be used. */
  store?: Store;
}

async function fromStore(store: Store): Promise<Certificate[]> {
  const last = await store.lastRun();
  return last
    ? (await store.records(last.seq)).flatMap((r) => (r.kind === 'certificate' ? [r.body as Certificate] : []))
    : [];
}

export async function previousRun(opts: PreviousOptions): Promise<Incremental | undefined> {
  const maxAgeDays = opts.maxAgeDays ?? DEFAULT_MAX_AGE_DAYS;
  if (opts.previous) {
    if (!existsSync(opts.previous)) {
      opts.log.info(`${opts.previous} does not exist yet: every certificate is read this time`);
      return fromCertificates([], maxAgeDays);
    }
    const report = readReport(opts.previous);
    return fromCertificates(report.certificates, maxAgeDays, {
      bindings: report.bindings,
      scopes: report.scopes,
      startedAt: report.run.now,
    });
  }
  if (!opts.config.store) return undefined;
  // A store that cannot be used costs tonight's savings, not tonight's audit: everything is read.
  if (!opts.store) return fromCertificates([], maxAgeDays);
  try {
    return fromCertificates(await fromStore(opts.store), maxAgeDays);
  } catch (err) {
    // A damaged store is not to be written after a warning: the run gives it up (see audit.ts).
    if (isCorruption(err)) throw err;
    opts.log.warn(
      `the history store ${storeLabel(opts.config.store)} cannot be read (${messageOf(err)}): every certificate is read this time`,
    );
    return fromCertificates([], maxAgeDays);
  }
}
