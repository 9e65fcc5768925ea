/**
 * The rule engine and the JSON writer alone, on a synthetic inventory of any size: certificates
 * of ACM and Key Vault with the facts rules read (some expiring, weak, self-signed, duplicated),
 * and listener bindings (some dangling, some on weak TLS policies).
 */
import type { Binding, Certificate, Inventory } from '../src/model/types.js';
import { NONE, sharedKey, sharedList } from '../src/x509/shared.js';

const DAY = 86_400_000;
const hex = (n: number, len: number) => n.toString(16).toUpperCase().padStart(len, '0');

function certificate(i: number, now: Date): Certificate {
  const acm = i % 5 !== 0;
  const days = (i % 400) - 20; // a few expired, some expiring, most fine
  const notAfter = new Date(now.getTime() + days * DAY).toISOString();
  const notBefore = new Date(now.getTime() + (days - 365) * DAY).toISOString();
  const account = String(200000000000 + (i % 20));
  const ref = acm
    ? `arn:aws:acm:us-east-1:${account}:certificate/${hex(i, 12)}`
    : `https://kv-${i % 40}.vault.azure.net/certificates/c${i}`;
  const fp = hex(i % 999_983, 64).replace(/(..)(?!$)/g, '$1:'); // a few duplicates
  return {
    kind: 'certificate',
    provider: acm ? 'aws-acm' : 'azure-keyvault',
    account,
    location: acm ? 'us-east-1' : `kv-${i % 40}`,
    uid: `${acm ? 'aws-acm' : 'azure-keyvault'}:${ref}`,
    name: `host${i}.example.com`,
    ref,
    subject: `CN=host${i}.example.com`,
    issuer: i % 97 === 0 ? `CN=host${i}.example.com` : 'CN=Example Issuing CA',
    commonName: `host${i}.example.com`,
    // Shared values where the X.509 reader shares them (src/x509/shared.ts), so records weigh what real ones do.
    sans: { dns: [i % 50 === 0 ? `*.example${i}.com` : `host${i}.example.com`], ip: NONE, email: NONE, uri: NONE },
    serial: hex(i, 16),
    fingerprintSha256: fp,
    notBefore,
    notAfter,
    key: sharedKey(
      i % 33 === 0
        ? { algorithm: 'RSA', bits: 1024 }
        : i % 7 === 0
          ? { algorithm: 'EC', bits: 256, curve: 'P-256' }
          : { algorithm: 'RSA', bits: 2048 },
    ),
    signatureAlgorithm: i % 101 === 0 ? 'sha1WithRSAEncryption' : 'sha256WithRSAEncryption',
    selfSigned: i % 97 === 0,
    isCA: false,
    keyUsage: sharedList(['digitalSignature', 'keyEncipherment']),
    extendedKeyUsage: sharedList(['serverAuth']),
    chain: [],
    state: days < 0 ? 'expired' : 'active',
    inUse: acm ? i % 2 === 0 : undefined,
    tags: { team: `t${i % 10}` },
    ...(acm
      ? {
          acm: {
            type: i % 3 ? 'IMPORTED' : 'AMAZON_ISSUED',
            status: days < 0 ? 'EXPIRED' : 'ISSUED',
            renewalEligibility: 'ELIGIBLE',
            ctLogging: i % 11 ? 'ENABLED' : 'DISABLED',
          },
        }
      : {
          keyVault: {
            vaultUri: `https://kv-${i % 40}.vault.azure.net/`,
            version: hex(i, 32),
            enabled: true,
            policy: {
              keyType: 'RSA',
              keySize: 2048,
              exportable: i % 4 === 0,
              issuerName: 'Self',
              lifetimeActions: i % 6 ? [{ action: 'AutoRenew', lifetimePercentage: 80 }] : [],
            },
          },
        }),
  };
}

function binding(j: number, certs: Certificate[]): Binding {
  const target = certs[(j * 2) % certs.length];
  const dangling = j % 1000 === 0;
  const listener = `arn:aws:elasticloadbalancing:us-east-1:${target.account}:listener/app/lb${j >> 1}/${hex(j >> 1, 16)}/${hex(j & 1, 4)}`;
  const ref = dangling ? `arn:aws:acm:us-east-1:${target.account}:certificate/dead${hex(j, 8)}` : target.ref;
  return {
    kind: 'binding',
    provider: 'aws-elbv2',
    account: target.account,
    location: 'us-east-1',
    uid: `aws-elbv2:${listener}#${ref}`,
    name: `lb${j >> 1}:443`,
    type: 'elbv2-listener',
    resource: listener,
    certificateRef: ref,
    refKind: 'acm',
    isDefault: j % 4 !== 3,
    protocol: 'HTTPS',
    port: 443,
    public: j % 2 === 0,
    live: true,
    loadBalancer: { name: `lb${j >> 1}`, dnsName: `lb${j >> 1}.elb.amazonaws.com`, type: 'application' },
    tlsPolicy:
      j % 9 === 0
        ? { name: 'ELBSecurityPolicy-2016-08', protocols: ['TLSv1', 'TLSv1.1', 'TLSv1.2'], ciphers: ['AES128-SHA'] }
        : { name: 'ELBSecurityPolicy-TLS13-1-2-2021-06', protocols: ['TLSv1.2', 'TLSv1.3'], ciphers: [] },
  };
}

/** `certificates` synthetic certificates and `bindings` listener bindings, with the scopes that read them. */
export function syntheticInventory(certificates: number, bindings: number, now: Date): Inventory {
  const certs = Array.from({ length: certificates }, (_, i) => certificate(i, now));
  const scopes = [...new Set(certs.map((c) => `${c.provider}\u0000${c.account}\u0000${c.location}`))].map((k) => {
    const [provider, account, location] = k.split('\u0000');
    return { provider, account, location, status: 'ok' as const, stats: { certificates: 0, bindings: 0 } };
  });
  scopes.push(
    ...[...new Set(certs.map((c) => c.account))].map((account) => ({
      provider: 'aws-elbv2',
      account,
      location: 'us-east-1',
      status: 'ok' as const,
      stats: { certificates: 0, bindings: 0 },
    })),
  );
  return {
    certificates: certs,
    bindings: Array.from({ length: bindings }, (_, j) => binding(j, certs)),
    scopes,
  };
}
