/**
 * Which shard of a sharded audit collects each scope. The unit is the account (an AWS account, an
 * Azure subscription, `local` for files): the rate-limit buckets are per account, and the scopes of
 * one account (its regions, its services) are what link to each other, so an account is never
 * split. Where the previous run says how many records each account holds, the accounts are dealt
 * out largest first to the shard with the least so far; an account the previous run did not see
 * goes by a hash of its id. Every shard computes the same plan from the same weights.
 */
import { createHash } from 'node:crypto';

export interface ShardSpec {
  /** 0-based, as Kubernetes' JOB_COMPLETION_INDEX and AWS Batch's array index are. */
  index: number;
  count: number;
}

export interface ShardPlan {
  count: number;
  /** The shard that collects every scope of `account`. */
  ownerOf(account: string): number;
  /** Names the weights the plan was made from: shards of one run must share it. */
  digest: string;
}

const hashOf = (account: string, count: number) =>
  createHash('sha256').update(account).digest().readUInt32BE(0) % count;

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `weights`: records per account in the previous run (empty: every account goes by hash). */
export function planShards(count: number, weights: ReadonlyMap<string, number> = new Map()): ShardPlan {
  const load = new Array<number>(count).fill(0);
  const owner = new Map<string, number>();
  const known = [...weights].filter(([, w]) => w > 0).sort(([a, wa], [b, wb]) => wb - wa || cmp(a, b));
  for (const [account, weight] of known) {
    let best = 0;
    for (let i = 1; i < count; i++) if (load[i] < load[best]) best = i;
    owner.set(account, best);
    load[best] += weight;
  }
  const digest = createHash('sha256')
    .update(JSON.stringify([count, known]))
    .digest('hex')
    .slice(0, 16);
  return { count, digest, ownerOf: (account) => owner.get(account) ?? hashOf(account, count) };
}

/** Records per account, from the previous run's certificates and bindings. */
export function weightsOf(records: Iterable<{ account: string }>): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of records) out.set(r.account, (out.get(r.account) ?? 0) + 1);
  return out;
}
