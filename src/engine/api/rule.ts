import * as crypto from 'node:crypto';
import type { z } from 'zod';
import type { Binding, Certificate } from '../../model/types.js';
import type { FacetName } from '../../model/facets.js';
import type { Severity } from '../../model/severity.js';
import type { LinkedInventory } from './link.js';

export type Category = 'expiry' | 'keys' | 'bindings' | 'renewal' | 'tls' | 'hygiene';

export interface RuleContext<P> {
  /** The audit's clock; rules never read the system time. */
  now: Date;
  params: P;
}

/** What a rule yields; the engine turns it into a Finding with a stable id. */
export interface FindingDraft {
  resource: Certificate | Binding;
  message: string;
  /** Overrides the rule's default severity for this finding (escalation). */
  severity?: Severity;
  /** Uids of the other records the finding concerns (the bindings that serve a certificate). */
  related?: string[];
  evidence?: Record<string, unknown>;
  /** Distinguishes several findings of one rule on one resource. */
  key?: string;
}

export interface Rule<P = unknown> {
  /** kebab-case, permanent: users suppress and search by it. */
  id: string;
  title: string;
  category: Category;
  severity: Severity;
  /**
   * The facets the rule reads (src/model/facets.ts). It judges only records that carry one of
   * them and is not applicable to the others; the engine refuses a finding on a record without.
   */
  requires?: readonly FacetName[];
  description: string;
  remediation: string;
  references: string[];
  /** Framework -> control ids, e.g. { 'PCI-DSS-4.0': ['4.2.1'] }. */
  compliance?: Record<string, string[]>;
  /**
   * Enrichments the rule needs on the record it judges (`acm-detail`, `tls-policy`, `tags`): a
   * record that lacks one (its `unread`) gets no finding from it, and the history store does not
   * resolve the rule's findings on such a record. `requires` names the facets it reads; `needs`
   * names the optional reads that fill them.
   */
  needs?: string[];
  /**
   * The rule compares records of different accounts (one key held in several places, what a server
   * sends against what an account holds). A shard of a sharded audit sees only some accounts and
   * does not run it; the merge, which sees them all, does.
   */
  estateWide?: boolean;
  /** Schema of the rule's params, with their defaults; config overrides are checked against it. */
  params: z.ZodType<P>;
  check(inv: LinkedInventory, ctx: RuleContext<P>): Iterable<FindingDraft>;
}

/** Types a rule's params from its schema, so `ctx.params` is checked at compile time. */
export function defineRule<S extends z.ZodType<object>>(
  rule: Omit<Rule<z.output<S>>, 'params'> & { params: S },
): Rule<z.output<S>> {
  return rule as unknown as Rule<z.output<S>>;
}

/** Whether the rule can judge the record: it lacks none of the enrichments the rule requires. */
export function judgeable(rule: Pick<Rule, 'needs'>, rec: { unread?: string[] } | undefined): boolean {
  return !rule.needs?.length || !rec?.unread?.some((e) => rule.needs!.includes(e));
}

/**
 * SHA-256 of a short text. `crypto.hash` (Node 20.12 and later) needs no Hash object per call,
 * which halves the cost of an id at a million findings; earlier Node 20 releases lack it.
 */
const sha256: (text: string) => Buffer =
  typeof crypto.hash === 'function'
    ? (text) => crypto.hash('sha256', text, 'buffer')
    : (text) => crypto.createHash('sha256').update(text).digest();

export function findingId(ruleId: string, resourceUid: string, key = ''): string {
  // The first 10 bytes as 20 hex digits: a string of its own, where slicing the full hex digest
  // would keep all 64 digits alive behind every finding.
  return sha256(`${ruleId}\u0000${resourceUid}\u0000${key}`).toString('hex', 0, 10);
}
