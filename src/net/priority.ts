/**
 * The longest rate-limited work first when the host runs out of CPU.
 *
 * An audit's length is set by its slowest stream of rate-limited calls: at the benchmark's
 * default scale, ACM's GetCertificate, one call per certificate at 10 per second per account
 * and region. Such a stream can never catch up on time it lost, since its bucket holds only a
 * second's worth of calls. The other streams have slack: their limits let them finish earlier.
 * With every scope running at once on a host that has too little CPU, one event loop serves them
 * all first come, first served, and the slowest stream falls behind while the others race ahead,
 * which lengthens the whole run (docs/benchmarks.md has the timelines).
 *
 * So each scope states its rate-limited work as it learns it (`work()`, `add()`): the calls still
 * to make and their limit's pace, hence the seconds it needs at the least. While the thread's
 * event loop lags, a call of the work that needs the longest, or nearly, goes at once; other
 * calls wait here and are let through at the rate that finishes their work by the time the
 * longest has a fifth of its seconds left (its remaining calls over NEAR of the longest work's
 * remaining seconds). That margin is for what a work learns only as it goes: a load balancer's
 * listeners, each with its own certificate listing, are known only once it is described. Paced
 * to end exactly with the longest, such a work overruns it whenever the longest goes faster, and
 * then sets the run's length itself; the margin keeps it ending first.
 * Nothing is starved: a work that falls behind needs more seconds than the others and goes
 * first itself, and the rate grows as the time left shrinks. With a loop that keeps up,
 * nothing waits.
 *
 * A work stated before its listing is done (`open`) may turn out to be the longest: its calls go
 * at once until the scope says it is fully listed (`listed()`). Otherwise an ACM scope whose
 * first page is small would be held back behind shorter work until its next page came.
 */

/** Probe period; the loop's lag is how late this timer fires. */
const TICK_MS = 10;
/** Smoothed lag under which the loop counts as keeping up. */
const KEEPING_UP_MS = 15;
/** Calls let through per tick while the loop keeps up. */
const BATCH = 8;
/** A work within this share of the longest one's seconds goes first too. */
const NEAR = 0.8;
/** Under this many seconds of known work nothing is worth holding anything back for. */
const MIN_LONGEST_S = 2;
/** Let through per second while the loop lags, whatever the stated work: no call waits forever. */
const FLOOR_PER_S = 50;

/** One scope's calls against one rate limit, as far as the scope knows them. */
export class Work {
  /** Calls stated and not yet let through. */
  remaining = 0;

  constructor(
    private readonly owner: CallPriority,
    /** The limit's pace; Infinity for calls no limit holds back. */
    readonly perSecond: number,
    /** Still being listed: how long it is, is not known yet. */
    private listing = false,
  ) {}

  get open(): boolean {
    return this.listing;
  }

  /** Everything it holds has been listed. */
  listed(): void {
    this.listing = false;
  }

  /** States `n` more calls (a page listed, a load balancer's listeners described). */
  add(n: number): void {
    this.remaining = Math.max(0, this.remaining + n);
  }

  /** One call started. */
  took(): void {
    if (this.remaining > 0) this.remaining--;
  }

  /** Seconds the remaining calls need at the limit's pace. */
  get seconds(): number {
    return this.remaining / this.perSecond;
  }

  /** The scope is done with it. */
  end(): void {
    this.owner.forget(this);
  }
}

export class CallPriority {
  private readonly works = new Set<Work>();
  private readonly waiting: Array<() => void> = [];
  private lagMs = 0;
  private longest = 0;
  /** Let-through rate while lagging: remaining held-back calls over NEAR of the longest work's seconds. */
  private ratePerS = FLOOR_PER_S;
  private credit = 0;
  private timer?: ReturnType<typeof setInterval>;
  private last = 0;

  /**
   * Registers a work on this thread; `perSecond` is its rate limit (undefined: none), `open` that
   * it is stated page by page until `listed()`.
   */
  work(perSecond: number | undefined, open = false): Work {
    const w = new Work(this, perSecond && perSecond > 0 ? perSecond : Infinity, open);
    this.works.add(w);
    if (this.works.size === 1) this.start();
    return w;
  }

  /**
   * Resolves when a call may be sent; undefined when it may go at once. A call of no stated
   * work (`w` undefined) never counts as the longest.
   */
  admit(w?: Work, signal?: AbortSignal): Promise<void> | undefined {
    if (!this.holding() || (w && this.goesFirst(w))) {
      w?.took();
      return undefined;
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiting.indexOf(go);
        if (i >= 0) this.waiting.splice(i, 1);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- an abort rejects with the signal's own reason, as the platform's APIs do
        reject(signal?.reason);
      };
      const go = () => {
        signal?.removeEventListener('abort', onAbort);
        w?.took();
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(go);
    });
  }

  /** Calls waiting now (for tests and diagnostics). */
  get queued(): number {
    return this.waiting.length;
  }

  /** @internal Work.end() */
  forget(w: Work): void {
    if (!this.works.delete(w)) return;
    if (this.works.size === 0) this.stop();
    else this.plan();
  }

  /** A work still being listed, or within NEAR of the longest, is never held back. */
  private goesFirst(w: Work): boolean {
    return w.open || w.seconds >= NEAR * this.longest;
  }

  private holding(): boolean {
    return this.lagMs >= KEEPING_UP_MS && this.longest >= MIN_LONGEST_S;
  }

  private start(): void {
    this.last = performance.now();
    this.lagMs = 0;
    this.credit = 0;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    // A nightly run must still exit if a scope never ends its work.
    this.timer.unref();
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.lagMs = 0;
    this.longest = 0;
    this.release(this.waiting.length);
  }

  /** The longest work's seconds, and the rate that finishes the rest before it. */
  private plan(): void {
    let longest = 0;
    for (const w of this.works) longest = Math.max(longest, w.seconds);
    this.longest = longest;
    let rest = 0;
    for (const w of this.works) if (!this.goesFirst(w)) rest += w.remaining;
    this.ratePerS = Math.max(FLOOR_PER_S, rest / Math.max(NEAR * longest, 1));
  }

  private tick(): void {
    const now = performance.now();
    const elapsed = now - this.last;
    this.last = now;
    this.lagMs = this.lagMs * 0.7 + Math.max(0, elapsed - TICK_MS) * 0.3;
    this.plan();
    if (!this.holding()) {
      this.credit = 0;
      this.release(BATCH);
      return;
    }
    // By elapsed time, not per tick: a lagging loop ticks late, and must not starve the rest.
    this.credit = Math.min(this.credit + (this.ratePerS * elapsed) / 1000, this.ratePerS);
    const n = Math.floor(this.credit);
    this.credit -= n;
    this.release(n);
  }

  private release(n: number): void {
    for (const go of this.waiting.splice(0, n)) go();
  }
}

/** One per thread: every scope collected on a thread shares its event loop. */
export const callPriority = new CallPriority();
