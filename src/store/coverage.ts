import type { Binding, Certificate, ResourceRef, ScopeResult } from '../model/types.js';
import type { Binders, Stores } from '../engine/api/link.js';
import { bindingPlace, completeness, refPlace } from '../engine/api/completeness.js';
import { judgeable } from '../engine/api/rule.js';

/** What tonight's run knows beyond its scopes: how providers relate, tonight's records, what each rule needs. */
export interface Evidence {
  binders: Binders;
  /** How bindings name each certificate provider's certificates, and where they can be. */
  stores?: Stores;
  /** Tonight's records by uid (bindings linked). */
  records?: Map<string, Certificate | Binding>;
  /** Rule id -> the enrichments it needs on a record (Rule.needs). */
  needs?: Record<string, string[]>;
}

/**
 * Whether tonight's run looked at the place a finding lives closely enough that its absence
 * means "fixed". A finding is only resolved when
 *  - the rule that raised it ran tonight (enabled, and did not fail), and
 *  - its resource's own scope holds every record tonight (it completed, or lost only enrichments):
 *    a resource gone from such a scope is gone, and
 *  - the resource, if still there, has every enrichment the rule needs (its `unread` names
 *    none of them), and
 *  - what feeds the verdict was read completely where it can be, and no wider: for a certificate,
 *    the binding providers that can serve it (an ACM certificate's own region, an IAM one's account,
 *    anywhere for Key Vault); for a binding that resolves to no certificate, the store its reference
 *    points into, where the reference says (an ARN's account and region, a Key Vault URL's vault).
 * Otherwise the finding is carried: its absence proves nothing.
 */
export function coverage(
  scopes: ScopeResult[],
  rulesRan: Set<string>,
  evidence: Evidence,
): (f: { ruleId: string; resource: ResourceRef }) => boolean {
  const { binders, stores = {}, records = new Map<string, Certificate | Binding>(), needs = {} } = evidence;
  const complete = completeness(scopes);
  const storeOf = new Map(Object.entries(stores).map(([provider, s]) => [s.refKind, provider]));
  return (f) => {
    // A rule-error finding is about the rule itself: gone tonight means the rule ran.
    if (f.ruleId === 'rule-error') return true;
    if (!rulesRan.has(f.ruleId)) return false;
    const { provider, account, location, uid } = f.resource;
    if (!complete(provider, account, location)) return false;
    const rec = records.get(uid);
    if (!rec) return true;
    if (!judgeable({ needs: needs[f.ruleId] }, rec)) return false;
    if (rec.kind === 'certificate') {
      const [a, l] = bindingPlace(rec, stores[provider]?.reach);
      return (binders[provider] ?? []).every((p) => complete(p, a, l));
    }
    const target = rec.certificateUid ? undefined : storeOf.get(rec.refKind ?? '');
    if (!target) return true;
    const place = refPlace(rec.certificateRef);
    return complete(target, place.account, place.location);
  };
}

/** Rules that ran tonight: enabled ones, less those that threw (their findings are missing, not fixed). */
export function rulesThatRan(active: string[], findings: { ruleId: string; resource: ResourceRef }[]): Set<string> {
  const ran = new Set(active);
  for (const f of findings) if (f.ruleId === 'rule-error' && f.resource.kind === 'rule') ran.delete(f.resource.name);
  return ran;
}
