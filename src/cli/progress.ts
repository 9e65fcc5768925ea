/**
 * Progress of the collection on stderr. Without a terminal (cron, CI, Kubernetes) a line per
 * interval, so a log shows a run that is moving, and which scope holds it up; on a terminal one
 * live line with an estimate of the time left. With `-v`, a line per scope as it ends. Scope
 * names come from clouds: each is shown with its controls escaped, on one line.
 */
import type { Origin, ScopeResult, ScopeTiming } from '../model/types.js';
import type { Tally } from '../net/tally.js';
import { oneLine, visibleText } from '../report/escape.js';

export interface ProgressOptions {
  /** `lines` on a non-terminal, `live` on a terminal, `off` when quiet. */
  mode: 'lines' | 'live' | 'off';
  /** A line per finished scope. */
  perScope: boolean;
  intervalMs: number;
  write: (text: string) => void;
  /** Terminal width, for the live line. */
  columns?: number;
  clock?: () => number;
}

interface Running {
  scope: Origin;
  tally: Tally;
  startedAt: number;
}

const keyOf = (s: Origin) => `${s.provider}\u0000${s.account}\u0000${s.location}`;
const nameOf = (s: Origin) => visibleText(oneLine(`${s.provider} ${s.account}/${s.location}`));

/** 850 ms, 12.3 s, 4m 05s, 1h 02m. */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(Math.floor(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

export class Progress {
  private readonly found = new Set<string>();
  private readonly running = new Map<string, Running>();
  private done = 0;
  private calls = 0;
  private throttles = 0;
  private readonly clock: () => number;
  private readonly startedAt: number;
  private timer?: ReturnType<typeof setInterval>;
  private shown = false;

  constructor(private readonly opts: ProgressOptions) {
    this.clock = opts.clock ?? (() => performance.now());
    this.startedAt = this.clock();
    if (opts.mode === 'off') return;
    // The live line redraws each second; the log line comes once per interval.
    const every = opts.mode === 'live' ? 1000 : opts.intervalMs;
    this.timer = setInterval(() => this.tick(), every);
    this.timer.unref();
  }

  scopeFound = (scope: Origin): void => {
    this.found.add(keyOf(scope));
  };

  scopeStarted = (scope: Origin, tally: Tally): void => {
    this.found.add(keyOf(scope));
    this.running.set(keyOf(scope), { scope, tally, startedAt: this.clock() });
  };

  scopeEnded = (result: ScopeResult, timing?: ScopeTiming): void => {
    const key = keyOf(result);
    // A provider whose discovery failed ends a scope that was never found.
    this.found.add(key);
    const run = this.running.get(key);
    this.running.delete(key);
    this.done++;
    this.calls += timing?.calls ?? run?.tally.calls ?? 0;
    this.throttles += timing?.throttles ?? run?.tally.throttles ?? 0;
    if (this.opts.perScope) {
      const cost = timing
        ? ` in ${duration(timing.elapsedMs)}, ${timing.calls} calls, ${timing.throttles} throttles`
        : '';
      this.print(`scope ${nameOf(result)}: ${result.status}${cost}`);
    }
  };

  /** The state in a few words: what a log line and the live line share. */
  private facts(): { counts: string; slowest: string } {
    let calls = this.calls;
    let throttles = this.throttles;
    let slowest: Running | undefined;
    for (const r of this.running.values()) {
      calls += r.tally.calls;
      throttles += r.tally.throttles;
      if (!slowest || r.startedAt < slowest.startedAt) slowest = r;
    }
    return {
      counts: `${this.done}/${this.found.size} scopes done, ${calls} calls, ${throttles} throttles`,
      slowest: slowest
        ? `slowest running: ${nameOf(slowest.scope)} for ${duration(this.clock() - slowest.startedAt)}`
        : '',
    };
  }

  /** The log line, as printed each interval without a terminal. */
  line(): string {
    const { counts, slowest } = this.facts();
    return `progress: ${counts}, ${this.running.size} running${slowest ? `; ${slowest}` : ''}`;
  }

  /** The live line: the counts, an estimate of the time left once a scope has ended, the slowest scope. */
  liveLine(): string {
    const { counts, slowest } = this.facts();
    const elapsed = this.clock() - this.startedAt;
    const left = this.found.size - this.done;
    const eta = this.done > 0 && left > 0 ? `, about ${duration((elapsed / this.done) * left)} left` : '';
    const text = `${counts}${eta}${slowest ? `; ${slowest}` : ''}`;
    const width = Math.max(20, (this.opts.columns ?? 80) - 1);
    return text.length > width ? `${text.slice(0, width - 1)}…` : text;
  }

  private tick(): void {
    if (this.opts.mode === 'lines') this.opts.write(`${this.line()}\n`);
    else if (this.opts.mode === 'live') {
      this.opts.write(`\r\x1b[K${this.liveLine()}`);
      this.shown = true;
    }
  }

  /** Clears the live line, which is drawn again at the next tick, so another line can be written. */
  clearLine = (): void => {
    if (this.shown) this.opts.write('\r\x1b[K');
    this.shown = false;
  };

  private print(text: string): void {
    this.clearLine();
    this.opts.write(`${text}\n`);
  }

  /** Stops the timer and clears the live line. */
  stop(): void {
    clearInterval(this.timer);
    this.clearLine();
  }
}
