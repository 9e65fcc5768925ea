/**
 * The one retry layer with errors that are not `instanceof Error` here: Node's own http errors
 * seen from another realm, or plain objects a library throws. They are retried or not by their
 * code, and the error that comes out keeps its name, code and message.
 */
import { runInNewContext } from 'node:vm';
import { classify, errorFacts, withRetry } from '../../src/net/retry.js';

/** An Error built in another realm, as Node's http module's errors are seen from a vm context. */
const foreign = (name: string, code: string, message: string) =>
  runInNewContext(
    `Object.assign(new Error(${JSON.stringify(message)}), { name: ${JSON.stringify(name)}, code: ${JSON.stringify(code)} })`,
  );

test('a foreign-realm network error is retried, then succeeds', async () => {
  const err = foreign('TimeoutError', 'ECONNRESET', 'socket hang up');
  expect(err instanceof Error).toBe(false);
  let calls = 0;
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the rejection under test is deliberately not an Error
  const out = await withRetry(async () => (++calls < 3 ? Promise.reject(err) : 'ok'), {
    attempts: 3,
    minDelayMs: 1,
    maxDelayMs: 2,
  });
  expect([out, calls]).toEqual(['ok', 3]);
});

test('a foreign-realm network error that persists comes out with its code', async () => {
  const err = foreign('TimeoutError', 'ECONNRESET', 'socket hang up');
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the rejection under test is deliberately not an Error
  const failed = await withRetry(() => Promise.reject(err), { attempts: 2, minDelayMs: 1, maxDelayMs: 2 }).catch(
    (e: unknown) => e,
  );
  expect(failed).toBeInstanceOf(Error);
  expect(errorFacts(failed)).toMatchObject({ code: 'ECONNRESET', message: 'socket hang up' });
});

test('a plain-object fatal error is not retried and keeps its code', async () => {
  let calls = 0;
  const failed = await withRetry(
    () => {
      calls++;
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- the rejection under test is deliberately not an Error
      return Promise.reject({
        name: 'AccessDeniedException',
        message: 'not allowed',
        $metadata: { httpStatusCode: 400 },
      });
    },
    { attempts: 3, minDelayMs: 1 },
  ).catch((e: unknown) => e);
  expect(calls).toBe(1);
  expect(errorFacts(failed)).toEqual({ status: 400, code: 'AccessDeniedException', message: 'not allowed' });
});

test('errorFacts describes anything thrown, an object with no prototype included', () => {
  const bare = Object.assign(Object.create(null) as Record<string, unknown>, { code: 'Odd' });
  expect(errorFacts(bare)).toEqual({ status: undefined, code: 'Odd', message: '[object Object]' });
  expect(errorFacts(Object.create(null))).toMatchObject({ code: 'Error' });
  expect(classify(Object.create(null))).toBe('fatal');
});
