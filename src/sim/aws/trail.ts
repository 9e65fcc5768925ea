/**
 * CloudTrail's event history, as the simulator keeps it: the management events of the simulated
 * ELBv2 mutations (elbv2-changes.ts), per account and region, each visible to LookupEvents only
 * after a delivery delay. CloudTrail "typically delivers logs within an average of about 5 minutes
 * of an API call. This time is not guaranteed"
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/get-and-view-cloudtrail-log-files.html);
 * event history holds the last 90 days of management events of a Region
 * (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/view-cloudtrail-events.html).
 */
import { createHash } from 'node:crypto';

export const TRAIL_HISTORY_MS = 90 * 86_400_000;
export const DEFAULT_DELIVERY_MS = 5 * 60_000;

export interface TrailEvent {
  id: string;
  name: string;
  source: string;
  time: Date;
  /** When LookupEvents starts returning it. */
  deliveredAt: Date;
  resources: { type: string; name: string }[];
  request: Record<string, unknown>;
}

export interface Trail {
  /** "account/region" -> events, oldest first. */
  events: Map<string, TrailEvent[]>;
  /** Delivery delay of each new event. */
  deliveryMs: number;
}

export function newTrail(deliveryMs = DEFAULT_DELIVERY_MS): Trail {
  return { events: new Map(), deliveryMs };
}

export function record(
  trail: Trail,
  scope: string,
  e: Omit<TrailEvent, 'id' | 'deliveredAt' | 'source'> & { source?: string },
): TrailEvent {
  const list = trail.events.get(scope) ?? [];
  const event: TrailEvent = {
    id: uuidOf(scope, String(list.length), e.name, e.time.toISOString()),
    source: e.source ?? 'elasticloadbalancing.amazonaws.com',
    deliveredAt: new Date(e.time.getTime() + trail.deliveryMs),
    ...e,
  };
  list.push(event);
  trail.events.set(scope, list);
  return event;
}

function uuidOf(...parts: string[]): string {
  const h = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
