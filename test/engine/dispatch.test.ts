/**
 * The dispatcher gives each scope to exactly one of the threads that found it, splitting every
 * provider's scopes evenly; a thread whose discovery differs or that dies loses nothing.
 */
import { Dispatcher } from '../../src/engine/runtime/dispatch.js';

type Answer = [thread: number, key: string, mine: boolean];

function setup(threads: number, graceMs = 50) {
  const answers: Answer[] = [];
  const d = new Dispatcher(threads, (i, key, mine) => answers.push([i, key, mine]), graceMs);
  const owners = () => {
    const out = new Map<string, number[]>();
    for (const [i, key, mine] of answers) if (mine) out.set(key, [...(out.get(key) ?? []), i]);
    return out;
  };
  return { d, answers, owners };
}

const keys = (provider: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ key: `${provider}/${i}`, provider }));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('two threads that find the same scopes split each provider evenly, one owner per scope', () => {
  const { d, answers, owners } = setup(2);
  const found = [...keys('aws-acm', 80), ...keys('aws-elbv2', 80), ...keys('azure-keyvault', 41)];
  // The threads report in their own time, interleaved differently.
  for (const k of found) d.claim(1, k);
  for (const k of found) d.claim(0, k);
  const o = owners();
  expect(o.size).toBe(found.length);
  for (const owner of o.values()) expect(owner).toHaveLength(1);
  expect(d.counts()).toEqual({ 'aws-acm': [40, 40], 'aws-elbv2': [40, 40], 'azure-keyvault': [21, 20] });
  // Every thread hears about every scope it asked for, exactly once.
  expect(answers).toHaveLength(2 * found.length);
});

test('a scope only one thread found goes to it after the grace period; the others do not wait on it', async () => {
  const { d, owners } = setup(3, 30);
  d.claim(0, { key: 'vault-a', provider: 'azure-keyvault' });
  d.claim(1, { key: 'shared', provider: 'azure-keyvault' });
  d.claim(0, { key: 'shared', provider: 'azure-keyvault' });
  d.claim(2, { key: 'shared', provider: 'azure-keyvault' });
  expect(owners().get('shared')).toHaveLength(1);
  expect(owners().has('vault-a')).toBe(false);
  await sleep(60);
  expect(owners().get('vault-a')).toEqual([0]);
});

test('a thread that asks after the scope is given is told it is not its own', () => {
  const { d, answers } = setup(2);
  d.claim(0, { key: 'x', provider: 'p' });
  d.gone(1);
  d.claim(1, { key: 'x', provider: 'p' });
  expect(answers).toEqual([
    [0, 'x', true],
    [1, 'x', false],
  ]);
});

test('when a thread dies, what it was waited for goes to the live threads that found it', () => {
  const { d, owners } = setup(3);
  d.claim(0, { key: 'a', provider: 'p' });
  d.claim(1, { key: 'a', provider: 'p' });
  d.claim(2, { key: 'b', provider: 'p' });
  expect(owners().size).toBe(0);
  d.gone(2);
  expect(owners().get('a')).toHaveLength(1);
  // Only the dead thread found b: nobody collects it, and its thread's failure is what the report says.
  expect(owners().has('b')).toBe(false);
});
