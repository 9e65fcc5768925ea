import type { Finding } from '../model/types.js';
import { isExpired, matches, type Suppressible, type Suppression, type SuppressionEntry } from './suppressions.js';

/** What a suppressed finding carries in the report, so a reader sees who accepted it and until when. */
export interface SuppressionMark {
  entry: number;
  reason: string;
  owner: string;
  expires: string;
}

export type SuppressedFinding = Finding & { suppression?: SuppressionMark };

export type SuppressionListing = SuppressionEntry & { entry: number };

/**
 * The report's `suppressions` section. Expired entries no longer apply and are listed with the
 * findings they would still cover, so someone renews or drops them; unmatched entries cover
 * nothing tonight and are candidates for clean-up.
 */
export interface SuppressionSection {
  file: string;
  entries: number;
  /** Findings of this report with status `suppressed`. */
  applied: number;
  expired: Array<SuppressionListing & { matches: number }>;
  unmatched: SuppressionListing[];
}

function listing(s: Suppression): SuppressionListing {
  const { index, ...entry } = s;
  return { entry: index, ...entry };
}

/** Marks the findings a live suppression covers; the first matching entry in the file wins. */
export function applySuppressions(
  findings: Finding[],
  tagsOf: (uid: string) => Record<string, string> | undefined,
  list: Suppression[],
  now: Date,
): SuppressedFinding[] {
  const live = list.filter((s) => !isExpired(s, now));
  return findings.map((f) => {
    const hit = live.find((s) => matches(s, { ...f, tags: tagsOf(f.resource.uid) }));
    if (!hit) return f;
    return {
      ...f,
      status: 'suppressed',
      suppression: { entry: hit.index, reason: hit.reason, owner: hit.owner, expires: hit.expires },
    };
  });
}

/**
 * `candidates` are tonight's findings plus those carried from scopes that did not complete, so an
 * entry is not called stale merely because the account it covers could not be read tonight.
 */
export function suppressionSection(
  file: string,
  list: Suppression[],
  candidates: Suppressible[],
  applied: number,
  now: Date,
): SuppressionSection {
  const count = (s: Suppression) => candidates.filter((c) => matches(s, c)).length;
  return {
    file,
    entries: list.length,
    applied,
    expired: list.filter((s) => isExpired(s, now)).map((s) => ({ ...listing(s), matches: count(s) })),
    unmatched: list.filter((s) => !isExpired(s, now) && count(s) === 0).map(listing),
  };
}
