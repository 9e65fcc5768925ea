import { coverageKey, type CoverageEntry } from '../model/coverage.js';

/** One entry whose outcome moved between two runs. `now` is absent when tonight's discovery did not find it at all. */
export interface CoverageChange {
  cloud: CoverageEntry['cloud'];
  kind: CoverageEntry['kind'];
  id: string;
  account?: string;
  name?: string;
  before?: Pick<CoverageEntry, 'outcome' | 'reason'>;
  now?: Pick<CoverageEntry, 'outcome' | 'reason'> & { error?: string };
}

export interface CoverageChanges {
  /** Audited in the previous run, not tonight: left the organisation, newly refused, newly skipped. */
  lost: CoverageChange[];
  /** Audited tonight, not in the previous run: new in the organisation, access newly granted. */
  gained: CoverageChange[];
}

/** Kinds whose loss is a change in what the audit saw; services and regions follow from config and accounts. */
const TRACKED = new Set<CoverageEntry['kind']>(['account', 'subscription', 'vault']);

const brief = (e: CoverageEntry) => ({ outcome: e.outcome, ...(e.reason ? { reason: e.reason } : {}) });

/**
 * What coverage moved between two runs. A previous run that recorded no coverage (written before
 * coverage existed) compares as unknown: nothing is called lost or gained.
 */
export function coverageChanges(before: CoverageEntry[] | undefined, now: CoverageEntry[]): CoverageChanges {
  if (!before) return { lost: [], gained: [] };
  const then = new Map(before.filter((e) => TRACKED.has(e.kind)).map((e) => [coverageKey(e), e]));
  const tonight = new Map(now.filter((e) => TRACKED.has(e.kind)).map((e) => [coverageKey(e), e]));
  const change = (e: CoverageEntry, b?: CoverageEntry, n?: CoverageEntry): CoverageChange => ({
    cloud: e.cloud,
    kind: e.kind,
    id: e.id,
    ...(e.account ? { account: e.account } : {}),
    ...(e.name ? { name: e.name } : {}),
    ...(b ? { before: brief(b) } : {}),
    ...(n ? { now: { ...brief(n), ...(n.error ? { error: n.error.code } : {}) } } : {}),
  });
  const lost = [...then.entries()]
    .filter(([k, e]) => e.outcome === 'audited' && tonight.get(k)?.outcome !== 'audited')
    .map(([k, e]) => change(e, e, tonight.get(k)));
  const gained = [...tonight.entries()]
    .filter(([k, e]) => e.outcome === 'audited' && then.get(k)?.outcome !== 'audited')
    .map(([k, e]) => change(e, then.get(k), e));
  return { lost, gained };
}

/** One line a person reads: `aws account 600000000006 (refusing): audited -> failed (AccessDenied)`. */
export function changeLine(c: CoverageChange): string {
  const where = `${c.cloud} ${c.kind} ${c.account && c.account !== '*' ? `${c.account}/` : ''}${c.id}${c.name ? ` (${c.name})` : ''}`;
  const state = (s?: CoverageChange['now']) =>
    s ? `${s.outcome}${s.reason || s.error ? ` (${s.reason ?? s.error})` : ''}` : 'not found';
  return `${where}: ${state(c.before)} -> ${state(c.now)}`;
}
