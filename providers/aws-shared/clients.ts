/**
 * SDK client settings shared by every AWS client certwarden builds: one attempt, cached middleware (src/net/retry is
 * the one retry layer), the configured request timeout, and the configured endpoint when there
 * is one (otherwise the SDK's own AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> still apply).
 */
import type { AwsHandle } from './handle.js';

// The v3 SDK warns on every client that Node 20 support ends; the warning is noise in a nightly
// job's log. Respect an explicit setting, else silence it before any client is built.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export interface ClientSettings {
  region: string;
  credentials: AwsHandle['credentials'];
  maxAttempts: 1;
  cacheMiddleware: true;
  endpoint?: string;
  requestHandler: { requestTimeout: number; connectionTimeout: number; throwOnRequestTimeout: true };
}

export function clientSettings(h: Pick<AwsHandle, 'credentials' | 'endpoint' | 'timeoutMs'>, region: string): ClientSettings {
  return {
    region,
    credentials: h.credentials,
    maxAttempts: 1,
    // Resolve each command's middleware stack once per client, not on every call.
    cacheMiddleware: true,
    ...(h.endpoint ? { endpoint: h.endpoint } : {}),
    // Without throwOnRequestTimeout the SDK only logs a warning and keeps waiting.
    requestHandler: { requestTimeout: h.timeoutMs, connectionTimeout: Math.min(h.timeoutMs, 10_000), throwOnRequestTimeout: true },
  };
}

/** Partition of a region name, and the region global APIs (STS, Organizations, Account) are called in. */
export function partitionOf(region: string | undefined): 'aws' | 'aws-cn' | 'aws-us-gov' {
  if (region?.startsWith('cn-')) return 'aws-cn';
  if (region?.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

export const HOME_REGION: Record<string, string> = { aws: 'us-east-1', 'aws-cn': 'cn-north-1', 'aws-us-gov': 'us-gov-west-1' };
