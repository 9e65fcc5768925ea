/**
 * The `aws` section of a scenario file: accounts with their credentials and roles, and per region
 * the ACM certificates and the load balancers that serve them. Everything is plain data so it
 * reads well as YAML; `seedAws` turns it into a world with real certificate bytes.
 */
import type { CertTemplate } from '../template.js';

export type AcmType = 'IMPORTED' | 'AMAZON_ISSUED' | 'PRIVATE';
export type AcmStatus =
  'PENDING_VALIDATION' | 'ISSUED' | 'INACTIVE' | 'EXPIRED' | 'VALIDATION_TIMED_OUT' | 'REVOKED' | 'FAILED';

export interface AwsCertificateSpec extends CertTemplate {
  /** Name listeners use to point at this certificate; defaults to the CN. */
  name?: string;
  /** Default IMPORTED. */
  type?: AcmType;
  /** Default ISSUED, or EXPIRED once notAfter has passed. */
  status?: AcmStatus;
  renewal?: { status: 'PENDING_AUTO_RENEWAL' | 'PENDING_VALIDATION' | 'SUCCESS' | 'FAILED'; reason?: string };
  renewalEligibility?: 'ELIGIBLE' | 'INELIGIBLE';
  /** FailureReason for FAILED / VALIDATION_TIMED_OUT requests. */
  failureReason?: string;
  revocationReason?: string;
  ctLogging?: 'ENABLED' | 'DISABLED';
  managedBy?: 'CLOUDFRONT';
  /**
   * Who made the key pair: CUSTOMER_PROVIDED (the default for IMPORTED), AWS_MANAGED (the default
   * for the others) or ACME (issued to an ACME client of an ACM ACME endpoint, which made the key).
   */
  keyPairOrigin?: 'AWS_MANAGED' | 'CUSTOMER_PROVIDED' | 'ACME';
  /** ARNs of other services (CloudFront, API Gateway) that use it, besides listeners. */
  inUseBy?: string[];
  /** `{}` is a certificate whose tags were all removed: the Tagging API still lists it, with none. */
  tags?: Record<string, string>;
  /** Seed this many copies; `{i}` in cn, sans and name is replaced by 1..N. */
  repeat?: number;
}

export interface AwsListenerSpec {
  /** HTTPS|TLS|HTTP|TCP|UDP|TCP_UDP. */
  protocol: string;
  port: number;
  /** Default ELBSecurityPolicy-2016-08 (what the API picks when none is given) for HTTPS/TLS. */
  sslPolicy?: string;
  /** Default certificate: a certificate name from this region, or any ARN (kept as given, even if nothing has it). */
  certificate?: string;
  /** The listener's certificate list (SNI): names or raw ARNs (dangling ACM ARNs, IAM server certificates). */
  sni?: string[];
}

export interface AwsLoadBalancerSpec {
  name: string;
  /** Default application. */
  type?: 'application' | 'network' | 'gateway';
  /** Default internet-facing. */
  scheme?: 'internet-facing' | 'internal';
  /** Default active. */
  state?: 'active' | 'provisioning' | 'active_impaired' | 'failed';
  tags?: Record<string, string>;
  listeners?: AwsListenerSpec[];
  /** Seed this many copies; `{i}` in the name is replaced by 1..N. */
  repeat?: number;
}

export interface AwsRegionSpec {
  certificates?: AwsCertificateSpec[];
  loadBalancers?: AwsLoadBalancerSpec[];
}

/** An IAM server certificate (global, per account); listeners name it by ARN `arn:aws:iam::<account>:server-certificate<path><name>`. */
export interface IamServerCertificateSpec extends CertTemplate {
  name: string;
  /** Default "/". */
  path?: string;
  /** Default: a day after notBefore. */
  uploadedDaysAgo?: number;
  /** Upload the chain with the body; default true. */
  chain?: boolean;
  tags?: Record<string, string>;
}

export interface AwsRoleSpec {
  name: string;
  /** When set, AssumeRole must carry this ExternalId. */
  externalId?: string;
  /** Accounts allowed to assume it; default any account of the scenario. */
  trustedAccounts?: string[];
}

export interface AwsAccountSpec {
  id: string;
  name?: string;
  /** Long-term keys of an IAM user in this account. */
  accessKeys?: { id: string; secret: string; user?: string }[];
  roles?: AwsRoleSpec[];
  /** IAM server certificates of the account (IAM is global, not per region). */
  iamServerCertificates?: IamServerCertificateSpec[];
  /** Region name -> contents. Regions listed here are the account's enabled regions. */
  regions?: Record<string, AwsRegionSpec>;
  /** Opt-in regions the account has not enabled: account:ListRegions lists them as DISABLED. */
  disabledRegions?: string[];
  /** Organizations status; default ACTIVE. */
  status?: 'ACTIVE' | 'SUSPENDED' | 'PENDING_CLOSURE';
}

export interface AwsScenario {
  /** Default aws. */
  partition?: 'aws' | 'aws-us-gov' | 'aws-cn';
  accounts: AwsAccountSpec[];
  /** The account whose credentials may call organizations:ListAccounts; the others are its members. */
  organization?: { managementAccount: string };
  /** Largest page the simulated services hand out, whatever the client asks (real services may return fewer). */
  pageLimits?: { acm?: number; elbv2?: number; organizations?: number; iam?: number };
}
