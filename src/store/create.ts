/**
 * Bringing a store file into being, and putting a bad one out of the way. A new store is built
 * whole in a temporary file beside its place and then linked into it, so a process that dies while
 * creating it leaves no 0-byte or half-made file at `store.path` (which the next run would have to
 * refuse); linking rather than renaming never replaces a store another run created meanwhile.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, linkSync, openSync, renameSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { makeDirs } from './check.js';
import { StoreError } from './errors.js';
import { migrate } from './migrations.js';

const code = (err: unknown) => (err as NodeJS.ErrnoException).code ?? (err as Error).message;

function removeQuietly(path: string): void {
  for (const p of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    try {
      unlinkSync(p);
    } catch {
      /* not there */
    }
  }
}

/** Creates a new, fully migrated store at `path` unless one appears there first. */
export function createStore(path: string): void {
  const dir = dirname(path);
  makeDirs(dir, path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.new`);
  try {
    closeSync(openSync(tmp, 'wx', 0o600));
  } catch (err) {
    throw new StoreError(path, `path not creatable: cannot create a file in ${dir} (${code(err)})`, 'path');
  }
  try {
    const db = new Database(tmp, { fileMustExist: true });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      migrate(db);
    } finally {
      db.close();
    }
    try {
      linkSync(tmp, path);
    } catch (err) {
      if (code(err) === 'EEXIST') return; // another run created it first: that one is the store
      // Filesystems without hard links: a rename, which could only replace a store created in the last instant.
      if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK'].includes(code(err))) throw err;
      renameSync(tmp, path);
    }
  } catch (err) {
    if (err instanceof StoreError) throw err;
    throw new StoreError(path, `path not creatable: cannot create the store (${code(err)})`, 'path');
  } finally {
    removeQuietly(tmp);
  }
}

/**
 * Moves an unusable store (and any WAL or journal beside it) to `<path>.unusable-<UTC time>`, kept
 * for inspection or recovery (`sqlite3 <file> .recover`), and returns the new name.
 */
export function moveAside(path: string, problem: string): string {
  const stamp = new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  let aside = `${path}.unusable-${stamp}`;
  if (existsSync(aside)) aside = `${aside}-${process.pid}`;
  try {
    // The side files first: a WAL left at the old name would be offered to the new store.
    for (const side of ['-wal', '-shm', '-journal']) if (existsSync(path + side)) renameSync(path + side, aside + side);
    renameSync(path, aside);
  } catch (err) {
    throw new StoreError(path, `${problem}; --new-store could not move it aside (${code(err)})`, 'content');
  }
  return aside;
}
