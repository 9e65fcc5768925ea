/**
 * One run at a time on a store. The lock is SQLite's own write lock, taken with `BEGIN IMMEDIATE`
 * before the previous run is read and held until the new run (and its notification outcomes) is
 * committed, so two overlapping audits can never both build on the same earlier run. SQLite's lock
 * is a POSIX lock on the file (https://www.sqlite.org/lockingv3.html, https://www.sqlite.org/wal.html):
 * the kernel drops it when the holding process dies, however it dies, so no stale lock can block a
 * later run and no heartbeat or pid guessing decides who owns the store. Readers (`history`,
 * `diff`) never wait for it: in WAL mode they read the last committed run.
 *
 * The waiting is done here, asynchronously, rather than by SQLite's busy handler, which would
 * block the event loop for as long as it waits. A small `<store>.lock` file beside the store says
 * who holds it (pid, host, since when), so a run that gives up can name the holder; it is only a
 * label: deleting it unlocks nothing, and one left by a dead process is simply overwritten.
 */
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import type { Logger } from '../engine/api/provider.js';
import { StoreError } from './errors.js';

export const DEFAULT_LOCK_TIMEOUT_MS = 60_000;

export interface Holder {
  pid: number;
  host: string;
  since: string;
}

const holderFile = (path: string) => `${path}.lock`;
const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The label's text: a regular file, read through a non-blocking descriptor, at most 4 KiB. */
function readLabel(path: string): string | undefined {
  let fd: number | undefined;
  try {
    fd = openSync(holderFile(path), constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    if (!fstatSync(fd).isFile()) return undefined;
    const buf = Buffer.alloc(4096);
    return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function readHolder(path: string): Holder | undefined {
  try {
    const h = JSON.parse(readLabel(path) ?? '') as Partial<Holder> | null;
    return h && Number.isInteger(h.pid) && typeof h.host === 'string' && typeof h.since === 'string'
      ? (h as Holder)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Who holds the store, as far as can be told; the label is written by certwarden runs only. */
function describe(h: Holder | undefined): string {
  if (!h) return 'another process (no certwarden run has labelled it: another program, or a run that is just starting)';
  if (h.host === hostname() && !alive(h.pid))
    return `another process (the label names pid ${h.pid}, which is no longer running)`;
  return `pid ${h.pid} on ${h.host} since ${h.since}`;
}

/**
 * Takes the store's write lock for a run, waiting up to `timeoutMs` for another run to finish.
 * Returns the label it wrote, to be removed by `unlock`.
 */
export async function lock(db: Database.Database, path: string, timeoutMs: number, log: Logger): Promise<string> {
  const started = Date.now();
  let pause = 25;
  let told = false;
  const busyTimeout = db.pragma('busy_timeout', { simple: true });
  db.pragma('busy_timeout = 0');
  for (;;) {
    try {
      db.exec('BEGIN IMMEDIATE');
      db.pragma(`busy_timeout = ${Number(busyTimeout)}`);
      break;
    } catch (err) {
      if (!isBusy(err)) throw err;
      const waited = Date.now() - started;
      if (waited >= timeoutMs)
        throw new StoreError(
          path,
          `in use by ${describe(readHolder(path))}; gave up after ${seconds(timeoutMs)} (store.lockTimeoutMs)`,
          'busy',
        );
      if (!told)
        log.info(
          `the history store ${path} is in use by ${describe(readHolder(path))}; waiting up to ${seconds(timeoutMs)}`,
        );
      told = true;
      await sleep(Math.min(pause, timeoutMs - waited));
      pause = Math.min(pause * 2, 1000);
    }
  }
  const label =
    JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() } satisfies Holder) + '\n';
  try {
    const tmp = `${holderFile(path)}.${process.pid}.tmp`;
    rmSync(tmp, { force: true });
    // Exclusive creation: whatever was planted at the temporary name (a FIFO) is never opened.
    writeFileSync(tmp, label, { flag: 'wx' });
    renameSync(tmp, holderFile(path));
  } catch (err) {
    log.debug(`could not label the history store lock: ${(err as Error).message}`);
  }
  return label;
}

/** Removes the label if it is still the one this run wrote; the lock itself ends with the transaction. */
export function unlock(path: string, label: string): void {
  try {
    if (readLabel(path) === label) unlinkSync(holderFile(path));
  } catch {
    /* gone already */
  }
}
