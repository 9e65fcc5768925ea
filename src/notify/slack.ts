import { changeLine } from '../coverage/changes.js';
import type { RememberedReport } from '../store/remember.js';
import { headline, type NotifyItem } from './items.js';

/**
 * Slack's mrkdwn treats `&`, `<` and `>` as control characters (`<!channel>`, `<url|text>`);
 * every string that came from a cloud is escaped so it can neither ping people nor forge links.
 * https://api.slack.com/reference/surfaces/formatting#escaping
 */
export function escapeMrkdwn(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// A section's text is limited to 3000 characters and a message to 50 blocks.
const SECTION_MAX = 3000;
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function line(i: NotifyItem): string {
  const f = i.finding;
  const change =
    i.change === 'worsened'
      ? ` (was ${i.previousSeverity})`
      : i.change === 'reminder'
        ? ` (reminder: ${i.daysLeft} day(s) left, ${i.threshold}-day threshold)`
        : ' (new)';
  const where = `${f.resource.provider} ${f.resource.account}/${f.resource.location}${f.owner ? ` · owner ${f.owner.name}` : ''}`;
  return clip(
    `*[${f.severity}]*${change} \`${f.ruleId}\` ${escapeMrkdwn(f.message)}\n_${escapeMrkdwn(where)}_ · id \`${f.id}\``,
    SECTION_MAX,
  );
}

/** An incoming-webhook message: blocks for people, `text` for notifications and old clients. */
/** Coverage lost since the previous run, one block (Slack's section text holds 3,000 characters). */
function coverageBlock(report: RememberedReport, maxItems: number): unknown[] {
  const lost = report.history?.coverage?.lost ?? [];
  if (!lost.length) return [];
  const lines = lost.slice(0, maxItems).map((c) => `• ${escapeMrkdwn(changeLine(c))}`);
  const more = lost.length > maxItems ? `\n…and ${lost.length - maxItems} more` : '';
  const text = `*Coverage lost since the previous run: ${lost.length}*\n${lines.join('\n')}${more}`;
  return [{ type: 'section', text: { type: 'mrkdwn', text: clip(text, 3000) } }];
}

export function slackPayload(report: RememberedReport, items: NotifyItem[], maxItems: number): Record<string, unknown> {
  const shown = items.slice(0, maxItems);
  const rest = items.length - shown.length;
  const title = headline(items);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(title, 150) } },
    ...shown.map((i) => ({ type: 'section', text: { type: 'mrkdwn', text: line(i) } })),
    ...coverageBlock(report, maxItems),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `${rest > 0 ? `and ${rest} more in the report · ` : ''}run ${report.run.id} at ${report.run.now}`,
        },
      ],
    },
  ];
  return { text: `${title} (run ${report.run.id})`, blocks };
}
