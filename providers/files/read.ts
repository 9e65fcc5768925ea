/**
 * Reads one certificate file, bounded in what it is, how much is read and how long it takes.
 * Anyone who can write to a scanned folder can put a FIFO, a device or a symlink to one where a
 * certificate was, even between the walk's stat() and the open(): so the file is opened without
 * blocking (`O_NONBLOCK`: opening a FIFO that has no writer does not wait for one), and what was
 * opened is checked on the descriptor itself (`fstat`) before a byte is read. The size limit
 * holds on the bytes actually read, since a file may grow and procfs files report a size of 0.
 */
import { constants, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

export interface ReadLimits {
  maxFileBytes: number;
  /** Open, check and read, per file. */
  timeoutMs: number;
  /** When false, a symlink put where a file was listed is refused rather than followed. */
  followSymlinks: boolean;
  signal?: AbortSignal;
}

/** A file refused for what it is or what it did; `code` is the errno-style name, when one fits. */
export class FileRefused extends Error {
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'FileRefused';
  }
}

/** What a non-regular file is, for a person. */
export function kindOf(st: Stats): string {
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  if (st.isDirectory()) return 'a directory';
  if (st.isSymbolicLink()) return 'a symbolic link';
  return 'not a regular file';
}

// O_NOCTTY: a terminal swapped in must not become the process's controlling terminal.
const FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;
const CHUNK = 1 << 20;

async function openChecked(path: string, limits: ReadLimits): Promise<FileHandle> {
  try {
    return await open(path, FLAGS | (limits.followSymlinks ? 0 : constants.O_NOFOLLOW));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ELOOP' && !limits.followSymlinks)
      throw new FileRefused('a symbolic link, and symlinks are not followed', 'ELOOP');
    throw err;
  }
}

async function readAll(handle: FileHandle, size: number, max: number, stop: AbortSignal): Promise<Buffer> {
  // Room for one byte more than the file says it holds (or than the limit), so a file that grew,
  // or is over the limit, is known without reading on; procfs files say 0 and start at 64 KiB.
  let buf = Buffer.allocUnsafe(Math.min(max + 1, size > 0 ? size + 1 : 64 * 1024));
  let total = 0;
  for (;;) {
    stop.throwIfAborted();
    if (total === buf.length) {
      const grown = Buffer.allocUnsafe(Math.min(max + 1, buf.length * 2));
      buf.copy(grown, 0, 0, total);
      buf = grown;
    }
    const { bytesRead } = await handle.read(buf, total, Math.min(CHUNK, buf.length - total), null);
    if (bytesRead === 0) return buf.subarray(0, total);
    total += bytesRead;
    if (total > max)
      throw new FileRefused(
        `more than ${max} bytes read, over the ${max}-byte limit (its size said ${size} bytes: it grew, or is not an ordinary file)`,
        'EFBIG',
      );
  }
}

async function readOpened(path: string, limits: ReadLimits, stop: AbortSignal): Promise<Buffer> {
  const handle = await openChecked(path, limits);
  try {
    stop.throwIfAborted();
    const st = await handle.stat();
    if (!st.isFile()) throw new FileRefused(`not a regular file when opened: ${kindOf(st)}`);
    if (st.size > limits.maxFileBytes)
      throw new FileRefused(`file is ${st.size} bytes, over the ${limits.maxFileBytes}-byte limit`, 'EFBIG');
    return await readAll(handle, st.size, limits.maxFileBytes, stop);
  } finally {
    // Waits for a read still in flight: the descriptor is never closed under it.
    await handle.close();
  }
}

/**
 * The file's bytes, or a rejection: `FileRefused` (not a regular file, over the limit, over the
 * deadline), an errno error, or `limits.signal`'s reason when the scope is stopped. A read that
 * the kernel never finishes (a stalled network mount) is abandoned at the deadline; its
 * descriptor is closed when the read returns.
 */
export async function readRegularFile(path: string, limits: ReadLimits): Promise<Buffer> {
  limits.signal?.throwIfAborted();
  const stop = new AbortController();
  const timer = setTimeout(
    () => stop.abort(new FileRefused(`not read within ${limits.timeoutMs} ms`, 'ETIMEDOUT')),
    limits.timeoutMs,
  );
  const onAbort = () => stop.abort(limits.signal?.reason);
  limits.signal?.addEventListener('abort', onAbort, { once: true });
  const stopped = new Promise<never>((_, reject) => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an abort rejects with the signal's own reason, as the platform's APIs do
    const fail = () => reject(stop.signal.reason);
    stop.signal.addEventListener('abort', fail, { once: true });
  });
  const work = readOpened(path, limits, stop.signal);
  try {
    return await Promise.race([work, stopped]);
  } finally {
    clearTimeout(timer);
    limits.signal?.removeEventListener('abort', onAbort);
    stopped.catch(() => {});
    work.catch(() => {});
  }
}
