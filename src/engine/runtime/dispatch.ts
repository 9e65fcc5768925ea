/**
 * Which collection thread collects each scope. Every thread discovers the scopes itself and asks
 * here before collecting one; the scope goes to exactly one of the threads that found it, the one
 * with the fewest scopes of that provider so far. Hashing scope identities instead needs no
 * talking but splits unevenly (80 ACM account/regions came out 36/44 on two threads, and the
 * busier thread finished later); here two threads that find the same scopes split every provider's
 * evenly. A scope waits until every running thread has reported it, or `graceMs` after the first
 * report, so a thread whose discovery differs (a failed AssumeRole, a slower listing) neither
 * stalls the others nor loses a scope it alone found.
 */
export interface Claim {
  key: string;
  provider: string;
}

export class Dispatcher {
  private readonly live: Set<number>;
  private readonly seenBy = new Map<
    string,
    { provider: string; by: Set<number>; timer?: ReturnType<typeof setTimeout> }
  >();
  private readonly assigned = new Map<string, number>();
  private readonly load = new Map<string, number[]>();

  constructor(
    threads: number,
    /** Tells thread `index` whether the scope `key` is its to collect. */
    private readonly answer: (index: number, key: string, mine: boolean) => void,
    private readonly graceMs = 2000,
  ) {
    this.live = new Set(Array.from({ length: threads }, (_, i) => i));
  }

  claim(index: number, { key, provider }: Claim): void {
    const owner = this.assigned.get(key);
    if (owner !== undefined) return this.answer(index, key, owner === index);
    let pending = this.seenBy.get(key);
    if (!pending) {
      pending = { provider, by: new Set() };
      this.seenBy.set(key, pending);
      pending.timer = setTimeout(() => this.decide(key), this.graceMs);
      pending.timer.unref?.();
    }
    pending.by.add(index);
    if ([...this.live].every((i) => pending.by.has(i))) this.decide(key);
  }

  /** A thread that ended (or died) is no longer waited for. */
  gone(index: number): void {
    this.live.delete(index);
    for (const [key, pending] of this.seenBy) if ([...this.live].every((i) => pending.by.has(i))) this.decide(key);
  }

  /** Scopes given to each thread, per provider. */
  counts(): Record<string, number[]> {
    return Object.fromEntries(this.load);
  }

  private decide(key: string): void {
    const pending = this.seenBy.get(key);
    if (!pending) return;
    clearTimeout(pending.timer);
    this.seenBy.delete(key);
    const candidates = [...pending.by].filter((i) => this.live.has(i));
    // Nobody left to collect it: the thread that found it has died, and its failure is reported.
    if (!candidates.length) return;
    const load = this.load.get(pending.provider) ?? [];
    this.load.set(pending.provider, load);
    const chosen = candidates.reduce((a, b) =>
      (load[b] ?? 0) < (load[a] ?? 0) || ((load[b] ?? 0) === (load[a] ?? 0) && b < a) ? b : a,
    );
    load[chosen] = (load[chosen] ?? 0) + 1;
    this.assigned.set(key, chosen);
    for (const i of pending.by) this.answer(i, key, i === chosen);
  }
}
