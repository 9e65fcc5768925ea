import type { Finding } from '../model/types.js';
import { atLeast, type Severity } from '../model/severity.js';
import type { RememberedReport } from '../store/remember.js';

/**
 * A finding worth interrupting someone for: new tonight, worse than it was last night, or a
 * certificate crossing a reminder threshold before expiry.
 */
export interface NotifyItem {
  change: 'new' | 'worsened' | 'reminder';
  previousSeverity?: Severity;
  /** For a reminder: the threshold crossed (days before expiry), and the days left. */
  threshold?: number;
  daysLeft?: number;
  finding: Finding;
}

/**
 * New and worsened findings at or above `minSeverity`, most severe first (the report's order).
 * Suppressed findings never notify; the backlog of open findings never does either.
 */
export function notifyItems(
  report: RememberedReport,
  minSeverity: Severity,
  routes: (f: Finding) => boolean = () => true,
): NotifyItem[] {
  const worse = new Map((report.history?.worsened ?? []).map((w) => [w.id, w]));
  const items: NotifyItem[] = [];
  for (const f of report.findings) {
    if (f.status === 'suppressed' || !atLeast(f.severity, minSeverity) || !routes(f)) continue;
    const w = worse.get(f.id);
    if (f.status === 'new') items.push({ change: 'new', finding: f });
    else if (w) items.push({ change: 'worsened', previousSeverity: w.from, finding: f });
  }
  return items;
}

export function headline(items: NotifyItem[]): string {
  const added = items.filter((i) => i.change === 'new').length;
  const reminders = items.filter((i) => i.change === 'reminder').length;
  const worse = items.length - added - reminders;
  const findings = `certwarden: ${added} new and ${worse} worsened finding${added + worse === 1 ? '' : 's'}`;
  return reminders ? `${findings}, ${reminders} reminder${reminders === 1 ? '' : 's'} before expiry` : findings;
}
