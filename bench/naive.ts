/**
 * The baseline: how an audit script is usually first written. One scope at a time, one call at a
 * time, a Describe and a Get for every ACM certificate, the SDKs' default retries (standard mode,
 * 3 attempts), nothing remembered between runs. It reads less than certwarden (no tags) and is
 * not part of the product: it exists to be timed.
 */
import {
  ACMClient,
  DescribeCertificateCommand,
  GetCertificateCommand,
  ListCertificatesCommand,
  type KeyAlgorithm,
} from '@aws-sdk/client-acm';
import {
  DescribeListenerCertificatesCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import type { AzureConfig } from '../src/config/schema.js';
import { vaultReader } from '../providers/azure-keyvault/fetch.js';
import { openSession } from '../providers/azure-shared/session.js';
import { AUDITOR_KEY, ROLE } from './scenario.js';

const KEY_TYPES: KeyAlgorithm[] = [
  'RSA_1024',
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'EC_prime256v1',
  'EC_secp384r1',
  'EC_secp521r1',
];
const quiet = { info: () => {}, warn: () => {}, debug: () => {} };

async function roleCredentials(endpoint: string, account: string) {
  const sts = new STSClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: AUDITOR_KEY.id, secretAccessKey: AUDITOR_KEY.secret },
  });
  const out = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${ROLE}`, RoleSessionName: 'naive' }),
  );
  sts.destroy();
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken };
}

/** ACM then ELBv2 of one account/region; returns seconds spent on each. */
export async function naiveAwsScope(
  endpoint: string,
  account: string,
  region: string,
): Promise<{ acm: number; elbv2: number }> {
  const credentials = await roleCredentials(endpoint, account);
  let t = performance.now();
  const acm = new ACMClient({ region, endpoint, credentials });
  let token: string | undefined;
  do {
    const page = await acm.send(new ListCertificatesCommand({ Includes: { keyTypes: KEY_TYPES }, NextToken: token }));
    for (const s of page.CertificateSummaryList ?? []) {
      await acm.send(new DescribeCertificateCommand({ CertificateArn: s.CertificateArn }));
      if (s.Status === 'ISSUED' || s.Status === 'EXPIRED')
        await acm.send(new GetCertificateCommand({ CertificateArn: s.CertificateArn }));
    }
    token = page.NextToken;
  } while (token);
  acm.destroy();
  const acmSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const elb = new ElasticLoadBalancingV2Client({ region, endpoint, credentials });
  let marker: string | undefined;
  do {
    const page = await elb.send(new DescribeLoadBalancersCommand({ Marker: marker }));
    for (const lb of page.LoadBalancers ?? []) {
      const listeners = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
      for (const l of listeners.Listeners ?? [])
        if (l.Protocol === 'HTTPS')
          await elb.send(new DescribeListenerCertificatesCommand({ ListenerArn: l.ListenerArn }));
    }
    marker = page.NextMarker;
  } while (marker);
  elb.destroy();
  return { acm: acmSeconds, elbv2: (performance.now() - t) / 1000 };
}

/** One vault: list, then each certificate in turn. */
export async function naiveVault(config: AzureConfig, vaultUri: string): Promise<number> {
  const t = performance.now();
  const reader = vaultReader(await openSession(config, quiet), vaultUri);
  for await (const page of reader.listed()) for (const c of page) await reader.get(c.name);
  return (performance.now() - t) / 1000;
}
