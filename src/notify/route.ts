import type { NotifyTarget } from '../config/schema.js';
import { atLeast } from '../model/severity.js';
import type { Finding } from '../model/types.js';

/** The owner name a target's `owners` list uses for findings that no owner was attributed to. */
export const UNOWNED = 'unowned';

/** Whether a finding reaches a target: every filter the target gives must match. */
export function routes(t: NotifyTarget, f: Finding): boolean {
  if (!atLeast(f.severity, t.minSeverity)) return false;
  if (t.owners && !t.owners.includes(f.owner?.name ?? UNOWNED)) return false;
  if (t.accounts && !t.accounts.includes(f.resource.account)) return false;
  if (t.providers && !t.providers.includes(f.resource.provider)) return false;
  if (t.rules && !t.rules.includes(f.ruleId)) return false;
  return true;
}

/** How a target is known in the store's record of reminders: by type and variable, which survive reordering the list. */
export const targetKey = (t: NotifyTarget) => `${t.type}:${t.urlEnv}`;
