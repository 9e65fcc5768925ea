/** The progress lines themselves, on a clock the test moves: counts, the slowest scope, the estimate, escaping. */
import { jest } from '@jest/globals';
import { duration, Progress } from '../../src/cli/progress.js';

function progress(mode: 'lines' | 'live' | 'off', perScope = false) {
  let t = 0;
  const out: string[] = [];
  const p = new Progress({ mode, perScope, intervalMs: 3_600_000, write: (s) => out.push(s), clock: () => t });
  return { p, out, advance: (ms: number) => (t += ms) };
}

const scope = (location: string) => ({ provider: 'aws-acm', account: '111111111111', location });
const ended = (location: string) => ({
  ...scope(location),
  status: 'ok' as const,
  stats: { certificates: 0, bindings: 0 },
});

afterEach(() => jest.useRealTimers());

test('counts found, done, calls and throttles, and names the scope running longest', () => {
  const { p, advance } = progress('lines');
  for (const r of ['us-east-1', 'eu-west-1', 'ap-south-1']) p.scopeFound(scope(r));
  const slow = { calls: 0, throttles: 0 };
  p.scopeStarted(scope('us-east-1'), slow);
  advance(65_000);
  p.scopeStarted(scope('eu-west-1'), { calls: 2, throttles: 0 });
  slow.calls = 40;
  slow.throttles = 3;
  expect(p.line()).toBe(
    'progress: 0/3 scopes done, 42 calls, 3 throttles, 2 running; slowest running: aws-acm 111111111111/us-east-1 for 1m 05s',
  );
  p.scopeEnded(ended('eu-west-1'), { ...scope('eu-west-1'), elapsedMs: 10, calls: 5, throttles: 1 });
  expect(p.line()).toBe(
    'progress: 1/3 scopes done, 45 calls, 4 throttles, 1 running; slowest running: aws-acm 111111111111/us-east-1 for 1m 05s',
  );
  p.stop();
});

test('the live line estimates the time left from the pace so far', () => {
  const { p, advance } = progress('live');
  for (const r of ['a', 'b', 'c', 'd']) p.scopeFound(scope(r));
  expect(p.liveLine()).not.toMatch(/left/);
  advance(10_000);
  p.scopeEnded(ended('a'));
  expect(p.liveLine()).toBe('1/4 scopes done, 0 calls, 0 throttles, about 30.0 s left');
  p.stop();
});

test('a scope name from a cloud shows its controls escaped, on one line', () => {
  const { p, out } = progress('lines', true);
  const hostile = 'vault\u001b[2J\nfake: done\u202e';
  p.scopeStarted(scope(hostile), { calls: 0, throttles: 0 });
  for (const c of ['\u001b', '\n', '\u202e']) expect(p.line()).not.toContain(c);
  p.scopeEnded(ended(hostile), { ...scope(hostile), elapsedMs: 1500, calls: 3, throttles: 0 });
  for (const c of ['\u001b', '\u202e']) expect(out.join('')).not.toContain(c);
  expect(out.join('').split('\n').filter(Boolean)).toHaveLength(1);
  p.stop();
});

test('off writes nothing, even with a timer due', () => {
  jest.useFakeTimers();
  const out: string[] = [];
  const p = new Progress({ mode: 'off', perScope: false, intervalMs: 10, write: (s) => out.push(s) });
  p.scopeStarted(scope('x'), { calls: 1, throttles: 0 });
  jest.advanceTimersByTime(100);
  p.scopeEnded(ended('x'));
  p.stop();
  expect(out).toEqual([]);
});

test.each([
  [850, '850 ms'],
  [12_340, '12.3 s'],
  [245_000, '4m 05s'],
  [3_720_000, '1h 02m'],
])('duration(%d) is %s', (ms, text) => expect(duration(ms)).toBe(text));

test('on a terminal the live line is redrawn each second and cleared before any other line', () => {
  jest.useFakeTimers();
  const out: string[] = [];
  const p = new Progress({
    mode: 'live',
    perScope: true,
    intervalMs: 30_000,
    write: (s) => out.push(s),
    clock: () => 0,
  });
  p.scopeFound(scope('a'));
  jest.advanceTimersByTime(1000);
  expect(out).toEqual(['\r\u001b[K0/1 scopes done, 0 calls, 0 throttles']);
  p.clearLine();
  p.clearLine();
  expect(out.slice(1)).toEqual(['\r\u001b[K']);
  jest.advanceTimersByTime(1000);
  p.scopeEnded(ended('a'), { ...scope('a'), elapsedMs: 20, calls: 1, throttles: 0 });
  expect(out.slice(3)).toEqual(['\r\u001b[K', 'scope aws-acm 111111111111/a: ok in 20 ms, 1 calls, 0 throttles\n']);
  p.stop();
});
