import type { Binding, ResourceRef, ScopeResult } from '../model/types.js';
import { severityRank, type Severity } from '../model/severity.js';
import { coverageChanges, type CoverageChanges } from '../coverage/changes.js';
import type { RunSummary, Store, StoredFinding, StoredRecord } from './types.js';

export interface DiffFinding {
  id: string;
  ruleId: string;
  severity: Severity;
  status: StoredFinding['status'];
  message: string;
  resource: ResourceRef;
}

export interface DiffRecord {
  uid: string;
  provider: string;
  account: string;
  location: string;
  name: string;
}

export interface RunDiff {
  from: RunSummary;
  to: RunSummary;
  findings: {
    new: DiffFinding[];
    resolved: DiffFinding[];
    severityChanged: Array<DiffFinding & { from: Severity; to: Severity }>;
  };
  certificates: {
    added: DiffRecord[];
    removed: DiffRecord[];
    /** Same uid, a later notAfter: the certificate was renewed in place. */
    renewed: Replaced[];
    /** Same uid, a notAfter moved earlier: replaced by one that expires sooner, which is no renewal. */
    expiresEarlier: Replaced[];
    /** Same uid, different bytes, the same (or an unknown) notAfter. */
    replaced: Replaced[];
    /** In the first run, absent from the second, but their scope did not complete then: not called removed. */
    unverified: DiffRecord[];
  };
  bindings: { added: DiffRecord[]; removed: DiffRecord[]; unverified: DiffRecord[]; swapped: Swapped[] };
  /** Accounts, subscriptions and vaults audited in the first run and not the second, or the other way round. */
  coverage: CoverageChanges;
}

export type Replaced = DiffRecord & {
  fingerprint: { from?: string; to?: string };
  notAfter: { from?: string; to?: string };
};

/** One serving resource (a listener) that now serves another certificate: named, not a removal plus an addition. */
export interface Swapped extends DiffRecord {
  type: string;
  resource: string;
  certificate: { from: string; to: string };
}

const brief = (f: StoredFinding): DiffFinding => ({
  id: f.id,
  ruleId: f.ruleId,
  severity: f.severity,
  status: f.status,
  message: f.message,
  resource: f.resource,
});
const named = (r: StoredRecord): DiffRecord => ({
  uid: r.uid,
  provider: r.provider,
  account: r.account,
  location: r.location,
  name: r.body.name,
});
const worstFirst = <T extends { severity: Severity; ruleId: string; id: string }>(a: T, b: T) =>
  severityRank(b.severity) - severityRank(a.severity) ||
  (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : a.id < b.id ? -1 : 1);

/** Alive findings (every status but resolved: carried ones included) keyed by id. */
function alive(rows: StoredFinding[]): Map<string, StoredFinding> {
  return new Map(rows.filter((f) => f.status !== 'resolved').map((f) => [f.id, f]));
}

function completed(scopes: ScopeResult[]): (r: StoredRecord) => boolean {
  const ok = new Set(
    scopes.filter((s) => s.status === 'ok').map((s) => `${s.provider}\u0000${s.account}\u0000${s.location}`),
  );
  return (r) => ok.has(`${r.provider}\u0000${r.account}\u0000${r.location}`);
}

/** What changed between two stored runs (usually consecutive, any two work). */
export async function diffRuns(store: Store, from: RunSummary, to: RunSummary): Promise<RunDiff> {
  const a = alive(await store.findings(from.seq));
  const b = alive(await store.findings(to.seq));
  const recA = await store.records(from.seq);
  const recB = new Map((await store.records(to.seq)).map((r) => [r.uid, r]));
  const seenA = new Set(recA.map((r) => r.uid));
  const done = completed(await store.scopes(to.seq));
  const laterCoverage = await store.coverage(to.seq);
  const earlierCoverage = laterCoverage && (await store.coverage(from.seq));

  const severityChanged = [...b.values()]
    .filter((f) => a.has(f.id) && a.get(f.id)!.severity !== f.severity)
    .map((f) => ({ ...brief(f), from: a.get(f.id)!.severity, to: f.severity }))
    .sort(worstFirst);

  const gone = (kind: StoredRecord['kind']) => recA.filter((r) => r.kind === kind && !recB.has(r.uid));
  const changed = recA
    .filter((r) => r.kind === 'certificate' && recB.has(r.uid))
    .flatMap((r) => {
      const n = recB.get(r.uid)!;
      const move = n.notAfter && r.notAfter ? Date.parse(n.notAfter) - Date.parse(r.notAfter) : 0;
      if (n.fingerprint === r.fingerprint && move === 0) return [];
      const item = {
        ...named(n),
        fingerprint: { from: r.fingerprint, to: n.fingerprint },
        notAfter: { from: r.notAfter, to: n.notAfter },
      };
      return [{ item, move }];
    });

  const added = (kind: StoredRecord['kind']) =>
    [...recB.values()].filter((r) => r.kind === kind && !seenA.has(r.uid)).map(named);
  const swaps = swapped(gone('binding').filter(done), added('binding'), recA, [...recB.values()], recB);
  const inSwap = new Set(swaps.flatMap((s) => s.uids));
  return {
    from,
    to,
    findings: {
      new: [...b.values()]
        .filter((f) => !a.has(f.id))
        .map(brief)
        .sort(worstFirst),
      resolved: [...a.values()]
        .filter((f) => !b.has(f.id))
        .map(brief)
        .sort(worstFirst),
      severityChanged,
    },
    certificates: {
      added: added('certificate'),
      removed: gone('certificate').filter(done).map(named),
      renewed: changed.filter((c) => c.move > 0).map((c) => c.item),
      expiresEarlier: changed.filter((c) => c.move < 0).map((c) => c.item),
      replaced: changed.filter((c) => c.move === 0).map((c) => c.item),
      unverified: gone('certificate')
        .filter((r) => !done(r))
        .map(named),
    },
    bindings: {
      added: added('binding').filter((b) => !inSwap.has(b.uid)),
      removed: gone('binding')
        .filter(done)
        .filter((b) => !inSwap.has(b.uid))
        .map(named),
      swapped: swaps.map((s) => s.swap),
      unverified: gone('binding')
        .filter((r) => !done(r))
        .map(named),
    },
    coverage: laterCoverage ? coverageChanges(earlierCoverage, laterCoverage) : { lost: [], gained: [] },
  };
}

const bindingOf = (r: StoredRecord) => r.body as Binding;
const placeOf = (r: { provider: string; account: string; location: string }, resource: string) =>
  `${r.provider}\u0000${r.account}\u0000${r.location}\u0000${resource}`;

/** The certificate a binding serves, by name where its run resolved it, else by the reference it holds. */
function certName(b: Binding, records: Iterable<StoredRecord>): string {
  for (const r of records)
    if (r.kind === 'certificate' && b.certificateUid && r.uid === b.certificateUid) return r.body.name;
  return b.certificateRef;
}

/**
 * A binding's uid names its certificate (a listener ARN and a certificate ARN), so a listener that
 * swapped certificates is one binding gone and one added, at the same resource: paired here.
 */
function swapped(
  removed: StoredRecord[],
  added: DiffRecord[],
  recA: StoredRecord[],
  recB: StoredRecord[],
  byUid: Map<string, StoredRecord>,
): Array<{ uids: string[]; swap: Swapped }> {
  const gone = new Map<string, StoredRecord>();
  for (const r of removed) gone.set(placeOf(r, bindingOf(r).resource), r);
  const out: Array<{ uids: string[]; swap: Swapped }> = [];
  for (const a of added) {
    const now = byUid.get(a.uid)!;
    const b = bindingOf(now);
    const before = gone.get(placeOf(now, b.resource));
    if (!before) continue;
    gone.delete(placeOf(now, b.resource));
    out.push({
      uids: [before.uid, now.uid],
      swap: {
        ...named(now),
        type: b.type,
        resource: b.resource,
        certificate: { from: certName(bindingOf(before), recA), to: certName(b, recB) },
      },
    });
  }
  return out;
}
