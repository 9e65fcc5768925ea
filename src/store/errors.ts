/**
 * Why the history store cannot be used, and what the audit does about it:
 * - `path`: `store.path` cannot hold a database (not creatable, not a regular file, a kernel
 *   pseudo-filesystem): a setup error, found before collecting; the command stops (exit 2).
 * - `refused`: `--new-store` asked to replace a store that holds runs; the command stops (exit 2).
 * - `content`: the file is there but is not a sound certwarden store (empty, not SQLite, another
 *   program's database, corrupt, from a newer certwarden): the audit goes on without the store.
 * - `busy`: another run holds the store beyond `store.lockTimeoutMs`: the audit goes on without it.
 * - `server`: the PostgreSQL store cannot be reached or answered with an error: the audit goes on
 *   without it.
 */
export type StoreProblem = 'path' | 'refused' | 'content' | 'busy' | 'server';

export class StoreError extends Error {
  constructor(
    /** The file, or the server's URL without its password. */
    readonly path: string,
    /** What is wrong, without the path: "empty file", "database disk image is malformed", ... */
    readonly problem: string,
    readonly kind: StoreProblem,
  ) {
    super(
      kind === 'path'
        ? `store.path ${path}: ${problem}`
        : kind === 'refused'
          ? problem
          : `the history store ${path} cannot be used: ${problem}`,
    );
    this.name = 'StoreError';
  }
}

/** SQLite's own result codes for a file that is damaged or is not a database at all. */
export function isCorruption(err: unknown): boolean {
  const code = (err as { code?: unknown })?.code;
  return typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code);
}

/** Any failure to open or use a store, as a StoreError: SQLite's own message says what is wrong. */
export function asStoreError(err: unknown, path: string): StoreError {
  if (err instanceof StoreError) return err;
  const message = messageOf(err);
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && code.startsWith('SQLITE_NOTADB'))
    return new StoreError(path, `not a certwarden store (${message})`, 'content');
  return new StoreError(path, message, 'content');
}

/**
 * An error's message. SQLite's errors come from the native addon and are not always `instanceof
 * Error` in the realm that catches them (a jest VM context), so the message is read by shape.
 */
export function messageOf(err: unknown): string {
  const message = (err as { message?: unknown })?.message;
  return typeof message === 'string' ? message : String(err);
}
