/**
 * Reminders before expiry, after Lemur's notifications at set intervals before a certificate
 * expires: an expiring certificate is announced again each time it crosses a threshold (days
 * before notAfter), once per threshold and target, remembered in the store. A night that does not
 * run costs nothing: the next night finds the threshold crossed and not yet sent, and sends it.
 */
import type { NotifyTarget } from '../config/schema.js';
import type { Finding } from '../model/types.js';
import type { RememberedReport } from '../store/remember.js';
import type { SentReminder } from '../store/types.js';
import type { NotifyItem } from './items.js';
import { routes, targetKey } from './route.js';

export const DEFAULT_REMINDER_DAYS = [30, 14, 7, 3, 1];
/** The rule whose findings carry a certificate's days left; reminders follow its findings. */
export const REMINDER_RULE = 'cert-expiring';

const key = (uid: string, notAfter: string, threshold: number) => `${uid}\u0000${notAfter}\u0000${threshold}`;

function expiry(f: Finding): { notAfter: string; daysLeft: number } | undefined {
  const { notAfter, daysLeft } = f.evidence;
  if (f.ruleId !== REMINDER_RULE || f.resource.kind !== 'certificate') return undefined;
  if (typeof notAfter !== 'string' || typeof daysLeft !== 'number') return undefined;
  return { notAfter, daysLeft };
}

export interface Reminders {
  items: NotifyItem[];
  /** Every threshold these items cover, to be remembered once they are delivered. */
  covers: SentReminder[];
}

/**
 * The reminders one target is owed tonight. A certificate that crossed several thresholds since it
 * was last announced (a missed night, or a jump from 31 to 6 days) gets one message, at the lowest
 * threshold crossed, and all of them are remembered. `already` are the findings the target gets
 * tonight anyway (new or worsened): their thresholds are remembered without a second message.
 * A target with `remindWithinDays` (escalation) counts only thresholds at or below it.
 */
export function remindersFor(
  report: RememberedReport,
  t: NotifyTarget,
  thresholds: number[],
  sent: SentReminder[],
  already: Set<string>,
): Reminders {
  const out: Reminders = { items: [], covers: [] };
  if (t.reminders === false) return out;
  const target = targetKey(t);
  const done = new Set(sent.filter((s) => s.target === target).map((s) => key(s.uid, s.notAfter, s.threshold)));
  const own = thresholds.filter((d) => t.remindWithinDays === undefined || d <= t.remindWithinDays);
  for (const f of report.findings) {
    const e = expiry(f);
    if (!e || f.status === 'suppressed' || !routes(t, f)) continue;
    const due = own
      .filter((d) => e.daysLeft <= d && !done.has(key(f.resource.uid, e.notAfter, d)))
      .sort((a, b) => a - b);
    if (!due.length) continue;
    for (const d of due) out.covers.push({ target, uid: f.resource.uid, notAfter: e.notAfter, threshold: d });
    if (!already.has(f.id)) out.items.push({ change: 'reminder', threshold: due[0], daysLeft: e.daysLeft, finding: f });
  }
  return out;
}
