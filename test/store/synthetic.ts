/** Runs of made-up size for the store tests that are about storage, not about rules. */
import type { Certificate } from '../../src/model/types.js';
import type { RunRecord, StoredFinding } from '../../src/store/types.js';

export function syntheticRun(n: number, now: string, prefix = 'c'): RunRecord {
  const certificates: Certificate[] = [];
  const findings: StoredFinding[] = [];
  for (let i = 0; i < n; i++) {
    const uid = `files:/synthetic/${prefix}${i}.pem`;
    certificates.push({
      kind: 'certificate',
      uid,
      provider: 'files',
      account: 'local',
      location: '/synthetic',
      name: `${prefix}${i}.pem`,
      ref: uid,
      subject: `CN=${prefix}${i}.example.com, O=${'x'.repeat(200)}`,
      notAfter: now,
    });
    findings.push({
      id: i.toString(16).padStart(20, '0'),
      ruleId: 'cert-expired',
      severity: 'high',
      peakSeverity: 'high',
      title: 'Certificate has expired',
      message: `${prefix}${i}.pem expired`,
      resource: {
        uid,
        kind: 'certificate',
        provider: 'files',
        account: 'local',
        location: '/synthetic',
        name: `${prefix}${i}.pem`,
      },
      status: 'new',
      firstSeen: now,
      lastSeen: now,
      carried: false,
    });
  }
  return {
    reportId: `${prefix}-${now}`,
    startedAt: now,
    finishedAt: now,
    now,
    configDigest: `sha256:${'0'.repeat(64)}`,
    scopes: [
      {
        provider: 'files',
        account: 'local',
        location: '/synthetic',
        status: 'ok',
        stats: { certificates: n, bindings: 0 },
      },
    ],
    certificates,
    bindings: [],
    findings,
    counts: {
      certificates: n,
      bindings: 0,
      findings: n,
      new: n,
      open: 0,
      suppressed: 0,
      resolved: 0,
      carried: 0,
      scopesOk: 1,
      scopesNotOk: 0,
    },
  };
}
