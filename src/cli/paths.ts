/**
 * Every path a run will write, checked (and its folder made) before anything is collected: an
 * hour of audit must not end in "EEXIST" with no report anywhere.
 */
import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** A path the run cannot write: the command stops as for a usage error, naming the path and why. */
export class PathError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PathError';
  }
}

const kindOf = (path: string): 'file' | 'folder' | 'other' | undefined => {
  try {
    const s = statSync(path);
    return s.isDirectory() ? 'folder' : s.isFile() ? 'file' : 'other';
  } catch (err) {
    // ENOTDIR: an ancestor is a file, which the walk up to it names.
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new PathError(`cannot use ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
};

/** The folder exists (made if missing, with its parents) and this process may create files in it. */
export function ensureFolder(dir: string, what: string): void {
  // The nearest ancestor that exists must be a folder, or mkdir fails with a code that names nothing.
  for (let p = resolve(dir); ; p = dirname(p)) {
    const kind = kindOf(p);
    if (kind === 'folder') break;
    if (kind) throw new PathError(`cannot write the ${what} under ${dir}: ${p} is a ${kind}, not a folder`);
    if (dirname(p) === p) break;
  }
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new PathError(
      `cannot write the ${what} in ${dir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

/** A file the run will write (or replace): its folder is usable and the path is not a folder itself. */
export function ensureWritableFile(path: string, what: string): void {
  ensureFolder(dirname(path), what);
  const kind = kindOf(path);
  if (kind && kind !== 'file') throw new PathError(`cannot write the ${what} ${path}: it is a ${kind}`);
}
