/**
 * What an AWS scope carries to its provider: who (account, credentials), where (region,
 * partition, endpoint) and the run's shared limits. Never serialised: it holds credentials.
 */
import type { RateLimits } from '../../src/net/limit.js';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export type CredentialProvider = () => Promise<Credentials>;

export interface AwsHandle {
  account: string;
  region: string;
  partition: string;
  credentials: CredentialProvider;
  /** The configured endpoint for every AWS client; unset lets AWS_ENDPOINT_URL* apply. */
  endpoint?: string;
  timeoutMs: number;
  retry: { attempts: number; minDelayMs: number; maxDelayMs: number };
  /** Client-side token buckets shared by every scope of the run, keyed by account/region + API. */
  limits: RateLimits;
  /** Pages of one listing after which it is stopped as endless. */
  maxPages: number;
}

export const limitKey = (h: Pick<AwsHandle, 'account' | 'region'>) => `${h.account}/${h.region}`;
