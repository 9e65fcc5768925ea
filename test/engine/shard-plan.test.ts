/** How a sharded audit deals out the accounts, and how `--shard` is read from the flag and the environment. */
import { planShards, weightsOf } from '../../src/engine/runtime/shard.js';
import { parseShardSpec } from '../../src/cli/shard.js';

const accounts = Array.from({ length: 40 }, (_, i) => String(100000000000 + i * 7919));

describe('planShards', () => {
  test('every account goes to exactly one shard, the same one in every process', () => {
    const a = planShards(7);
    const b = planShards(7);
    for (const acct of accounts) {
      expect(a.ownerOf(acct)).toBe(b.ownerOf(acct));
      expect(a.ownerOf(acct)).toBeGreaterThanOrEqual(0);
      expect(a.ownerOf(acct)).toBeLessThan(7);
    }
    expect(a.digest).toBe(b.digest);
  });

  test("with the previous run's sizes, the shards' loads are balanced largest first", () => {
    // One large account and many small ones: a hash would pile the small ones anywhere.
    const weights = new Map<string, number>([['big', 1000], ...accounts.map((a, i): [string, number] => [a, 10 + i])]);
    const plan = planShards(4, weights);
    const load = [0, 0, 0, 0];
    for (const [acct, w] of weights) load[plan.ownerOf(acct)] += w;
    const total = [...weights.values()].reduce((x, y) => x + y, 0);
    // The big account fills one shard; the others share the rest within one account's size.
    expect(Math.max(...load)).toBe(1000);
    const rest = load.filter((l) => l !== 1000);
    expect(Math.max(...rest) - Math.min(...rest)).toBeLessThanOrEqual(49);
    expect(load.reduce((x, y) => x + y, 0)).toBe(total);
  });

  test('an account the previous run did not see goes by hash; a different history gives a different digest', () => {
    const plan = planShards(3, new Map([['a', 5]]));
    expect(plan.ownerOf('new-account')).toBe(planShards(3).ownerOf('new-account'));
    expect(plan.digest).not.toBe(planShards(3).digest);
  });

  test('weightsOf counts records per account', () => {
    expect(weightsOf([{ account: 'a' }, { account: 'b' }, { account: 'a' }])).toEqual(
      new Map([
        ['a', 2],
        ['b', 1],
      ]),
    );
  });
});

describe('parseShardSpec', () => {
  test('I/N counts from 0', () => {
    expect(parseShardSpec('0/3', {})).toEqual({ index: 0, count: 3 });
    expect(parseShardSpec('2/3', {})).toEqual({ index: 2, count: 3 });
  });

  test.each([
    ['JOB_COMPLETION_INDEX', 'Kubernetes Indexed Job'],
    ['AWS_BATCH_JOB_ARRAY_INDEX', 'AWS Batch array job'],
    ['CERTWARDEN_SHARD_INDEX', 'CI matrix'],
  ])('auto reads the index from %s (%s)', (name) => {
    expect(parseShardSpec('auto/4', { [name]: '3' })).toEqual({ index: 3, count: 4 });
    expect(parseShardSpec('auto', { [name]: '1', CERTWARDEN_SHARD_COUNT: '2' })).toEqual({ index: 1, count: 2 });
  });

  test.each([
    ['auto/3', {}, /no shard index in the environment; set one of JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX/],
    ['auto', { JOB_COMPLETION_INDEX: '0' }, /number of shards is missing; .*CERTWARDEN_SHARD_COUNT/],
    ['auto/3', { JOB_COMPLETION_INDEX: 'x' }, /JOB_COMPLETION_INDEX="x" is not a shard index/],
    ['3/3', {}, /shard index 3 is out of range for 3 shards \(0 to 2\)/],
    ['1/0', {}, /not a whole number from 1/],
    ['a/2', {}, /index "a" is not a whole number/],
    ['1/2/3', {}, /expected I\/N/],
  ])('%s with %j is refused, naming what is missing', (spec, env, message) => {
    expect(() => parseShardSpec(spec, env)).toThrow(message);
  });
});
