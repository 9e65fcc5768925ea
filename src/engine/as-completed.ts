/**
 * Yields each task's result as soon as it is ready, in completion order, instead of the whole
 * batch once its slowest task is done (`await Promise.all`). A provider that reads a page of a
 * thousand certificates would otherwise hold every finished record until the last one, and a
 * failure would throw away the records already read; here those are yielded before the
 * failure is thrown. Every task gets a handler at once, so none can reject unhandled.
 */
export function asCompleted<T>(tasks: Array<Promise<T>>): AsyncGenerator<T> {
  type Settled = { ok: true; value: T } | { ok: false; error: unknown };
  const ready: Settled[] = [];
  let wake: (() => void) | undefined;
  const settle = (s: Settled) => {
    ready.push(s);
    wake?.();
    wake = undefined;
  };
  // Here, not in the generator's body, which runs only once somebody asks for a first result.
  for (const task of tasks) task.then((value) => settle({ ok: true, value }), (error: unknown) => settle({ ok: false, error }));
  return (async function* () {
    for (let taken = 0; taken < tasks.length; taken++) {
      if (taken === ready.length) await new Promise<void>((resolve) => (wake = resolve));
      const next = ready[taken];
      // Let the array drop what has been handed on.
      ready[taken] = undefined as unknown as Settled;
      if (!next.ok) throw next.error;
      yield next.value;
    }
  })();
}
