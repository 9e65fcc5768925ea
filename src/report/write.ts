import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, unlinkSync, writeSync, mkdirSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Temporary files of earlier writers of the same target that died mid-write (killed, out of
 * memory, power lost) would pile up night after night beside the report: removed here, unless
 * the process that owns one still runs (a concurrent writer).
 */
function removeStale(dir: string, name: string): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const m = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.tmp$/.exec(entry);
    if (!m || m[1] !== name || Number(m[2]) === process.pid || alive(Number(m[2]))) continue;
    try {
      unlinkSync(join(dir, entry));
    } catch {
      /* gone already, or not ours to remove */
    }
  }
}

const BUFFER_BYTES = 4 << 20;

/**
 * Writes a file so that a reader (or a crash) only ever sees the old file or the whole new one:
 * the bytes go to a temporary file beside it, are flushed to disk, and the file is renamed over.
 */
export function writeAtomic(path: string, chunks: Iterable<string | Buffer>): void {
  mkdirSync(dirname(path), { recursive: true });
  removeStale(dirname(path), basename(path));
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o644);
  try {
    // Strings are encoded straight into one reused buffer: a Buffer per record, then a copy of
    // them all, costs more than the JSON text itself on a report of a million records.
    const buf = Buffer.allocUnsafe(BUFFER_BYTES);
    let used = 0;
    const put = (b: Buffer) => {
      for (let off = 0; off < b.length;) off += writeSync(fd, b, off);
    };
    const flush = () => {
      put(buf.subarray(0, used));
      used = 0;
    };
    for (const chunk of chunks) {
      // A UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4).
      const most = typeof chunk === 'string' ? chunk.length * 3 : chunk.length;
      if (used + most > buf.length) flush();
      if (most > buf.length) put(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      else if (typeof chunk === 'string') used += buf.write(chunk, used, 'utf8');
      else used += chunk.copy(buf, used);
    }
    flush();
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (err) {
    try {
      closeSync(fd);
    } catch {
      /* already closed */
    }
    try {
      unlinkSync(tmp);
    } catch {
      /* nothing to clean */
    }
    throw err;
  }
}
