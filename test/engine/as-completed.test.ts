import { asCompleted, asCompletedBatches } from '../../src/engine/runtime/as-completed.js';

const after = <T>(ms: number, value: T) => new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
const failAfter = (ms: number, message: string) =>
  new Promise<never>((_, reject) => setTimeout(() => reject(new Error(message)), ms));

async function drain<T>(gen: AsyncGenerator<T>): Promise<{ got: T[]; error?: string }> {
  const got: T[] = [];
  try {
    for await (const v of gen) got.push(v);
    return { got };
  } catch (err) {
    return { got, error: (err as Error).message };
  }
}

test('results come in the order they are ready, not the order given', async () => {
  expect(
    await drain(asCompleted([after(60, 'slow'), after(5, 'fast'), after(30, 'middle'), Promise.resolve('now')])),
  ).toEqual({ got: ['now', 'fast', 'middle', 'slow'] });
});

test('what was ready before a failure is handed on, then the failure is thrown', async () => {
  const out = await drain(asCompleted([after(5, 1), failAfter(30, 'read failed'), after(10, 2), after(200, 3)]));
  expect(out).toEqual({ got: [1, 2], error: 'read failed' });
});

test('a task that fails while nobody is waiting is not an unhandled rejection', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  const gen = asCompleted([after(5, 'a'), failAfter(1, 'early')]);
  await after(30, null);
  expect(await drain(gen)).toEqual({ got: [], error: 'early' });
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled).toEqual([]);
});

test('no tasks, no results', async () => {
  expect(await drain(asCompleted([]))).toEqual({ got: [] });
});

test('a large batch keeps every result once', async () => {
  const n = 5000;
  const out = await drain(
    asCompleted(Array.from({ length: n }, (_, i) => (i % 3 ? after(i % 7, i) : Promise.resolve(i)))),
  );
  expect(out.got).toHaveLength(n);
  expect(new Set(out.got).size).toBe(n);
});

describe("in batches (a listing's pages)", () => {
  test("a later batch is asked for and its tasks run while an earlier batch's are still running", async () => {
    const asked: string[] = [];
    // eslint-disable-next-line @typescript-eslint/require-await -- a stand-in for an async iterable that needs no I/O
    async function* pages() {
      asked.push('page 1');
      yield [after(80, 'page 1, slow read')];
      asked.push('page 2');
      yield [after(5, 'page 2, fast read')];
    }
    const gen = asCompletedBatches(pages());
    await after(20, null);
    // Both pages are out before anybody has taken a result.
    expect(asked).toEqual(['page 1', 'page 2']);
    expect(await drain(gen)).toEqual({ got: ['page 2, fast read', 'page 1, slow read'] });
  });

  test('when the listing fails, every task it gave is handed on first, then its error', async () => {
    async function* pages() {
      yield [after(30, 1), after(5, 2)];
      await after(1, null);
      throw new Error('page 2 failed');
    }
    expect(await drain(asCompletedBatches(pages()))).toEqual({ got: [2, 1], error: 'page 2 failed' });
  });

  test('a failed task ends the results; once the caller stops, no further batch is asked for', async () => {
    let asked = 0;
    async function* pages() {
      for (;;) {
        asked++;
        yield [asked === 1 ? failAfter(5, 'read failed') : after(1, asked)];
        await after(10, null);
      }
    }
    expect(await drain(asCompletedBatches(pages()))).toEqual({ got: [], error: 'read failed' });
    const then = asked;
    await after(60, null);
    expect(asked).toBeLessThanOrEqual(then + 1);
  });

  test('no batches, no results', async () => {
    expect(await drain(asCompletedBatches((async function* () {})()))).toEqual({ got: [] });
  });
});
