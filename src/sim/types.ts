import type { IncomingHttpHeaders } from 'node:http';
import type { RateLimit } from '../net/limit.js';

export interface SimRequest {
  method: string;
  /** Full URL as the client meant it; `host` is the Host header (a vault's own name for Key Vault). */
  url: URL;
  host: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** What one request is, as a service reads it. `scope` is "account/region" for AWS, a vault name or subscription for Azure. */
export interface SimCall {
  service: string;
  action: string;
  scope: string;
  /** The IAM-style permission the action needs, e.g. `acm:ListCertificates`, `Microsoft.KeyVault/vaults/read`. */
  permission: string;
  /** Served without credentials and outside any permission list, as the real service does (ARM's cloud metadata). */
  anonymous?: boolean;
}

export type FaultKind =
  | 'throttle' // the service's own throttling error
  | 'server-error' // 500/503 in the service's shape
  | 'drop' // the connection is destroyed without a response
  | 'slow' // the response is held back `delayMs`
  | 'malformed' // a body that is not valid JSON/XML
  | 'truncate' // the body cut in half
  | 'denied' // the service's access-denied error
  | 'expired-token' // ExpiredToken (AWS) / 401 (Azure)
  | 'loop-paging' // the next-page token repeats the current one (handled by the service)
  | 'endless-paging' // every page has a next page (handled by the service)
  | 'foreign-link'; // the next page is promised on another host, `host` (handled by the service)

export interface FaultRule {
  kind: FaultKind;
  service?: string;
  action?: string;
  /** Exact scope, or a prefix ending in `*`. */
  scope?: string;
  /** Probability per matching call (default 1). */
  rate?: number;
  /** Skip the first N matching calls (credentials that expire mid-run). */
  after?: number;
  /** Fire at most N times. */
  count?: number;
  /** Only calls whose request (URL or body, decoded) names this: one resource's calls, such as one ARN's. */
  naming?: string;
  delayMs?: number;
  /** For `foreign-link`: the host the next-page link names. */
  host?: string;
}

export interface SimOptions {
  /** Added to every response: fixed + uniform jitter. */
  latency?: { fixedMs: number; jitterMs?: number };
  /** Enforce the services' published per-scope rate limits (true), custom ones, or none (false, default). */
  rateLimits?: boolean | Record<string, RateLimit>;
  faults?: FaultRule[];
  /** When set, any call whose permission is not listed is denied in the service's own shape. */
  allowPermissions?: string[];
  /** Seed for the fault dice, so a faulty run can be replayed. */
  seed?: number;
}

export interface CallRecord extends SimCall {
  status: number;
  fault?: FaultKind;
  at: number;
}

export interface ServiceContext {
  /** Faults the service itself must play (paging ones). */
  fault?: FaultKind;
  /** For `foreign-link`: the host the next-page link names. */
  linkHost?: string;
  now: Date;
}

/** One simulated service. The server does routing, auth presence checks, faults, limits and logging. */
export interface SimService {
  name: string;
  /** Returns the call if this request belongs to the service, else undefined. */
  identify(req: SimRequest): SimCall | undefined;
  /** Null when the request carries the credentials the real service requires; else the rejection. */
  authenticate(req: SimRequest, call: SimCall): SimResponse | null;
  handle(req: SimRequest, call: SimCall, ctx: ServiceContext): SimResponse | Promise<SimResponse>;
  /** The service's own error response for a fault. */
  error(kind: 'throttle' | 'server-error' | 'denied' | 'expired-token', call: SimCall): SimResponse;
  /** Published per-scope limits, keyed by action (or a group name returned by `limitKey`). */
  rateLimits?: Record<string, RateLimit>;
  /** Which bucket an action draws from (ELBv2's Describe* share one). Defaults to the action. */
  limitKey?(call: SimCall): string;
  /** Body that is syntactically broken in this service's format. */
  malformedBody?: string;
}
