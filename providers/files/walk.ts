import { open, readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export type FileEntry = { path: string; content: Buffer } | { path: string; error: string };

interface WalkOptions {
  extensions: string[];
  followSymlinks: boolean;
  maxFileBytes: number;
}

async function readCapped(path: string, max: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    if (size > max) throw Object.assign(new Error(`file is ${size} bytes, over the ${max}-byte limit`), { code: 'EFBIG' });
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const what: Record<string, string> = { EACCES: 'permission denied', EPERM: 'permission denied', ENOENT: 'no such file (a broken symlink?)', EISDIR: 'is a directory', ELOOP: 'symlink loop' };
  return `cannot read: ${what[e.code ?? ''] ?? e.message}${e.code ? ` (${e.code})` : ''}`;
}

/**
 * Yields every certificate file under `root` in a stable (sorted) order. Directories are
 * visited once by their real path, so symlink loops and links back up the tree end quietly.
 */
export async function* walk(root: string, opts: WalkOptions): AsyncGenerator<FileEntry> {
  const seen = new Set<string>();
  const wanted = (name: string) => opts.extensions.some((e) => name.toLowerCase().endsWith(e.toLowerCase()));

  async function* visit(path: string, isRoot: boolean): AsyncGenerator<FileEntry> {
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
        yield { path, content: await readCapped(path, opts.maxFileBytes) };
      } catch (err) {
        yield { path, error: reason(err) };
      }
      return;
    }
    if (!info.isDirectory()) return;
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
