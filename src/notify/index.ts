import type { Config, NotifyTarget, SecurityHubTarget } from '../config/schema.js';
import { isLoopbackHost } from '../net/loopback.js';
import type { Logger } from '../engine/api/provider.js';
import type { RuleMeta } from '../report/sarif.js';
import type { RememberedReport } from '../store/remember.js';
import { openStore } from '../store/sqlite.js';
import type { NotifyOutcome, Store } from '../store/types.js';
import { notifyItems } from './items.js';
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
  /** For a Security Hub target: the AWS settings (endpoint, accounts) and the rule catalog. */
  aws?: Config['providers']['aws'];
  rules?: RuleMeta[];
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

async function send(report: RememberedReport, t: NotifyTarget, i: number, opts: NotifyOptions): Promise<NotifyOutcome> {
  const target = targetName(t, i);
  const base = { target, type: t.type };
  if (!report.history)
    return {
      ...base,
      status: 'skipped',
      items: 0,
      error: 'notifications need a history store (`store:` in the config) to tell new findings from the backlog',
    };
  const items = notifyItems(report, t.minSeverity);
  if (items.length === 0) return { ...base, status: 'skipped', items: 0 };
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
  const outcomes = await Promise.all(
    targets.map(async (t, i) =>
      t.type === 'securityhub'
        ? (await importToSecurityHub(report, t, `notify[${i}] securityhub`, opts)).outcome
        : send(report, t, i, opts),
    ),
  );
  for (const o of outcomes) {
    // A Security Hub import names the findings it lost itself: the others of those items went through.
    if (o.status === 'failed' && o.type === 'securityhub') opts.log.warn(`${o.target}: ${o.error}`);
    else if (o.status === 'failed') opts.log.warn(`${o.target}: ${o.items} finding(s) not delivered: ${o.error}`);
    else if (o.status === 'sent') opts.log.info(`${o.target}: sent ${o.items} finding(s)`);
    else if (o.error) opts.log.warn(`${o.target}: skipped: ${o.error}`);
  }
  return outcomes;
}

/** The audit command's last step: notify, then note the outcomes beside the stored run. */
export async function notifyAfterRun(
  report: RememberedReport,
  config: Config,
  opts: NotifyOptions,
): Promise<NotifyOutcome[]> {
  if (!config.notify?.length) return [];
  const outcomes = await notifyRun(report, config.notify, opts);
  if (config.store && report.history) {
    try {
      const store = opts.store ?? openStore(config.store.path);
      try {
        store.recordNotifications(report.history.run, outcomes);
      } finally {
        if (!opts.store) store.close();
      }
    } catch (err) {
      opts.log.warn(`could not record notification outcomes in the history store: ${(err as Error).message}`);
    }
  }
  return outcomes;
}
