/**
 * Paced work first when the host runs out of CPU.
 *
 * An audit's length is set by its slowest rate-limited stream of calls: ACM's GetCertificate,
 * one call per certificate at 10 per second per account and region. Such a stream can never
 * catch up on time it lost, since its bucket holds only a few seconds' worth of calls. Load
 * balancer and Key Vault reads have slack: their own limits let them finish well before it.
 * With every scope running at once on a host that has too little CPU, one event loop serves
 * them all first come, first served, and the paced stream falls behind while the others race
 * ahead (measured on 2 vCPUs: ACM at half its pace for the first 25 s, the run 10 s longer).
 *
 * So while a paced scope runs on this thread and the event loop lags, deferrable calls wait
 * here before they are sent, and are let through a batch at a time whenever the loop catches up
 * and a few per tick regardless, so they always progress; with no paced scope running, or a
 * loop that keeps up, nothing waits. Measured at the benchmark's default scale on 2 vCPUs: ACM
 * kept its pace from the tenth second on; runs took 58 to 73 s against 65 to 70 s without.
 *
 * The choice of paced work is fixed (ACM), so a deferrable scope can be held back until it is
 * itself the slowest; see docs/benchmarks.md for the rule that would fix that.
 */

/** Probe period; the loop's lag is how late this timer fires. */
const TICK_MS = 10;
/** Smoothed lag under which the loop counts as keeping up. */
const KEEPING_UP_MS = 15;
/** Deferred calls let through per tick while the loop keeps up. */
const BATCH = 8;
/**
 * Let through per tick while it lags: at least 300 calls a second per thread, so deferred work
 * keeps a steady part of its pace and does not end up running alone after the paced scopes.
 */
const MIN_RELEASE = 3;

export class CallPriority {
  private paced = 0;
  private lagMs = 0;
  private timer?: ReturnType<typeof setInterval>;
  private last = 0;
  private readonly waiting: Array<() => void> = [];

  /** Marks a paced scope as running on this thread; call the returned function when it ends. */
  pacedScope(): () => void {
    if (this.paced++ === 0) this.start();
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.paced === 0) this.stop();
    };
  }

  /** Resolves when a deferrable call may be sent. */
  deferrable(signal?: AbortSignal): Promise<void> | undefined {
    if (this.paced === 0 || this.lagMs < KEEPING_UP_MS) return undefined;
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiting.indexOf(go);
        if (i >= 0) this.waiting.splice(i, 1);
        reject(signal?.reason);
      };
      const go = () => {
        signal?.removeEventListener('abort', onAbort);
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

  private start(): void {
    this.last = performance.now();
    this.lagMs = 0;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    // A nightly run must still exit if a scope never reports its end.
    this.timer.unref();
  }

  private stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.lagMs = 0;
    this.release(this.waiting.length);
  }

  private tick(): void {
    const now = performance.now();
    this.lagMs = this.lagMs * 0.7 + Math.max(0, now - this.last - TICK_MS) * 0.3;
    this.last = now;
    this.release(this.lagMs < KEEPING_UP_MS ? BATCH : MIN_RELEASE);
  }

  private release(n: number): void {
    for (const go of this.waiting.splice(0, n)) go();
  }
}

/** One per thread: every scope collected on a thread shares its event loop. */
export const callPriority = new CallPriority();
