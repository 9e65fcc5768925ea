/**
 * The change signal for load balancers: CloudTrail's event history (LookupEvents). Listings of
 * load balancers say nothing about their listeners, so without a signal every listener is
 * described again each night. With one, a load balancer that no listener-changing event names
 * since the previous run keeps its previous bindings (refreshed from tonight's listing and tags);
 * the others are read in full.
 *
 * LookupEvents (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html)
 * takes one lookup attribute per call, returns at most 50 events a page, holds 90 days and allows
 * two calls a second per account and Region: one lookup per event name below, from the previous
 * run's start less an overlap for CloudTrail's delivery delay ("typically ... within an average
 * of about 5 minutes of an API call. This time is not guaranteed").
 *
 * Whatever the signal could have missed means a full read of the scope, named in its log line:
 * no previous run or no previous record of the scope, a previous read of it that was not complete,
 * a gap longer than the history, a previous run that starts after tonight's clock, an event
 * dated ahead of it (clock skew), or a lookup that fails (denied, CloudTrail not available).
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { Binding, ScopeResult } from '../../src/model/types.js';
import type { CollectContext } from '../../src/engine/api/provider.js';
import { abortable, awsCall } from '../aws-shared/call.js';
import { clientSettings, lean } from '../aws-shared/clients.js';
import type { AwsHandle } from '../aws-shared/handle.js';
import { toBinding, type ElbLoadBalancer } from './map.js';

/** ELBv2 management events that add, remove or change a listener or its certificates. */
export const CHANGE_EVENTS = [
  'CreateLoadBalancer',
  'DeleteLoadBalancer',
  'CreateListener',
  'DeleteListener',
  'ModifyListener',
  'AddListenerCertificates',
  'RemoveListenerCertificates',
] as const;

/** Three times the typical delivery delay: an event delivered late is still looked at the next night. */
export const OVERLAP_MS = 15 * 60_000;
export const HISTORY_MS = 90 * 86_400_000;
const SKEW_MS = 5 * 60_000;
const MAX_PAGES = 200;

export type ChangePlan =
  { full: true; reason: string } | { full: false; changed: Set<string>; previous: Map<string, Binding[]> };

/** The load balancer ARN a listener or load balancer ARN belongs to. */
export function loadBalancerOf(arn: string): string {
  const m = /^(arn:[^:]+:elasticloadbalancing:[^:]*:\d+:)listener\/([^/]+\/[^/]+\/[^/]+)\/[^/]+$/.exec(arn);
  return m ? `${m[1]}loadbalancer/${m[2]}` : arn;
}

function previousScope(ctx: CollectContext, h: AwsHandle): ScopeResult | undefined {
  return ctx.incremental?.scopes?.find(
    (s) => s.provider === 'aws-elbv2' && s.account === h.account && s.location === h.region,
  );
}

/** What the previous run leaves to rely on, or why it leaves nothing. */
function basis(ctx: CollectContext, h: AwsHandle): { since: number; reason?: undefined } | { reason: string } {
  const inc = ctx.incremental;
  if (!inc?.startedAt || !inc.bindings) return { reason: 'no previous run to compare with' };
  const prev = previousScope(ctx, h);
  if (!prev) return { reason: 'the previous run did not read this scope' };
  if (prev.status !== 'ok') return { reason: `the previous run read this scope ${prev.status}` };
  const started = Date.parse(inc.startedAt);
  const now = ctx.now.getTime();
  if (!Number.isFinite(started)) return { reason: 'the previous run has no start time' };
  if (started > now) return { reason: 'the previous run starts after this clock (clock skew)' };
  const since = started - OVERLAP_MS;
  if (now - since >= HISTORY_MS) return { reason: 'the previous run is older than CloudTrail event history (90 days)' };
  return { since };
}

async function changedLoadBalancers(h: AwsHandle, since: number, ctx: CollectContext): Promise<Set<string>> {
  const client = lean(new CloudTrailClient(clientSettings(h, h.region)));
  const changed = new Set<string>();
  try {
    for (const name of CHANGE_EVENTS) {
      let token: string | undefined;
      for (let page = 0; page === 0 || token; page++) {
        if (page >= MAX_PAGES) throw new Error(`more than ${MAX_PAGES} pages of ${name} events`);
        const out = await awsCall(
          h,
          'LookupEvents',
          () =>
            abortable(
              client.send(
                new LookupEventsCommand({
                  LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: name }],
                  StartTime: new Date(since),
                  MaxResults: 50,
                  NextToken: token,
                }),
              ),
              ctx.signal,
            ),
          { api: 'cloudtrail:LookupEvents', signal: ctx.signal },
        );
        for (const e of out.Events ?? []) {
          if (e.EventTime && e.EventTime.getTime() > ctx.now.getTime() + SKEW_MS)
            throw new Error(`an event is dated ${e.EventTime.toISOString()}, after this clock (clock skew)`);
          for (const r of e.Resources ?? []) if (r.ResourceName) changed.add(loadBalancerOf(r.ResourceName));
        }
        token = out.NextToken;
      }
    }
    return changed;
  } finally {
    client.destroy();
  }
}

/** Whether tonight may rely on the signal for this scope, and if so what changed. */
export async function planScope(h: AwsHandle, ctx: CollectContext): Promise<ChangePlan> {
  const b = basis(ctx, h);
  if (b.reason !== undefined) return { full: true, reason: b.reason };
  let changed: Set<string>;
  try {
    changed = await changedLoadBalancers(h, b.since, ctx);
  } catch (err) {
    return { full: true, reason: `the change signal failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  const previous = new Map<string, Binding[]>();
  for (const x of ctx.incremental!.bindings!) {
    if (x.provider !== 'aws-elbv2' || x.account !== h.account || x.location !== h.region) continue;
    const lb = x.loadBalancer?.arn ?? loadBalancerOf(x.resource);
    // A binding that lacked an enrichment last night is read again, to fill it.
    if (x.unread?.length) changed.add(lb);
    previous.set(lb, [...(previous.get(lb) ?? []), x]);
  }
  return { full: false, changed, previous };
}

/** Last night's bindings of an unchanged load balancer, with tonight's listing and tags. */
export function reuse(
  plan: ChangePlan,
  lb: ElbLoadBalancer,
  tags: Record<string, string> | undefined,
): Binding[] | undefined {
  if (plan.full || plan.changed.has(lb.LoadBalancerArn!)) return undefined;
  return (plan.previous.get(lb.LoadBalancerArn!) ?? []).map((p) =>
    toBinding({
      account: p.account,
      region: p.location,
      loadBalancer: lb,
      listener: { ListenerArn: p.resource, Port: p.port, Protocol: p.protocol },
      certificate: { arn: p.certificateRef, isDefault: p.isDefault ?? true },
      policy: p.tlsPolicy,
      tags,
    }),
  );
}
