import type { RememberedReport } from '../store/remember.js';
import { headline, type NotifyItem } from './items.js';

/** The generic JSON webhook body: plain data, for a receiver that routes or tickets findings itself. */
export function webhookPayload(
  report: RememberedReport,
  items: NotifyItem[],
  maxItems: number,
): Record<string, unknown> {
  const shown = items.slice(0, maxItems);
  return {
    tool: report.tool,
    run: { id: report.run.id, now: report.run.now, ...(report.history ? { seq: report.history.run } : {}) },
    summary: headline(items),
    counts: {
      new: items.filter((i) => i.change === 'new').length,
      worsened: items.filter((i) => i.change === 'worsened').length,
      reminders: items.filter((i) => i.change === 'reminder').length,
    },
    findings: shown.map(({ change, previousSeverity, threshold, daysLeft, finding: f }) => ({
      id: f.id,
      change,
      severity: f.severity,
      ...(previousSeverity ? { previousSeverity } : {}),
      ...(threshold !== undefined ? { threshold, daysLeft } : {}),
      ruleId: f.ruleId,
      title: f.title,
      message: f.message,
      resource: f.resource,
      firstSeen: f.firstSeen,
      remediation: f.remediation,
      ...(f.owner ? { owner: f.owner } : {}),
    })),
    truncated: items.length - shown.length,
    // Accounts and subscriptions audited last run and not tonight: what the audit no longer sees.
    coverageLost: (report.history?.coverage?.lost ?? []).slice(0, maxItems),
    coverageGained: (report.history?.coverage?.gained ?? []).slice(0, maxItems),
  };
}
