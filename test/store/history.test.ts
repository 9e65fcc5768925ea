import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { runAudit } from '../../src/cli/audit.js';
import { findingId } from '../../src/engine/api/rule.js';
import { filesProvider } from '../../providers/files/index.js';
import type { Binding } from '../../src/model/types.js';
import { diffRuns } from '../../src/store/diff.js';
import type { RememberedReport } from '../../src/store/remember.js';
import type { Config } from '../../src/config/schema.js';
import { NOW } from '../fixtures/certs.js';
import { reportSchemaErrors } from '../fixtures/schema.js';
import { backends } from './backends.js';
import { listener, listenerProvider, onlyRules, writeCert } from './scenario.js';

describe.each(backends(mkdtempSync(join(tmpdir(), 'cw-history-stores-'))))('$name store', (backend) => {
  const DAY = 86_400_000;
  const dir = mkdtempSync(join(tmpdir(), `cw-history-${backend.name}-`));
  const dirA = join(dir, 'certs-a');
  const dirB = join(dir, 'certs-b');
  const path = (d: string, n: string) => join(d, n);
  const silent = { info: () => {}, warn: () => {}, debug: () => {} };

  const id = (rule: string, file: string) => findingId(rule, `files:${file}`);
  const A = path(dirA, 'a.pem'),
    B = path(dirA, 'b.pem'),
    D = path(dirB, 'd.pem'),
    E = path(dirB, 'e.pem'),
    F = path(dirA, 'f.pem'),
    G = path(dirA, 'g.pem');

  writeFileSync(
    join(dir, 'suppressions.yaml'),
    `# accepted risks, reviewed quarterly
suppressions:
  # 0: the 1024-bit key on b, accepted for two days only
  - id: ${id('weak-rsa-key', B)}
    reason: legacy appliance, replacement ordered
    owner: team-infra
    expires: "${new Date(NOW.getTime() + DAY).toISOString().slice(0, 10)}"
  # 1: SHA-1 certificates in folder b are lab-only
  - rule: weak-signature
    uid: "files:*/certs-b/*"
    reason: lab certificates, never public
    owner: team-lab
    expires: 2027-01-01
  # 2: covers nothing: stale
  - rule: weak-rsa-key
    uid: "files:*/nothing-here/*"
    reason: removed host
    owner: team-gone
    expires: 2027-01-01
`,
  );
  let config: Config;
  beforeAll(async () => {
    config = parseConfig(`
providers:
  files: { paths: [${JSON.stringify(dirA)}, ${JSON.stringify(dirB)}] }
store: ${await backend.yaml('history')}
suppressions: ${JSON.stringify(join(dir, 'suppressions.yaml'))}
rules:
${onlyRules(['cert-expired', 'cert-expiring', 'weak-rsa-key', 'weak-signature', 'bound-cert-unhealthy'])}
`);
  });

  const state: { listeners: Binding[] } = { listeners: [] };
  const night = async (days: number) =>
    (
      await runAudit({
        config,
        now: new Date(NOW.getTime() + days * DAY),
        log: silent,
        providers: [filesProvider, listenerProvider(state)],
      })
    ).report;
  const statuses = (r: RememberedReport) =>
    Object.fromEntries(
      r.findings.map((f) => [
        `${f.ruleId} ${f.resource.name.split('/').pop()}`,
        `${f.status} ${f.severity} ${f.firstSeen?.slice(0, 10)}`,
      ]),
    );
  const names = (list: { ruleId: string; resource: { name: string } }[]) =>
    list.map((f) => `${f.ruleId} ${f.resource.name.split('/').pop()}`).sort();

  describe('three nights of a changing estate, then the failed folder comes back', () => {
    const reports: RememberedReport[] = [];

    test('night 1: everything is new or suppressed; the stale suppression is listed', async () => {
      writeCert(A, 'expiring-20d'); // bound by L1: cert-expiring raised to high
      writeCert(B, 'rsa-1024');
      writeCert(path(dirA, 'c.pem'), 'rsa-2048');
      writeCert(D, 'sha1-signed');
      writeCert(E, 'expired'); // bound by L2: critical, and L2 itself is unhealthy
      state.listeners = [listener('L1', A), listener('L2', E)];
      const r = await night(0);
      reports.push(r);
      expect(reportSchemaErrors(r)).toEqual([]);
      expect(r.history?.counts).toEqual({ new: 3, open: 0, suppressed: 2, resolved: 0, carried: 0, worsened: 0 });
      expect(statuses(r)).toEqual({
        'cert-expired e.pem': 'new critical 2026-06-01',
        'bound-cert-unhealthy L2': 'new critical 2026-06-01',
        'cert-expiring a.pem': 'new high 2026-06-01',
        'weak-rsa-key b.pem': 'suppressed high 2026-06-01',
        'weak-signature d.pem': 'suppressed high 2026-06-01',
      });
      const b = r.findings.find((f) => f.ruleId === 'weak-rsa-key') as any;
      expect(b.suppression).toEqual({
        entry: 0,
        reason: 'legacy appliance, replacement ordered',
        owner: 'team-infra',
        expires: '2026-06-02',
      });
      expect(r.suppressions).toMatchObject({
        entries: 3,
        applied: 2,
        expired: [],
        unmatched: [{ entry: 2, owner: 'team-gone' }],
      });
      expect(r.history?.previousRun).toBeNull();
    });

    test('night 2: a renewed, f added, listener L2 removed', async () => {
      writeCert(A, 'rsa-2048');
      writeCert(F, 'expiring-3d');
      state.listeners = [listener('L1', A)];
      const r = await night(1);
      reports.push(r);
      expect(reportSchemaErrors(r)).toEqual([]);
      expect(r.history?.counts).toEqual({ new: 1, open: 1, suppressed: 2, resolved: 2, carried: 0, worsened: 0 });
      expect(statuses(r)).toEqual({
        'cert-expiring f.pem': 'new high 2026-06-02',
        'weak-rsa-key b.pem': 'suppressed high 2026-06-01',
        'weak-signature d.pem': 'suppressed high 2026-06-01',
        'cert-expired e.pem': 'open low 2026-06-01', // nothing serves it any more: less severe, not worse
      });
      expect(names(r.history!.resolved)).toEqual(['bound-cert-unhealthy L2', 'cert-expiring a.pem']);
      expect(r.history!.resolved.every((f) => f.status === 'resolved' && f.lastSeen.startsWith('2026-06-01'))).toBe(
        true,
      );
    });

    test('night 3: folder b is gone (failed scope), f gets bound, g added, the suppression of b expired', async () => {
      renameSync(dirB, `${dirB}.away`);
      writeCert(G, 'md5-signed');
      state.listeners = [listener('L1', A), listener('L3', F)];
      const r = await night(2);
      reports.push(r);
      expect(reportSchemaErrors(r)).toEqual([]);
      expect(r.summary.scopes).toEqual({ ok: 2, partial: 0, failed: 1 });
      expect(r.history?.counts).toEqual({ new: 1, open: 2, suppressed: 0, resolved: 0, carried: 2, worsened: 1 });
      expect(statuses(r)).toEqual({
        'cert-expiring f.pem': 'open critical 2026-06-02',
        'weak-signature g.pem': 'new critical 2026-06-03',
        'weak-rsa-key b.pem': 'open high 2026-06-01',
      });
      // d and e were not looked at tonight: carried with their last status, not resolved.
      expect(r.history!.resolved).toEqual([]);
      expect(r.history!.carried.map((f) => `${f.ruleId} ${f.resource.name.split('/').pop()} ${f.status}`)).toEqual([
        'weak-signature d.pem suppressed',
        'cert-expired e.pem open',
      ]);
      expect(r.history!.worsened).toEqual([
        { id: id('cert-expiring', F), ruleId: 'cert-expiring', from: 'high', to: 'critical' },
      ]);
      expect(r.suppressions?.expired).toEqual([expect.objectContaining({ entry: 0, owner: 'team-infra', matches: 1 })]);
      // Entry 1 covers the carried d, so it is not called stale while its folder cannot be read.
      expect(r.suppressions?.unmatched.map((s) => s.entry)).toEqual([2]);
    });

    test('night 3.5: folder b is back: its findings are open again with their first-seen dates, not new', async () => {
      renameSync(`${dirB}.away`, dirB);
      const r = await night(2.5);
      expect(r.history?.counts).toEqual({ new: 0, open: 4, suppressed: 1, resolved: 0, carried: 0, worsened: 0 });
      expect(statuses(r)['cert-expired e.pem']).toBe('open low 2026-06-01');
      expect(statuses(r)['weak-signature d.pem']).toBe('suppressed high 2026-06-01');
    });

    test('the store: runs with counts, and diffs between nights', async () => {
      const store = await backend.open('history');
      try {
        expect(
          (await store.runs()).map((r) => [
            r.seq,
            r.counts.new,
            r.counts.open,
            r.counts.suppressed,
            r.counts.resolved,
            r.counts.carried,
            r.counts.scopesNotOk,
          ]),
        ).toEqual([
          [1, 3, 0, 2, 0, 0, 0],
          [2, 1, 1, 2, 2, 0, 0],
          [3, 1, 2, 0, 0, 2, 1],
          [4, 0, 4, 1, 0, 0, 0],
        ]);
        const [r1, r2, r3] = await store.runs();
        const d12 = await diffRuns(store, r1, r2);
        expect(names(d12.findings.new)).toEqual(['cert-expiring f.pem']);
        expect(names(d12.findings.resolved)).toEqual(['bound-cert-unhealthy L2', 'cert-expiring a.pem']);
        expect(d12.findings.severityChanged.map((f) => `${f.ruleId} ${f.from}->${f.to}`)).toEqual([
          'cert-expired critical->low',
        ]);
        expect(d12.certificates.added.map((c) => c.uid)).toEqual([`files:${F}`]);
        expect(d12.certificates.renewed.map((c) => c.uid)).toEqual([`files:${A}`]);
        expect(d12.certificates.removed).toEqual([]);
        expect(d12.bindings.removed.map((b) => b.uid)).toEqual(['test-lb:L2']);

        const d23 = await diffRuns(store, r2, r3);
        expect(names(d23.findings.new)).toEqual(['weak-signature g.pem']);
        expect(d23.findings.resolved).toEqual([]); // d and e carried, so still alive
        expect(d23.findings.severityChanged.map((f) => `${f.ruleId} ${f.from}->${f.to}`)).toEqual([
          'cert-expiring high->critical',
        ]);
        expect(d23.certificates.removed).toEqual([]);
        expect(d23.certificates.unverified.map((c) => c.uid).sort()).toEqual([`files:${D}`, `files:${E}`]);
        expect(d23.certificates.added.map((c) => c.uid)).toEqual([`files:${G}`]);
        expect(d23.bindings.added.map((b) => b.uid)).toEqual(['test-lb:L3']);
      } finally {
        await store.close();
      }
    });
  });
});
