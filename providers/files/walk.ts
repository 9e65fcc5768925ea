import { readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FileRefused, kindOf, readRegularFile } from './read.js';

export type FileEntry = { path: string; content: Buffer } | { path: string; error: string };

interface WalkOptions {
  extensions: string[];
  followSymlinks: boolean;
  maxFileBytes: number;
  /** Per file: open, check and read. */
  timeoutMs: number;
  /** Stops the walk (the scope's deadline, a cancelled audit): the signal's reason is thrown. */
  signal?: AbortSignal;
}

function reason(err: unknown): string {
  if (err instanceof FileRefused) return `cannot read: ${err.message}${err.code ? ` (${err.code})` : ''}`;
  const e = err as NodeJS.ErrnoException;
  const what: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOENT: 'no such file (a broken symlink?)',
    EISDIR: 'is a directory',
    ELOOP: 'symlink loop',
    EAGAIN: 'it would block: not an ordinary file',
    ENXIO: 'not a regular file: a socket, or a device with nothing behind it',
  };
  return `cannot read: ${what[e.code ?? ''] ?? e.message}${e.code ? ` (${e.code})` : ''}`;
}

/**
 * Yields every certificate file under `root` in a stable (sorted) order. Directories are
 * visited once by their real path, so symlink loops and links back up the tree end quietly.
 * A certificate-named entry that is not a regular file (a FIFO, a device, a socket) is yielded
 * as an error that says what it is; nothing of it is read.
 */
export async function* walk(root: string, opts: WalkOptions): AsyncGenerator<FileEntry> {
  const seen = new Set<string>();
  const wanted = (name: string) => opts.extensions.some((e) => name.toLowerCase().endsWith(e.toLowerCase()));

  async function* visit(path: string, isRoot: boolean): AsyncGenerator<FileEntry> {
    opts.signal?.throwIfAborted();
    let info;
    try {
      info = await stat(path);
    } catch (err) {
      if (isRoot) throw err;
      if (wanted(path)) yield { path, error: reason(err) };
      return;
    }
    if (info.isFile()) {
      if (!isRoot && !wanted(path)) return;
      try {
        // A configured path is read even if it is a symlink; below it, `followSymlinks` decides.
        yield {
          path,
          content: await readRegularFile(path, { ...opts, followSymlinks: opts.followSymlinks || isRoot }),
        };
      } catch (err) {
        if (opts.signal?.aborted) throw err;
        yield { path, error: reason(err) };
      }
      return;
    }
    if (!info.isDirectory()) {
      if (isRoot || wanted(path)) yield { path, error: reason(new FileRefused(`not a regular file: ${kindOf(info)}`)) };
      return;
    }
    const real = await realpath(path);
    if (seen.has(real)) return;
    seen.add(real);
    let entries;
    try {
      entries = await readdir(path, { withFileTypes: true });
    } catch (err) {
      if (isRoot) throw err;
      yield { path, error: reason(err) };
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.isSymbolicLink() && !opts.followSymlinks) continue;
      yield* visit(join(path, e.name), false);
    }
  }

  yield* visit(resolve(root), true);
}
