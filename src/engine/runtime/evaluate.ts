import type { Finding, ResourceRef } from '../../model/types.js';
import { carries } from '../../model/facets.js';
import type { Severity } from '../../model/severity.js';
import { findingId, judgeable, type FindingDraft, type Rule } from '../api/rule.js';
import type { LinkedInventory } from '../api/link.js';

/** A rule as configured for one run: enabled, with validated params and maybe a severity override. */
export interface ActiveRule {
  rule: Rule;
  params: unknown;
  severity?: Severity;
}

function ref(r: FindingDraft['resource']): ResourceRef {
  return { uid: r.uid, kind: r.kind, provider: r.provider, account: r.account, location: r.location, name: r.name };
}

export function toFinding(rule: Rule, d: FindingDraft, override?: Severity): Finding {
  return {
    id: findingId(rule.id, d.resource.uid, d.key),
    ruleId: rule.id,
    // A configured severity replaces the default; escalation by the rule still applies on top of the default only.
    severity: override ?? d.severity ?? rule.severity,
    category: rule.category,
    title: rule.title,
    message: d.message,
    resource: ref(d.resource),
    related: [...new Set(d.related ?? [])].sort(),
    evidence: d.evidence ?? {},
    remediation: rule.remediation,
    ...(rule.compliance ? { compliance: rule.compliance } : {}),
  };
}

/**
 * Runs every active rule over the linked inventory. A finding on a record that lacks an enrichment
 * its rule needs is dropped: the rule would be judging a field that was never read. A rule that
 * throws (or breaks its own `requires`) does not sink the run: it becomes a `rule-error` finding
 * naming the rule and the error, and the other rules go on.
 */
export function evaluate(rules: ActiveRule[], inv: LinkedInventory, now: Date): Finding[] {
  const findings: Finding[] = [];
  for (const { rule, params, severity } of rules) {
    try {
      for (const draft of rule.check(inv, { now, params })) {
        // A rule is not applicable to a record without the facets it reads: a finding there is a bug.
        if (rule.requires && !carries(draft.resource, rule.requires))
          throw new Error(
            `it raised a finding on ${draft.resource.uid}, which carries none of the facets it requires (${rule.requires.join(', ')})`,
          );
        if (judgeable(rule, draft.resource)) findings.push(toFinding(rule, draft, severity));
      }
    } catch (err) {
      const resource: ResourceRef = {
        uid: `rule:${rule.id}`,
        kind: 'rule',
        provider: 'certwarden',
        account: '-',
        location: '-',
        name: rule.id,
      };
      findings.push({
        id: findingId('rule-error', resource.uid),
        ruleId: 'rule-error',
        severity: 'high',
        category: rule.category,
        title: 'A rule failed to run',
        message: `rule ${rule.id} failed: ${err instanceof Error ? err.message : String(err)}; its findings are missing from this report`,
        resource,
        related: [],
        evidence: {},
        remediation: 'Report this as a bug in certwarden, with the rule id and the message.',
      });
    }
  }
  return findings;
}
