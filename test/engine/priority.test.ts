import { CallPriority } from '../../src/net/priority.js';

/** Blocks the event loop, as a thread short of CPU does, for `ms`. */
const busy = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A work of `calls` calls at `perSecond` (undefined: no limit), registered with `p`. */
const stated = (p: CallPriority, perSecond: number | undefined, calls: number) => {
  const w = p.work(perSecond);
  w.add(calls);
  return w;
};
/** Lags the loop: each of its turns finds it 40 ms late. */
const lagging = () => setInterval(() => busy(40), 1);

test('with no work stated nothing waits, however busy the loop', () => {
  const p = new CallPriority();
  busy(50);
  expect(p.admit()).toBeUndefined();
});

test('while the loop keeps up, no call waits', async () => {
  const p = new CallPriority();
  const long = stated(p, 10, 500);
  const short = stated(p, 10, 10);
  await sleep(60);
  expect(p.admit(short)).toBeUndefined();
  expect(p.admit()).toBeUndefined();
  long.end();
  short.end();
});

test('while the loop lags, the longest work goes at once and the rest waits, progresses, and all goes at the end', async () => {
  const p = new CallPriority();
  const long = stated(p, 10, 500); // 50 s at its limit
  const short = stated(p, 10, 40); // 4 s
  const lagger = lagging();
  await sleep(150);
  expect(p.admit(long)).toBeUndefined();
  expect(long.remaining).toBe(499);
  const waits = Array.from({ length: 40 }, () => p.admit(short));
  expect(waits.every((w) => w instanceof Promise)).toBe(true);
  expect(short.remaining).toBe(40); // counted when let through, not when asked
  let through = 0;
  for (const w of waits) void w!.then(() => through++);
  await sleep(300);
  // Some go while the loop lags (at least 50 a second), not all at once.
  expect(through).toBeGreaterThan(0);
  expect(through).toBeLessThan(40);
  clearInterval(lagger);
  long.end();
  short.end();
  await Promise.all(waits as Promise<void>[]);
  expect(through).toBe(40);
  expect(short.remaining).toBe(0);
  expect(p.queued).toBe(0);
});

test('a work that falls behind until it is nearly the longest goes at once too', async () => {
  const p = new CallPriority();
  const long = stated(p, 10, 100); // 10 s
  const other = stated(p, 10, 50); // 5 s: held back
  const lagger = lagging();
  await sleep(150);
  const held = p.admit(other);
  expect(held).toBeInstanceOf(Promise);
  // It learns of more work: 9 s against 10 s.
  other.add(40);
  await sleep(30);
  expect(p.admit(other)).toBeUndefined();
  clearInterval(lagger);
  long.end();
  other.end();
  await held;
});

test('a work still being listed goes at once, whatever it has stated so far, until it is listed', async () => {
  const p = new CallPriority();
  const long = stated(p, 10, 200); // 20 s
  const listing = p.work(10, true);
  listing.add(25); // a small first page: 2.5 s so far
  const lagger = lagging();
  await sleep(150);
  expect(p.admit(listing)).toBeUndefined();
  listing.listed();
  expect(p.admit(listing)).toBeInstanceOf(Promise);
  clearInterval(lagger);
  long.end();
  listing.end();
});

test('held-back calls go at the rate that finishes their work before the longest one', async () => {
  const p = new CallPriority();
  const long = stated(p, 10, 100); // 10 s
  // No limit: never the longest; at 375 a second, done when the longest work has 2 of its 10 s left.
  const vault = stated(p, undefined, 3000);
  const lagger = lagging();
  await sleep(150);
  const waits = Array.from({ length: 3000 }, () => p.admit());
  let through = 0;
  for (const w of waits) void w?.then(() => through++);
  const t = performance.now();
  await sleep(500);
  const seconds = (performance.now() - t) / 1000;
  for (let i = 0; i < through; i++) vault.took();
  // 375 a second, give or take the loop's lateness: far more than the floor of 50 a second.
  expect(through).toBeGreaterThan(100 * seconds);
  expect(through).toBeLessThan(600 * seconds);
  clearInterval(lagger);
  long.end();
  vault.end();
  await Promise.all(waits as Promise<void>[]);
});

test('a waiting call whose run is cancelled rejects and leaves the queue', async () => {
  const p = new CallPriority();
  const long = stated(p, 10, 500);
  const short = stated(p, 10, 5);
  const lagger = lagging();
  await sleep(150);
  const ac = new AbortController();
  const w = p.admit(short, ac.signal);
  expect(w).toBeInstanceOf(Promise);
  const queued = p.queued;
  ac.abort(new Error('cancelled'));
  await expect(w).rejects.toThrow('cancelled');
  expect(p.queued).toBeLessThan(queued);
  expect(short.remaining).toBe(5);
  clearInterval(lagger);
  long.end();
  short.end();
});
