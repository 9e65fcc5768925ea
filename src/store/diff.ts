import type { ResourceRef, ScopeResult } from '../model/types.js';
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
    /** Same uid, different bytes (fingerprint) or a later notAfter: the certificate was renewed or replaced in place. */
    renewed: Array<
      DiffRecord & { fingerprint: { from?: string; to?: string }; notAfter: { from?: string; to?: string } }
    >;
    /** In the first run, absent from the second, but their scope did not complete then: not called removed. */
    unverified: DiffRecord[];
  };
  bindings: { added: DiffRecord[]; removed: DiffRecord[]; unverified: DiffRecord[] };
  /** Accounts, subscriptions and vaults audited in the first run and not the second, or the other way round. */
  coverage: CoverageChanges;
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
export function diffRuns(store: Store, from: RunSummary, to: RunSummary): RunDiff {
  const a = alive(store.findings(from.seq));
  const b = alive(store.findings(to.seq));
  const recA = store.records(from.seq);
  const recB = new Map(store.records(to.seq).map((r) => [r.uid, r]));
  const seenA = new Set(recA.map((r) => r.uid));
  const done = completed(store.scopes(to.seq));

  const severityChanged = [...b.values()]
    .filter((f) => a.has(f.id) && a.get(f.id)!.severity !== f.severity)
    .map((f) => ({ ...brief(f), from: a.get(f.id)!.severity, to: f.severity }))
    .sort(worstFirst);

  const gone = (kind: StoredRecord['kind']) => recA.filter((r) => r.kind === kind && !recB.has(r.uid));
  const renewed = recA
    .filter((r) => r.kind === 'certificate' && recB.has(r.uid))
    .flatMap((r) => {
      const n = recB.get(r.uid)!;
      const later = !!(n.notAfter && r.notAfter && Date.parse(n.notAfter) > Date.parse(r.notAfter));
      if (n.fingerprint === r.fingerprint && !later) return [];
      return [
        {
          ...named(n),
          fingerprint: { from: r.fingerprint, to: n.fingerprint },
          notAfter: { from: r.notAfter, to: n.notAfter },
        },
      ];
    });

  const added = (kind: StoredRecord['kind']) =>
    [...recB.values()].filter((r) => r.kind === kind && !seenA.has(r.uid)).map(named);
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
      renewed,
      unverified: gone('certificate')
        .filter((r) => !done(r))
        .map(named),
    },
    bindings: {
      added: added('binding'),
      removed: gone('binding').filter(done).map(named),
      unverified: gone('binding')
        .filter((r) => !done(r))
        .map(named),
    },
    coverage: (() => {
      const later = store.coverage(to.seq);
      return later ? coverageChanges(store.coverage(from.seq), later) : { lost: [], gained: [] };
    })(),
  };
}
