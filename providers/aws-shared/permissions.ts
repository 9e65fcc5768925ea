/**
 * The IAM action each AWS operation certwarden calls needs, as docs/permissions.md lists them, so
 * that a failure names the permission involved. Operation names are the SDK commands' (and the
 * actions' own) names.
 */

/** Discovery, shared by every AWS provider: reaching accounts, listing them and their regions. */
const DISCOVERY: Record<string, string> = {
  AssumeRole: 'sts:AssumeRole',
  GetCallerIdentity: 'sts:GetCallerIdentity',
  ListAccounts: 'organizations:ListAccounts',
  ListRegions: 'account:ListRegions',
};

export const ACM_PERMISSIONS: Record<string, string> = {
  ...DISCOVERY,
  ListCertificates: 'acm:ListCertificates',
  DescribeCertificate: 'acm:DescribeCertificate',
  GetCertificate: 'acm:GetCertificate',
  GetResources: 'tag:GetResources',
};

export const ELBV2_PERMISSIONS: Record<string, string> = {
  ...DISCOVERY,
  ...Object.fromEntries(
    [
      'DescribeLoadBalancers',
      'DescribeListeners',
      'DescribeListenerCertificates',
      'DescribeSSLPolicies',
      'DescribeTags',
    ].map((op) => [op, `elasticloadbalancing:${op}`]),
  ),
  // The change signal (providers/aws-elbv2/changes.ts); without it every listener is read.
  LookupEvents: 'cloudtrail:LookupEvents',
};

export const IAM_PERMISSIONS: Record<string, string> = {
  ...DISCOVERY,
  ListServerCertificates: 'iam:ListServerCertificates',
  GetServerCertificate: 'iam:GetServerCertificate',
};
