/**
 * CloudTrail's LookupEvents over JSON 1.1 (`X-Amz-Target: CloudTrail_20131101.LookupEvents`), as
 * the API reference documents it
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html): events of
 * the last 90 days of the caller's Region, most recent first; at most one lookup attribute
 * (InvalidLookupAttributesException otherwise); MaxResults 1-50, default 50; StartTime after
 * EndTime is an InvalidTimeRangeException; "limited to two per second, per account, per Region",
 * answered above it with a throttling error. An event is returned only once delivered (trail.ts).
 */
import type { SimResponse, SimService } from '../types.js';
import { authenticate, caller, scopeOf } from './auth.js';
import { epoch, header, jsonError, jsonFaults, jsonOk, pageToken, parseJson, readPageToken } from './protocol.js';
import { TRAIL_HISTORY_MS, type TrailEvent } from './trail.js';
import type { AwsWorld } from './world.js';

const TARGET = 'CloudTrail_20131101.';
const ATTRIBUTES = new Set([
  'EventId',
  'EventName',
  'ReadOnly',
  'Username',
  'ResourceType',
  'ResourceName',
  'EventSource',
  'AccessKeyId',
]);

interface Input {
  LookupAttributes?: { AttributeKey?: string; AttributeValue?: string }[];
  StartTime?: number;
  EndTime?: number;
  MaxResults?: number;
  NextToken?: string;
}

function matches(e: TrailEvent, key: string, value: string): boolean {
  switch (key) {
    case 'EventName':
      return e.name === value;
    case 'EventSource':
      return e.source === value;
    case 'EventId':
      return e.id === value;
    case 'ResourceName':
      return e.resources.some((r) => r.name === value);
    case 'ResourceType':
      return e.resources.some((r) => r.type === value);
    case 'ReadOnly':
      return value === 'false';
    default:
      return false;
  }
}

function wire(e: TrailEvent) {
  return {
    EventId: e.id,
    EventName: e.name,
    ReadOnly: 'false',
    EventTime: epoch(e.time),
    EventSource: e.source,
    Username: 'deployer',
    Resources: e.resources.map((r) => ({ ResourceType: r.type, ResourceName: r.name })),
    CloudTrailEvent: JSON.stringify({
      eventVersion: '1.09',
      eventTime: e.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      eventSource: e.source,
      eventName: e.name,
      requestParameters: e.request,
      eventID: e.id,
      readOnly: false,
      eventType: 'AwsApiCall',
      managementEvent: true,
    }),
  };
}

export function cloudTrailService(world: AwsWorld): SimService {
  function lookup(scope: string, input: Input, now: Date): SimResponse {
    const attrs = input.LookupAttributes ?? [];
    if (attrs.length > 1)
      return jsonError('InvalidLookupAttributesException', 'You cannot specify more than one lookup attribute.');
    const [attr] = attrs;
    if (attr && (!attr.AttributeKey || !ATTRIBUTES.has(attr.AttributeKey) || !attr.AttributeValue))
      return jsonError('InvalidLookupAttributesException', 'The lookup attribute is not valid.');
    const max = input.MaxResults ?? 50;
    if (!Number.isInteger(max) || max < 1 || max > 50)
      return jsonError('InvalidMaxResultsException', 'MaxResults must be between 1 and 50.');
    const oldest = now.getTime() - TRAIL_HISTORY_MS;
    const start = Math.max(oldest, (input.StartTime ?? 0) * 1000);
    const end = input.EndTime === undefined ? now.getTime() : input.EndTime * 1000;
    if (input.StartTime !== undefined && input.EndTime !== undefined && input.StartTime > input.EndTime)
      return jsonError('InvalidTimeRangeException', 'Start time must be before end time.');
    const salt = `${scope}|${attr?.AttributeKey}|${attr?.AttributeValue}|${start}|${end}`;
    const offset = readPageToken(input.NextToken, salt);
    if (offset === 'invalid') return jsonError('InvalidNextTokenException', 'Invalid NextToken.');
    const events = (world.trail?.events.get(scope) ?? [])
      .filter((e) => e.deliveredAt.getTime() <= now.getTime())
      .filter((e) => e.time.getTime() >= start && e.time.getTime() <= end)
      .filter((e) => !attr || matches(e, attr.AttributeKey!, attr.AttributeValue!))
      .reverse();
    const from = offset ?? 0;
    const page = events.slice(from, from + max);
    const next = from + max < events.length ? pageToken(from + max, salt) : undefined;
    return jsonOk({ Events: page.map(wire), ...(next ? { NextToken: next } : {}) });
  }

  const faults = jsonFaults('ThrottlingException', {
    code: 'InternalFailure',
    message: 'We encountered an internal error. Please try again.',
  });
  return {
    name: 'cloudtrail',
    identify(req) {
      const target = header(req, 'x-amz-target');
      if (req.method !== 'POST' || !target?.startsWith(TARGET)) return undefined;
      const action = target.slice(TARGET.length);
      return { service: 'cloudtrail', action, scope: scopeOf(world, req), permission: `cloudtrail:${action}` };
    },
    authenticate: (req) => authenticate(world, req, 'json'),
    handle(req, call, ctx) {
      if (call.action !== 'LookupEvents')
        return jsonError('UnknownOperationException', `The simulator does not serve ${TARGET}${call.action}`);
      const input = parseJson<Input>(req);
      if (!input) return jsonError('SerializationException', 'Start of structure or map found where not expected.');
      const c = caller(world, req)!;
      const scope = `${c.principal!.account}/${c.sig.region}`;
      if (world.trailDenied?.has(scope)) return faults('denied', call);
      return lookup(scope, input, ctx.now);
    },
    error: faults,
    rateLimits: { LookupEvents: { perSecond: 2, burst: 2 } },
    malformedBody: '{"Events": [{"EventId": ',
  };
}
