import { CallPriority } from '../../src/net/priority.js';

/** Blocks the event loop, as a thread short of CPU does, for `ms`. */
const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('with no paced scope running nothing waits, however busy the loop', async () => {
  const p = new CallPriority();
  busy(50);
  expect(p.deferrable()).toBeUndefined();
});

test('while a paced scope runs and the loop keeps up, deferrable calls go at once', async () => {
  const p = new CallPriority();
  const done = p.pacedScope();
  await sleep(60);
  expect(p.deferrable()).toBeUndefined();
  done();
});

test('while the loop lags, deferrable calls wait, still progress, and all go when the paced scope ends', async () => {
  const p = new CallPriority();
  const done = p.pacedScope();
  // Lag the loop: each tick finds it 40 ms late.
  const lagger = setInterval(() => busy(40), 1);
  await sleep(150);
  const waits = Array.from({ length: 40 }, () => p.deferrable());
  expect(waits.every((w) => w instanceof Promise)).toBe(true);
  let through = 0;
  for (const w of waits) void w!.then(() => through++);
  await sleep(200);
  // A few per tick go through even while the loop lags, not all at once.
  expect(through).toBeGreaterThan(0);
  expect(through).toBeLessThan(40);
  clearInterval(lagger);
  done();
  await Promise.all(waits);
  expect(through).toBe(40);
  expect(p.queued).toBe(0);
});

test('a waiting call whose run is cancelled rejects and leaves the queue', async () => {
  const p = new CallPriority();
  const done = p.pacedScope();
  const lagger = setInterval(() => busy(40), 1);
  await sleep(150);
  const ac = new AbortController();
  const queuedBefore = p.queued;
  const w = p.deferrable(ac.signal);
  expect(w).toBeInstanceOf(Promise);
  ac.abort(new Error('cancelled'));
  await expect(w).rejects.toThrow('cancelled');
  expect(p.queued).toBeLessThanOrEqual(queuedBefore);
  clearInterval(lagger);
  done();
});
