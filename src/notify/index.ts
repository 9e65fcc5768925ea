import type { Config, NotifyTarget, SecurityHubTarget } from '../config/schema.js';
import { isLoopbackHost } from '../net/loopback.js';
import type { Logger } from '../engine/api/provider.js';
import type { RuleMeta } from '../report/sarif.js';
import type { RememberedReport } from '../store/remember.js';
import { openTarget } from '../store/backend.js';
import type { NotifyOutcome, SentReminder, Store } from '../store/types.js';
import { notifyItems } from './items.js';
import { DEFAULT_REMINDER_DAYS, remindersFor } from './reminders.js';
import { routes, targetKey } from './route.js';
import { postJson, WebhookError } from './post.js';
import { importToSecurityHub } from './securityhub.js';
import { slackPayload } from './slack.js';
import { webhookPayload } from './webhook.js';

export interface NotifyOptions {
  env?: NodeJS.ProcessEnv;
  log: Logger;
  /** Base delay between attempts (tests shorten it). */
  minDelayMs?: number;
  /** The store the run still holds: the outcomes join the run's own transaction. */
  store?: Store;
  /** Reminders before expiry: the thresholds in days, and the reminders the store says were sent. */
  reminders?: { days: number[]; sent: SentReminder[] };
  /** For a Security Hub target: the AWS settings (endpoint, accounts) and the rule catalog. */
  aws?: Config['providers']['aws'];
  rules?: RuleMeta[];
}

interface Sent {
  outcome: NotifyOutcome;
  /** Reminder thresholds delivered with this message. */
  covers: SentReminder[];
}

/** How a target is named in logs and in the store: by position and variable, never by URL. */
function targetName(t: NotifyTarget, i: number): string {
  return `notify[${i}] ${t.type} ($${t.urlEnv})`;
}

function checkUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'is not a URL';
  }
  // Checked before any connection, and never echoed: the values are what must not be shown.
  if (url.username || url.password)
    return 'holds credentials before the host (user:password@), which are refused: they would be sent in clear to every hop that logs URLs';
  if (url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname))) return undefined;
  return 'must be an https URL (plain http only on a loopback address)';
}

async function send(report: RememberedReport, t: NotifyTarget, i: number, opts: NotifyOptions): Promise<Sent> {
  const target = targetName(t, i);
  const base = { target, type: t.type };
  if (!report.history)
    return {
      outcome: {
        ...base,
        status: 'skipped',
        items: 0,
        error: 'notifications need a history store (`store:` in the config) to tell new findings from the backlog',
      },
      covers: [],
    };
  const changed = notifyItems(report, t.minSeverity, (f) => routes(t, f));
  const r = opts.reminders
    ? remindersFor(report, t, opts.reminders.days, opts.reminders.sent, new Set(changed.map((c) => c.finding.id)))
    : { items: [], covers: [] };
  const items = [...changed, ...r.items];
  const outcome = await deliver(report, t, target, items, opts);
  return { outcome, covers: outcome.status === 'sent' ? r.covers : [] };
}

async function deliver(
  report: RememberedReport,
  t: NotifyTarget,
  target: string,
  items: ReturnType<typeof notifyItems>,
  opts: NotifyOptions,
): Promise<NotifyOutcome> {
  const base = { target, type: t.type };
  // A coverage loss is worth a message on its own: silent loss of coverage is what an auditor fears.
  const lost = report.history?.coverage?.lost.length ?? 0;
  if (items.length === 0 && !lost) return { ...base, status: 'skipped', items: 0 };
  const url = (opts.env ?? process.env)[t.urlEnv];
  if (!url)
    return { ...base, status: 'failed', items: items.length, error: `environment variable ${t.urlEnv} is not set` };
  const bad = checkUrl(url);
  if (bad) return { ...base, status: 'failed', items: items.length, error: `the value of ${t.urlEnv} ${bad}` };
  try {
    const body =
      t.type === 'slack' ? slackPayload(report, items, t.maxItems) : webhookPayload(report, items, t.maxItems);
    await postJson(url, body, {
      timeoutMs: t.timeoutMs,
      attempts: t.attempts,
      minDelayMs: opts.minDelayMs,
      onRetry: (err, attempt) => opts.log.debug(`${target}: attempt ${attempt} failed: ${(err as Error).message}`),
    });
    return { ...base, status: 'sent', items: items.length };
  } catch (err) {
    // Belt and braces: whatever the error says, the secret URL does not reach a log.
    let message = String((err as Error)?.message ?? err)
      .split(url)
      .join(`$${t.urlEnv}`);
    if (err instanceof WebhookError && err.code === 'RedirectRefused')
      message += ` (a webhook URL must answer itself; set ${t.urlEnv} to the final URL)`;
    return { ...base, status: 'failed', items: items.length, error: message };
  }
}

/**
 * Posts tonight's new and worsened findings to every configured webhook (and imports the AWS
 * findings into Security Hub for a `securityhub` target). A failing webhook is a
 * warning and an entry in the store's record of the run; it never fails the audit.
 */
export async function notifyRun(
  report: RememberedReport,
  targets: (NotifyTarget | SecurityHubTarget)[],
  opts: NotifyOptions,
): Promise<NotifyOutcome[]> {
  return (await notifyTargets(report, targets, opts)).outcomes;
}

/** `notifyRun`, also giving the reminder thresholds delivered, for the store to remember. */
export async function notifyTargets(
  report: RememberedReport,
  targets: (NotifyTarget | SecurityHubTarget)[],
  opts: NotifyOptions,
): Promise<{ outcomes: NotifyOutcome[]; covers: SentReminder[] }> {
  const sent = await Promise.all(
    targets.map(async (t, i): Promise<Sent> =>
      t.type === 'securityhub'
        ? { outcome: (await importToSecurityHub(report, t, `notify[${i}] securityhub`, opts)).outcome, covers: [] }
        : send(report, t, i, opts),
    ),
  );
  const outcomes = sent.map((s) => s.outcome);
  for (const o of outcomes) {
    // A Security Hub import names the findings it lost itself: the others of those items went through.
    if (o.status === 'failed' && o.type === 'securityhub') opts.log.warn(`${o.target}: ${o.error}`);
    else if (o.status === 'failed') opts.log.warn(`${o.target}: ${o.items} finding(s) not delivered: ${o.error}`);
    else if (o.status === 'sent') opts.log.info(`${o.target}: sent ${o.items} finding(s)`);
    else if (o.error) opts.log.warn(`${o.target}: skipped: ${o.error}`);
  }
  return { outcomes, covers: sent.flatMap((s) => s.covers) };
}

/** The audit command's last step: notify, then note the outcomes beside the stored run. */
export async function notifyAfterRun(
  report: RememberedReport,
  config: Config,
  opts: NotifyOptions,
): Promise<NotifyOutcome[]> {
  if (!config.notify?.length) return [];
  const history = report.history;
  let sent: SentReminder[] | undefined;
  if (config.store && history) {
    try {
      const store = opts.store ?? (await openTarget(config.store));
      try {
        sent = await store.sentReminders(
          config.notify.filter((t): t is NotifyTarget => t.type !== 'securityhub').map(targetKey),
        );
      } finally {
        if (!opts.store) await store.close();
      }
    } catch (err) {
      // Without the record of what was sent, a reminder could go twice: none is sent tonight.
      opts.log.warn(`could not read the reminders already sent; none is sent tonight: ${(err as Error).message}`);
    }
  }
  const days = config.reminders?.days ?? DEFAULT_REMINDER_DAYS;
  const { outcomes, covers } = await notifyTargets(report, config.notify, {
    ...opts,
    ...(sent ? { reminders: { days, sent } } : {}),
  });
  if (config.store && history) {
    try {
      const store = opts.store ?? (await openTarget(config.store));
      try {
        await store.recordNotifications(history.run, outcomes);
        await store.recordReminders(history.run, report.run.now, covers);
      } finally {
        if (!opts.store) await store.close();
      }
    } catch (err) {
      opts.log.warn(`could not record notification outcomes in the history store: ${(err as Error).message}`);
    }
  }
  return outcomes;
}
