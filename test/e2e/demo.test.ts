import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runDemo } from '../../src/cli/demo.js';
import { RULES } from '../../rules/index.js';
import { PROVIDERS } from '../../providers/index.js';
import { binders } from '../../src/engine/runtime/audit.js';
import { evaluate } from '../../src/engine/runtime/evaluate.js';
import { link } from '../../src/engine/api/link.js';
import { FACETS, FACET_NAMES } from '../../src/model/facets.js';
import { reportSchemaErrors } from '../fixtures/schema.js';

const quiet = { info: () => {}, warn: () => {}, debug: () => {} };
const out = mkdtempSync(join(tmpdir(), 'cw-demo-'));
let code: number;
let report: any;

beforeAll(async () => {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- saved to be put back on the same object
  const write = process.stderr.write;
  process.stderr.write = () => true;
  try {
    code = await runDemo({ outDir: out, log: quiet, now: new Date('2026-03-01T00:00:00Z') });
  } finally {
    process.stderr.write = write;
  }
  report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
}, 120_000);

describe('the demo: a full audit of the bundled estate through the real SDK clients', () => {
  test('completes and writes a report that matches the schema', () => {
    expect(code).toBe(0);
    expect(existsSync(join(out, 'report.json'))).toBe(true);
    expect(reportSchemaErrors(report)).toEqual([]);
  });

  test('visits 2 AWS accounts x 2 regions per AWS provider, 2 Azure subscriptions, and the files', () => {
    const scopes = report.scopes.map((s: any) => `${s.provider} ${s.account}/${s.location} ${s.status}`);
    for (const p of ['aws-acm', 'aws-elbv2']) {
      for (const a of ['222222222222', '333333333333'])
        for (const r of ['us-east-1', 'eu-west-1']) expect(scopes).toContain(`${p} ${a}/${r} ok`);
    }
    const subs = new Set(report.scopes.filter((s: any) => s.provider === 'azure-keyvault').map((s: any) => s.account));
    expect(subs.size).toBe(2);
    for (const p of ['azure-appgateway', 'azure-appservice', 'azure-frontdoor'])
      expect(scopes.filter((s: string) => s.startsWith(`${p} `) && s.endsWith('/* ok'))).toHaveLength(2);
    expect(scopes.filter((s: string) => s.startsWith('files'))).toHaveLength(1);
  });

  test('the locked vault is the one failed scope, named with its reason', () => {
    const failed = report.scopes.filter((s: any) => s.status !== 'ok');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      provider: 'azure-keyvault',
      location: 'kv-prod-locked',
      error: { code: 'ForbiddenByFirewall' },
    });
  });

  test.each(RULES.map((r) => r.id))('rule %s fires at least once', (id) => {
    expect(report.summary.byRule[id] ?? 0).toBeGreaterThan(0);
  });

  test('the expired certificate behind a live listener is critical and names the load balancer', () => {
    const f = report.findings.find((x: any) => x.ruleId === 'cert-expired' && x.resource.provider === 'aws-acm');
    expect(f.severity).toBe('critical');
    expect(f.message).toMatch(
      /portal\.example\.com expired 4 day\(s\) ago .*served by elbv2-listener portal-alb:443 \(portal-alb-\d+\.us-east-1\.elb\.amazonaws\.com\)/,
    );
    expect(f.related).toHaveLength(1);
  });
});

describe('facets: provider data, typed, one provider each', () => {
  test('every facet sits on the kind of record and the provider it belongs to; no untyped bag remains', () => {
    const seen = new Set<string>();
    for (const rec of [...report.certificates, ...report.bindings]) {
      expect(rec.meta).toBeUndefined();
      for (const f of FACET_NAMES.filter((name) => rec[name] !== undefined)) {
        expect(`${f} on ${rec.kind} ${rec.provider}`).toBe(`${f} on ${FACETS[f].kind} ${FACETS[f].provider}`);
        seen.add(f);
      }
    }
    // Every facet but elbv2's (written only while a load balancer is not active) appears in the demo.
    expect([...seen].sort()).toEqual(FACET_NAMES.filter((f) => f !== 'elbv2').sort());
  });

  test.each(RULES.filter((r) => r.requires).map((r) => [r.id, r] as const))(
    '%s fires on the demo, and not once its facets are taken away',
    (_id, rule) => {
      const evaluateOn = (records: (r: any) => any) => {
        const inv = link(
          {
            certificates: report.certificates.map(records),
            bindings: report.bindings.map(records),
            scopes: report.scopes,
          },
          binders(PROVIDERS),
        );
        return evaluate([{ rule, params: rule.params.parse({}) }], inv, new Date(report.run.now));
      };
      const found = evaluateOn((r) => r);
      expect(found.map((f) => f.id).sort()).toEqual(
        report.findings
          .filter((f: any) => f.ruleId === rule.id)
          .map((f: any) => f.id)
          .sort(),
      );
      expect(found.length).toBeGreaterThan(0);
      const strip = (r: any) =>
        Object.fromEntries(Object.entries(r).filter(([k]) => !(rule.requires as readonly string[]).includes(k)));
      expect(evaluateOn(strip)).toEqual([]);
    },
  );
});
