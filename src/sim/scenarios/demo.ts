/**
 * The bundled demo estate: two AWS accounts (reached by assuming roles from a security account)
 * in two regions, two Azure subscriptions (Key Vault, with an Application Gateway, an App Service
 * app and a Front Door profile serving its certificates), and a folder of certificate files.
 * Every rule fires at least once, and each problem sits where a real estate would have it.
 */
import type { Scenario } from '../scenario.js';
import type { CertTemplate } from '../template.js';
import type { ChainShape } from '../tls.js';

export const DEMO_SECURITY = '111111111111';
export const DEMO_PROD = '222222222222';
export const DEMO_DEV = '333333333333';
export const DEMO_EXTERNAL_ID = 'certwarden-demo';
export const DEMO_TOKEN_ENV = 'CERTWARDEN_DEMO_AZURE_TOKEN';
/** Demo-only credentials: they open nothing but the local simulator. */
export const DEMO_KEY = { id: 'AKIADEMO0SECURITY001', secret: 'demo-only-secret-key-opens-nothing-real00' };
export const DEMO_TOKEN = 'demo-only-token-opens-nothing-real';
const SUB_PROD = '6f2b1c3d-0000-4000-8000-00000000a001';
const SUB_DEV = '6f2b1c3d-0000-4000-8000-00000000b002';
const DELETED = `arn:aws:acm:us-east-1:${DEMO_PROD}:certificate/5e1f0b2a-dead-4bad-8000-00000000dead`;
const IAM = `arn:aws:iam::${DEMO_PROD}:server-certificate/legacy/partner-2019`;

/** A local TLS site of the demo: the names it answers (SNI), its certificate, and the chain it sends. */
export interface DemoTlsSite {
  names: string[];
  cert: CertTemplate;
  chain?: ChainShape;
}

/**
 * What clients actually get, served on loopback by src/sim/tls.ts: shop.example.com still serves
 * last year's certificate (ACM holds the renewal and the load balancer binds it, but the renewal
 * never reached this server), status.example.org sends its leaf without the intermediate, and a
 * name nobody configured falls through to legacy.example.org's certificate. The first site is the
 * fallback for names no site claims.
 */
export const DEMO_TLS_SITES: DemoTlsSite[] = [
  { names: ['legacy.example.org'], cert: { cn: 'legacy.example.org', expiresInDays: 180 } },
  {
    names: ['shop.example.com'],
    cert: { cn: 'shop.example.com', sans: ['shop.example.com', 'www.shop.example.com'], expiresInDays: 3 },
  },
  { names: ['status.example.org'], cert: { cn: 'status.example.org', expiresInDays: 200 }, chain: 'none' },
];

/** The server names the demo asks the local TLS server for. */
export const DEMO_TLS_NAMES = ['shop.example.com', 'status.example.org', 'billing.example.org'];

export const DEMO_SCENARIO: Scenario = {
  aws: {
    organization: { managementAccount: DEMO_SECURITY },
    accounts: [
      {
        id: DEMO_SECURITY,
        name: 'security',
        accessKeys: [{ id: DEMO_KEY.id, secret: DEMO_KEY.secret, user: 'certwarden' }],
        regions: { 'us-east-1': {} },
      },
      {
        id: DEMO_PROD,
        name: 'prod',
        roles: [{ name: 'certwarden-audit', externalId: DEMO_EXTERNAL_ID, trustedAccounts: [DEMO_SECURITY] }],
        // The partner NLB still serves a certificate uploaded to IAM in 2019, long expired (CIS AWS 1.19).
        iamServerCertificates: [
          {
            name: 'partner-2019',
            path: '/legacy/',
            cn: 'partner.example.com',
            validFromDays: -2400,
            expiresInDays: -1300,
            uploadedDaysAgo: 2390,
          },
        ],
        regions: {
          'us-east-1': {
            certificates: [
              {
                name: 'shop',
                cn: 'shop.example.com',
                sans: ['shop.example.com', 'www.shop.example.com'],
                type: 'AMAZON_ISSUED',
                expiresInDays: 12,
                renewal: { status: 'PENDING_VALIDATION', reason: 'DNS validation record missing' },
                tags: { team: 'storefront' },
              },
              {
                name: 'api',
                cn: 'api.example.com',
                key: 'ec-p256',
                type: 'AMAZON_ISSUED',
                expiresInDays: 300,
                renewal: { status: 'SUCCESS' },
              },
              {
                name: 'portal',
                cn: 'portal.example.com',
                key: 'rsa-1024',
                signature: 'sha1',
                expiresInDays: -4,
                tags: { team: 'legacy' },
              },
              {
                name: 'wildcard',
                cn: '*.example.com',
                sans: ['*.example.com', 'example.com'],
                expiresInDays: 150,
                ctLogging: 'DISABLED',
              },
              { name: 'staging', cn: 'staging.example.com', key: 'ec-p384', selfSigned: true, expiresInDays: 200 },
              { name: 'orphan', cn: 'old-campaign.example.com', expiresInDays: 100 },
              { name: 'five-year', cn: 'partners.example.com', validFromDays: -60, expiresInDays: 1765 },
              {
                name: 'failed',
                cn: 'new.example.com',
                type: 'AMAZON_ISSUED',
                status: 'VALIDATION_TIMED_OUT',
                failureReason: 'PENDING_VALIDATION_TIMEOUT',
              },
            ],
            loadBalancers: [
              {
                name: 'shop-alb',
                tags: { env: 'prod' },
                listeners: [
                  {
                    protocol: 'HTTPS',
                    port: 443,
                    sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
                    certificate: 'shop',
                    sni: ['api', 'wildcard'],
                  },
                  { protocol: 'HTTP', port: 80 },
                ],
              },
              {
                name: 'portal-alb',
                listeners: [
                  {
                    protocol: 'HTTPS',
                    port: 443,
                    sslPolicy: 'ELBSecurityPolicy-TLS-1-0-2015-04',
                    certificate: 'portal',
                  },
                ],
              },
              { name: 'staging-alb', listeners: [{ protocol: 'HTTPS', port: 443, certificate: 'staging' }] },
              {
                name: 'partner-nlb',
                type: 'network',
                scheme: 'internal',
                listeners: [
                  {
                    protocol: 'TLS',
                    port: 8443,
                    sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
                    certificate: DELETED,
                    sni: [IAM, 'five-year'],
                  },
                ],
              },
            ],
          },
          'eu-west-1': {
            certificates: [
              {
                name: 'eu',
                cn: 'eu.example.com',
                key: 'ec-p384',
                type: 'AMAZON_ISSUED',
                expiresInDays: 25,
                renewal: { status: 'PENDING_AUTO_RENEWAL' },
              },
            ],
            loadBalancers: [
              {
                name: 'eu-alb',
                listeners: [
                  {
                    protocol: 'HTTPS',
                    port: 443,
                    sslPolicy: 'ELBSecurityPolicy-FS-1-2-Res-2020-10',
                    certificate: 'eu',
                  },
                ],
              },
            ],
          },
        },
      },
      {
        id: DEMO_DEV,
        name: 'dev',
        roles: [{ name: 'certwarden-audit', trustedAccounts: [DEMO_SECURITY] }],
        regions: {
          'us-east-1': {
            certificates: [
              { name: 'dev', cn: 'dev.example.internal', expiresInDays: 5 },
              { name: 'next', cn: 'next.example.internal', validFromDays: 3, expiresInDays: 90 },
            ],
          },
          'eu-west-1': {},
        },
      },
    ],
  },
  azure: {
    token: DEMO_TOKEN,
    subscriptions: [
      {
        id: SUB_PROD,
        displayName: 'Production',
        vaults: [
          {
            name: 'kv-prod-web',
            certificates: [
              {
                name: 'payments',
                cn: 'pay.example.com',
                expiresInDays: 9,
                policy: { issuerName: 'DigiCert', lifetimeActions: [{ action: 'AutoRenew', daysBeforeExpiry: 30 }] },
                tags: { owner: 'payments-team' },
              },
              {
                name: 'partner-import',
                cn: 'partner.example.net',
                expiresInDays: 20,
                policy: { issuerName: 'Unknown', lifetimeActions: [{ action: 'EmailContacts', daysBeforeExpiry: 10 }] },
              },
              { name: 'retired', cn: 'retired.example.com', enabled: false, expiresInDays: 40 },
              {
                name: 'k8s-ingress',
                cn: 'ingress.example.com',
                key: 'ec-p256',
                expiresInDays: 180,
                policy: { keyType: 'EC', curve: 'P-256K', exportable: true, issuerName: 'Self' },
                versions: 2,
              },
            ],
          },
          { name: 'kv-prod-locked', access: 'firewall', certificates: [{ name: 'hidden', cn: 'hidden.example.com' }] },
        ],
        // The gateway serves the payments certificate that expires in 9 days, and still lists a
        // checkout certificate that was deleted from the vault.
        appGateways: [
          {
            name: 'agw-payments',
            listeners: [
              { name: 'pay-https', hostNames: ['pay.example.com'], certificate: 'kv-prod-web/payments' },
              {
                name: 'checkout-https',
                port: 8443,
                hostNames: ['checkout.example.com'],
                certificate: 'kv-prod-web/checkout',
              },
              { name: 'http-redirect', protocol: 'Http', port: 80 },
            ],
          },
        ],
        webCertificates: [
          {
            name: 'retired-portal',
            certificate: 'kv-prod-web/retired',
            sites: [{ name: 'app-retired-portal', hostNames: ['retired.example.com'] }],
          },
        ],
        frontDoors: [
          {
            name: 'fd-ingress',
            secrets: [{ name: 'ingress', certificate: 'kv-prod-web/k8s-ingress' }],
            domains: [{ name: 'ingress', hostName: 'ingress.example.com', secret: 'ingress' }],
          },
        ],
      },
      {
        id: SUB_DEV,
        displayName: 'Development',
        vaults: [
          {
            name: 'kv-dev',
            certificates: [
              {
                name: 'lab-k1',
                cn: 'lab.example.dev',
                key: 'ec-secp256k1',
                selfSigned: true,
                expiresInDays: 60,
                policy: { keyType: 'EC', curve: 'P-256K', issuerName: 'Self' },
              },
              {
                name: 'long-lived',
                cn: 'tools.example.dev',
                validFromDays: -10,
                expiresInDays: 720,
                policy: { issuerName: 'Self', validityMonths: 24 },
              },
            ],
          },
        ],
      },
    ],
  },
  files: {
    'web/www.pem': { cn: 'www.example.com', sans: ['www.example.com', 'example.com'], expiresInDays: 120, chain: true },
    'backup/www-copy.pem': { cn: 'www.example.com', copyOf: 'web/www.pem' },
    'legacy/old-vpn.pem': {
      cn: 'vpn.example.com',
      key: 'rsa-1024',
      signature: 'md5',
      selfSigned: true,
      expiresInDays: 400,
    },
    'legacy/intranet.der': { cn: 'intranet.example.internal', signature: 'sha1', expiresInDays: -12, der: true },
    'legacy/dsa.pem': { cn: 'dsa.example.internal', key: 'dsa-2048', selfSigned: true, expiresInDays: 90 },
    'lab/ed25519.pem': { cn: 'ed.example.com', key: 'ed25519', selfSigned: true, expiresInDays: 300 },
    'broken/truncated.pem': { cn: 'truncated', malformed: true },
  },
};
