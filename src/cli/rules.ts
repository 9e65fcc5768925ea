import { z } from 'zod';
import type { Rule } from '../engine/api/rule.js';
import { visibleText as t } from '../report/escape.js';
import { FACETS, type FacetName } from '../model/facets.js';

export interface RuleDoc {
  id: string;
  title: string;
  category: string;
  severity: string;
  /** Facets the rule reads; it judges only records that carry one of them. Empty: every record. */
  requires: FacetName[];
  description: string;
  remediation: string;
  references: string[];
  compliance: Record<string, string[]>;
  /** Enrichments the rule needs on a record; a record that lacks one is not judged. */
  needs: string[];
  params: Record<string, unknown>;
  paramsSchema: unknown;
}

/** A rule's metadata as data, with its params' defaults: the source of `certwarden rules` and docs/rules.md. */
export function ruleDoc(rule: Rule): RuleDoc {
  return {
    id: rule.id,
    title: rule.title,
    category: rule.category,
    severity: rule.severity,
    requires: [...(rule.requires ?? [])],
    description: rule.description,
    remediation: rule.remediation,
    references: rule.references,
    compliance: rule.compliance ?? {},
    needs: rule.needs ?? [],
    params: rule.params.parse({}) as Record<string, unknown>,
    paramsSchema: z.toJSONSchema(rule.params, { io: 'input', unrepresentable: 'any' }),
  };
}

export function rulesTable(rules: Rule[]): string {
  const rows = rules.map((r) => {
    const d = ruleDoc(r);
    const params = Object.entries(d.params)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(' ');
    return [d.id, d.severity, d.category, d.title, params].map(t);
  });
  const head = ['rule', 'severity', 'category', 'title', 'params (defaults)'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(head), ...rows.map(line)].join('\n') + '\n';
}

/** "the `acm` facet (aws-acm certificates) or the `keyVault` facet (azure-keyvault certificates)" */
function requiresText(facets: FacetName[]): string {
  return facets.map((f) => `the \`${f}\` facet (${FACETS[f].provider} ${FACETS[f].kind}s)`).join(' or ');
}

export function rulesMarkdown(rules: Rule[]): string {
  const out = [
    '# Rules',
    '',
    "Generated from the rules' own metadata by `certwarden rules --format markdown`; do not edit by hand.",
    '',
  ];
  out.push('| rule | severity | category | title | requires |', '|---|---|---|---|---|');
  for (const r of rules)
    out.push(
      `| [\`${r.id}\`](#${r.id}) | ${r.severity} | ${r.category} | ${r.title} | ${(r.requires ?? []).map((f) => `\`${f}\``).join(' or ') || '—'} |`,
    );
  for (const r of rules) {
    const d = ruleDoc(r);
    out.push(
      '',
      `## ${d.id}`,
      '',
      `**${d.title}** — default severity \`${d.severity}\`, category \`${d.category}\`.`,
      '',
      d.description,
      '',
      `**Remediation.** ${d.remediation}`,
      '',
    );
    if (d.requires.length) out.push(`**Requires.** ${requiresText(d.requires)}; not applicable to other records.`, '');
    const params = Object.entries(d.params);
    if (params.length) {
      out.push('| param | default |', '|---|---|');
      for (const [k, v] of params) out.push(`| \`${k}\` | \`${JSON.stringify(v)}\` |`);
      out.push('');
    }
    if (d.needs.length)
      out.push(
        `**Needs.** ${d.needs.map((e) => `\`${e}\``).join(', ')}: a record that lacks it (its \`unread\`, see [permissions.md](permissions.md#what-each-permission-costs)) is not judged.`,
        '',
      );
    const controls = Object.entries(d.compliance);
    if (controls.length)
      out.push(`**Compliance.** ${controls.map(([f, c]) => `${f}: ${c.join(', ')}`).join('; ')}`, '');
    out.push(`**References.** ${d.references.map((u) => `<${u}>`).join(', ')}`);
  }
  return out.join('\n') + '\n';
}
