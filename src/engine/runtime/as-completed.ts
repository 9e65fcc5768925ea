/**
 * Yields each task's result as soon as it is ready, in completion order, instead of the whole
 * batch once its slowest task is done (`await Promise.all`). A provider that reads a page of a
 * thousand certificates would otherwise hold every finished record until the last one, and a
 * failure would throw away the records already read; here those are yielded before the
 * failure is thrown. Every task gets a handler at once, so none can reject unhandled.
 */
export function asCompleted<T>(tasks: Array<Promise<T>>): AsyncGenerator<T> {
  const c = new Completions<T>();
  for (const task of tasks) c.add(task);
  c.end();
  return c.results();
}

/**
 * The same for tasks that come in batches, such as the reads of a listing's pages: each batch's
 * tasks are added as soon as it arrives, so a later page's reads start while an earlier page's
 * are still running, and the next page is asked for at once. If `batches` fails, the results of
 * every task it had given come first, then its error. Once the caller stops, no further batch
 * is asked for.
 */
export function asCompletedBatches<T>(batches: AsyncIterable<Array<Promise<T>>>): AsyncGenerator<T> {
  const c = new Completions<T>();
  void (async () => {
    for await (const batch of batches) {
      for (const task of batch) c.add(task);
      if (c.stopped) break;
    }
  })().then(
    () => c.end(),
    (error: unknown) => c.end({ error }),
  );
  return c.results();
}

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

class Completions<T> {
  private readonly ready: Array<Settled<T> | undefined> = [];
  private pending = 0;
  /** Set once no task will be added; with what their source failed with, if it did. */
  private ended?: { failure?: { error: unknown } };
  private wake?: () => void;
  stopped = false;

  add(task: Promise<T>): void {
    this.pending++;
    task.then(
      (value) => this.settle({ ok: true, value }),
      (error: unknown) => this.settle({ ok: false, error }),
    );
  }

  /** No more tasks; `failure` when their source failed. */
  end(failure?: { error: unknown }): void {
    this.ended = { failure };
    this.notify();
  }

  async *results(): AsyncGenerator<T> {
    try {
      for (let taken = 0; ; taken++) {
        while (taken === this.ready.length) {
          if (this.ended && this.pending === 0) {
            if (this.ended.failure) throw this.ended.failure.error;
            return;
          }
          await new Promise<void>((resolve) => (this.wake = resolve));
        }
        const next = this.ready[taken]!;
        // Let the array drop what has been handed on.
        this.ready[taken] = undefined;
        if (!next.ok) throw next.error;
        yield next.value;
      }
    } finally {
      this.stopped = true;
    }
  }

  private settle(s: Settled<T>): void {
    this.pending--;
    this.ready.push(s);
    this.notify();
  }

  private notify(): void {
    this.wake?.();
    this.wake = undefined;
  }
}
