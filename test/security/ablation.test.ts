/**
 * Permission ablation: for every permission docs/permissions.md publishes, one full audit of the
 * estate (an Organization, all regions, all subscriptions, every provider) with only that
 * permission denied, compared with a run that has them all. The page's table of what each
 * permission costs is the expectation: the scopes that change are of the providers it names, with
 * the status it names, each naming the permission and the operation; nothing readable with the
 * other permissions is lost (a record kept is the full one less at most its `unread` enrichments,
 * and a scope that lost only enrichments keeps every record); no finding appears that the full
 * run did not have; and the history store resolves nothing, carrying what it could not judge.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activeRules } from '../../src/config/load.js';
import { binders, stores } from '../../src/engine/runtime/audit.js';
import type { Report } from '../../src/report/json.js';
import { remember } from '../../src/store/remember.js';
import { openStore } from '../../src/store/sqlite.js';
import { PROVIDERS } from '../../providers/index.js';
import { RULES } from '../../rules/index.js';
import {
  AUDITOR,
  PROD,
  quiet,
  recordProblems,
  scenario,
  scopeKey,
  startEstate,
  type Estate,
} from '../reliability/estate.js';
import { AWS_ACTIONS, AZURE_ACTIONS, costs, SUBSCRIPTION_LIST } from './permissions-doc.js';
import { reportSchemaErrors } from '../fixtures/schema.js';

/**
 * The change signal's permission loses nothing when denied (the load balancers are read in full,
 * the scope stays ok): test/providers/aws-elbv2-changes.test.ts holds that, over several nights.
 */
const SIGNALS = new Set(['cloudtrail:LookupEvents']);
const PERMISSIONS = [...AWS_ACTIONS, ...AZURE_ACTIONS, SUBSCRIPTION_LIST].filter((p) => !SIGNALS.has(p));
const COSTS = costs();
/** Every call certwarden can make is made: accounts from the Organization, regions and subscriptions listed. */
const OVER = {
  aws: {
    accounts: undefined,
    organization: { roleName: 'certwarden-audit', externalId: 'ext-prod', exclude: [AUDITOR] },
    regions: ['all'],
  },
  azure: { subscriptions: ['all'] },
};
const dir = mkdtempSync(join(tmpdir(), 'cw-ablation-'));

let estate: Estate;
let full: Report;

beforeAll(async () => {
  const s = scenario();
  // Findings that need an enrichment, so that losing it has something to cost.
  s.aws!.accounts.find((a) => a.id === PROD)!.regions!['us-east-1'].certificates!.push(
    {
      name: 'renewing',
      cn: 'renewing.example.com',
      type: 'AMAZON_ISSUED',
      renewal: { status: 'FAILED', reason: 'CAA_ERROR' },
      expiresInDays: 25,
    },
    {
      name: 'unlogged',
      cn: 'unlogged.example.com',
      type: 'AMAZON_ISSUED',
      ctLogging: 'DISABLED',
      renewal: { status: 'SUCCESS' },
    },
  );
  // An IAM certificate served only through a listener's SNI list: IAM keeps no account of use, so
  // whether it is unused rests on every listener of the account having been read.
  s.aws!.accounts.find((a) => a.id === PROD)!.regions!['eu-west-1'].loadBalancers!.push({
    name: 'sni',
    listeners: [
      { protocol: 'HTTPS', port: 443, certificate: 'eu', sni: [`arn:aws:iam::${PROD}:server-certificate/legacy-a`] },
    ],
  });
  estate = await startEstate(s);
  full = (await estate.audit({ allowPermissions: PERMISSIONS }, OVER)).report;
}, 60_000);
afterAll(() => estate.close());

test('the full run completes, and the table has one row for each documented permission', () => {
  expect(full.scopes.filter((s) => s.status !== 'ok')).toEqual([]);
  expect(new Set(full.scopes.map((s) => s.provider))).toEqual(
    new Set([
      'files',
      'aws-acm',
      'aws-elbv2',
      'aws-iam',
      'azure-keyvault',
      'azure-appgateway',
      'azure-appservice',
      'azure-frontdoor',
    ]),
  );
  expect([...COSTS.keys()].sort()).toEqual([...PERMISSIONS].sort());
  // The rules that need an enrichment have findings to lose.
  for (const rule of ['renewal-failing', 'ct-logging-disabled', 'weak-tls-policy'])
    expect([rule, full.findings.some((f) => f.ruleId === rule)]).toEqual([rule, true]);
});

/** The denied run remembered after the full one, in a store of its own. */
async function history(denied: Report, name: string) {
  const config = estate.config(OVER);
  const rules = activeRules(config, RULES);
  const store = openStore(join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.db`));
  try {
    const opts = {
      config,
      activeRules: rules.map((r) => r.rule.id),
      binders: binders(PROVIDERS),
      stores: stores(PROVIDERS),
      needs: Object.fromEntries(rules.map((r) => [r.rule.id, r.rule.needs ?? []])),
      log: quiet,
      store,
    };
    await remember(full, opts);
    return (await remember({ ...denied, run: { ...denied.run, id: 'denied' } }, opts)).history!;
  } finally {
    await store.close();
  }
}

test.each(PERMISSIONS.map((p) => [p]))(
  '%s denied',
  async (permission) => {
    const cost = COSTS.get(permission)!;
    const { report } = await estate.audit({ allowPermissions: PERMISSIONS.filter((p) => p !== permission) }, OVER);
    expect(reportSchemaErrors(report)).toEqual([]);
    const changed = report.scopes.filter((s) => s.status !== 'ok');
    expect(changed.length).toBeGreaterThan(0);
    for (const s of changed) {
      const key = scopeKey(s);
      expect([key, s.status]).toEqual([key, cost.status]);
      expect(cost.providers).toContain(s.provider);
      // Named: the permission, the operation and the service's code; an enrichment by its name.
      const named = [s.error, ...(s.errors ?? [])].filter((e) => e?.permission === permission);
      expect([key, named.length > 0]).toEqual([key, true]);
      for (const e of named) {
        expect(e).toMatchObject({ code: expect.any(String), operation: expect.any(String) });
        expect(e!.enrichment).toBe(cost.enrichment);
      }
    }
    // Nothing readable with the other permissions is lost.
    for (const s of report.scopes) expect([scopeKey(s), recordProblems(report, full, s)]).toEqual([scopeKey(s), []]);
    const tonight = new Set(report.scopes.map(scopeKey));
    for (const s of full.scopes.filter((f) => !tonight.has(scopeKey(f))))
      expect(changed.some((c) => c.provider === s.provider && c.status === 'failed')).toBe(true);
    // No finding that the full run does not have: nothing fires for want of data.
    const before = new Set(full.findings.map((f) => f.id));
    expect(report.findings.filter((f) => !before.has(f.id)).map((f) => `${f.ruleId} ${f.resource.uid}`)).toEqual([]);
    // The estate did not change: nothing is resolved; what tonight could not judge is carried.
    const h = await history(report, permission);
    expect(h.resolved.map((f) => `${f.ruleId} ${f.resource.uid}`)).toEqual([]);
    expect(h.carried.length).toBe(full.findings.filter((f) => !report.findings.some((t) => t.id === f.id)).length);
    if (cost.enrichment) {
      // The findings of rules that need the lost enrichment are carried, not fired, on the records that lack it.
      const needs = new Set(RULES.filter((r) => r.needs?.includes(cost.enrichment!)).map((r) => r.id));
      const lacking = new Set(
        [...report.certificates, ...report.bindings]
          .filter((r) => r.unread?.includes(cost.enrichment!))
          .map((r) => r.uid),
      );
      const withheld = full.findings.filter((f) => needs.has(f.ruleId) && lacking.has(f.resource.uid));
      if (needs.size) expect(withheld.length).toBeGreaterThan(0);
      for (const f of withheld) expect(h.carried.map((c) => c.id)).toContain(f.id);
    }
  },
  60_000,
);
