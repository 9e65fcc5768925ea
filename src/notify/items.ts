import type { Finding } from '../model/types.js';
import { atLeast, type Severity } from '../model/severity.js';
import type { RememberedReport } from '../store/remember.js';

/** A finding worth interrupting someone for: new tonight, or worse than it was last night. */
export interface NotifyItem {
  change: 'new' | 'worsened';
  previousSeverity?: Severity;
  finding: Finding;
}

/**
 * New and worsened findings at or above `minSeverity`, most severe first (the report's order).
 * Suppressed findings never notify; the backlog of open findings never does either.
 */
export function notifyItems(report: RememberedReport, minSeverity: Severity): NotifyItem[] {
  const worse = new Map((report.history?.worsened ?? []).map((w) => [w.id, w]));
  const items: NotifyItem[] = [];
  for (const f of report.findings) {
    if (f.status === 'suppressed' || !atLeast(f.severity, minSeverity)) continue;
    const w = worse.get(f.id);
    if (f.status === 'new') items.push({ change: 'new', finding: f });
    else if (w) items.push({ change: 'worsened', previousSeverity: w.from, finding: f });
  }
  return items;
}

export function headline(items: NotifyItem[]): string {
  const added = items.filter((i) => i.change === 'new').length;
  const worse = items.length - added;
  return `certwarden: ${added} new and ${worse} worsened finding${items.length === 1 ? '' : 's'}`;
}
