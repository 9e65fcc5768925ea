/** Standard input and output as streams, for every `-` the command accepts. */

/** A report read from a pipe is held whole to be parsed: past this, it is refused rather than exhausting memory. */
export const STDIN_MAX_BYTES = 512 * 1024 * 1024;

/**
 * Reads standard input to its end. A pipe or a terminal cannot be read like a file (`readFileSync(0)`
 * fails with EAGAIN on a non-blocking pipe), so it is consumed as the stream it is.
 */
export async function readStdin(max = STDIN_MAX_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) {
      process.stdin.destroy();
      throw new Error(`standard input is larger than ${max} bytes; write the report to a file and pass its path`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

let closed = false;

/**
 * A reader that stops early (`| head`, a pager quit) closes the pipe: what is left to print is
 * dropped without a stack trace, and the run goes on to finish its work (the report file, the
 * history store) and exit with the code it would have had.
 */
export function quietOnClosedStdout(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') {
      closed = true;
      return;
    }
    throw err;
  });
}

/** Whether the reader of standard output has gone away. */
export const stdoutClosed = () => closed;
