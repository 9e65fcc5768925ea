import type { Binding, Certificate, Finding, ScopeResult } from '../../src/model/types.js';
import type { Rule } from '../../src/engine/api/rule.js';
import { evaluate } from '../../src/engine/runtime/evaluate.js';
import { link, type Binders, type Stores } from '../../src/engine/api/link.js';
import { NOW } from '../fixtures/certs.js';

export interface Case {
  name: string;
  certificates?: Certificate[];
  bindings?: Binding[];
  scopes?: ScopeResult[];
  binders?: Binders;
  stores?: Stores;
  params?: Record<string, unknown>;
  now?: Date;
}

/** How bindings name the shipped certificate providers' certificates (their `referencedAs`). */
export const STORES: Stores = {
  'aws-acm': { refKind: 'acm', reach: 'location' },
  'aws-iam': { refKind: 'iam', reach: 'account' },
  'azure-keyvault': { refKind: 'keyvault', reach: 'anywhere' },
};

/** Runs one rule over a small inventory, the way the engine does, and returns its findings. */
export function run(rule: Rule, c: Case): Finding[] {
  const inv = link(
    { certificates: c.certificates ?? [], bindings: c.bindings ?? [], scopes: c.scopes ?? [] },
    c.binders ?? {},
    c.stores ?? STORES,
  );
  return evaluate([{ rule, params: rule.params.parse(c.params ?? {}) }], inv, c.now ?? NOW);
}

/** "uid:severity" per finding: compact enough for a table of expectations. */
export function summary(findings: Finding[]): string[] {
  return findings.map((f) => `${f.resource.name}:${f.severity}`).sort();
}
