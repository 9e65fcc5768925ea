/**
 * The rule engine and the JSON writer alone, on a synthetic inventory of any size: certificates
 * of ACM and Key Vault with the facts rules read (some expiring, weak, self-signed, duplicated),
 * and listener bindings (some dangling, some on weak TLS policies).
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rmSync, statSync } from 'node:fs';
import { activeRules } from '../src/config/load.js';
import { configSchema } from '../src/config/schema.js';
import { evaluate } from '../src/engine/runtime/evaluate.js';
import { link } from '../src/engine/api/link.js';
import type { Binding, Certificate, Inventory } from '../src/model/types.js';
import { buildReport, jsonChunks } from '../src/report/json.js';
import { writeAtomic } from '../src/report/write.js';
import { RULES } from '../rules/index.js';

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
    sans: { dns: [i % 50 === 0 ? `*.example${i}.com` : `host${i}.example.com`], ip: [], email: [], uri: [] },
    serial: hex(i, 16),
    fingerprintSha256: fp,
    notBefore,
    notAfter,
    key:
      i % 33 === 0
        ? { algorithm: 'RSA', bits: 1024 }
        : i % 7 === 0
          ? { algorithm: 'EC', bits: 256, curve: 'P-256' }
          : { algorithm: 'RSA', bits: 2048 },
    signatureAlgorithm: i % 101 === 0 ? 'sha1WithRSAEncryption' : 'sha256WithRSAEncryption',
    selfSigned: i % 97 === 0,
    isCA: false,
    keyUsage: ['digitalSignature', 'keyEncipherment'],
    extendedKeyUsage: ['serverAuth'],
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

export interface EngineFigures {
  certificates: number;
  bindings: number;
  findings: number;
  buildSeconds: number;
  ruleSeconds: number;
  reportSeconds: number;
  jsonMb: number;
  peakRssMb: number;
}

export function runEngine(certificates: number, bindings = Math.round(certificates / 2)): EngineFigures {
  const now = new Date('2026-01-15T00:00:00Z');
  let t = performance.now();
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
  const inv: Inventory = {
    certificates: certs,
    bindings: Array.from({ length: bindings }, (_, j) => binding(j, certs)),
    scopes,
  };
  const buildSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const linked = link(inv, { 'aws-acm': ['aws-elbv2'], 'azure-keyvault': [] });
  const findings = evaluate(activeRules(configSchema.parse({}), RULES), linked, now);
  const ruleSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  const report = buildReport({
    inventory: linked,
    findings,
    now,
    startedAt: now,
    finishedAt: now,
    configDigest: 'bench',
  });
  const out = join(tmpdir(), `certwarden-bench-${process.pid}.json`);
  writeAtomic(out, jsonChunks(report));
  const reportSeconds = (performance.now() - t) / 1000;
  const jsonMb = statSync(out).size / 2 ** 20;
  rmSync(out, { force: true });
  return {
    certificates,
    bindings,
    findings: findings.length,
    buildSeconds,
    ruleSeconds,
    reportSeconds,
    jsonMb,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}
