/**
 * Every account, region, subscription and service discovery finds appears in the report's
 * `coverage` with its outcome and reason: end to end, real SDK clients over HTTP to the simulator.
 */
import { runAudit } from '../../src/cli/audit.js';
import { startSimulator } from '../../src/sim/index.js';
import { useSimulatorCredentials } from '../../src/sim/credentials.js';
import { coverageLines } from '../../src/coverage/text.js';
import { summaryText } from '../../src/cli/summary.js';
import { renderHtml } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderPrometheus } from '../../src/report/prometheus.js';
import { reportSchemaErrors } from '../fixtures/schema.js';
import * as E from './estate.js';

const silent = { info: () => {}, warn: () => {}, debug: () => {} };
const NOW = new Date('2026-06-01T00:00:00Z');

test('the whole estate is in coverage with the right outcome and reason', async () => {
  const sim = await startSimulator(E.estate(), { now: NOW });
  try {
    useSimulatorCredentials(E.KEY, E.TOKEN_ENV, E.TOKEN);
    const { report } = await runAudit({ config: E.estateConfig(sim.server.url), now: NOW, log: silent });
    const row = (e: NonNullable<typeof report.coverage>['entries'][number]) =>
      [e.cloud, e.kind, e.account ?? '-', e.id, e.source, e.outcome, e.reason ?? e.error?.code ?? '-'].join(' ');
    expect(report.coverage!.entries.map(row)).toEqual([
      `aws account - ${E.MGMT} organizations audited -`,
      `aws account - ${E.ACTIVE} organizations audited -`,
      `aws account - ${E.SUSPENDED} organizations skipped suspended`,
      `aws account - ${E.CLOSING} organizations skipped pending-closure`,
      `aws account - ${E.EXCLUDED} organizations skipped excluded`,
      `aws account - ${E.REFUSING} organizations failed AccessDenied`,
      `aws region ${E.MGMT} af-south-1 config skipped region-not-enabled`,
      `aws region ${E.MGMT} us-east-1 config audited -`,
      `aws region ${E.ACTIVE} af-south-1 config audited -`,
      `aws region ${E.ACTIVE} us-east-1 config audited -`,
      'aws service * aws-acm config audited -',
      'aws service * aws-elbv2 config audited -',
      'aws service * aws-iam config audited -',
      `azure service * azure-appgateway config audited -`,
      `azure service * azure-appservice config audited -`,
      `azure service * azure-frontdoor config audited -`,
      `azure service * azure-keyvault config skipped service-disabled`,
      `azure subscription - ${E.SUB_ON} list-subscriptions audited -`,
      `azure subscription - ${E.SUB_OFF} list-subscriptions skipped subscription-disabled`,
      `azure subscription - ${E.SUB_HIDDEN} list-subscriptions failed not-visible`,
    ]);
    const byId = new Map(report.coverage!.entries.map((e) => [`${e.kind}:${e.account ?? ''}:${e.id}`, e]));
    expect(byId.get(`account::${E.SUSPENDED}`)).toMatchObject({ name: 'old <b>team</b> | `x`\n[link](http://x)', detail: 'State SUSPENDED' });
    expect(byId.get(`account::${E.EXCLUDED}`)).toMatchObject({ detail: 'providers.aws.organization.exclude' });
    expect(byId.get(`account::${E.REFUSING}`)!.error).toMatchObject({ operation: 'AssumeRole' });
    expect(byId.get(`region:${E.MGMT}:af-south-1`)!.detail).toBe('RegionOptStatus DISABLED');
    expect(byId.get(`service:*:azure-keyvault`)!.detail).toBe('providers.azure.services.keyVault');
    expect(byId.get(`subscription::${E.SUB_OFF}`)!.detail).toBe('state Disabled');
    // Audited entries name the scopes collected under them.
    expect(byId.get(`region:${E.ACTIVE}:af-south-1`)!.scopes).toEqual([
      { provider: 'aws-acm', location: 'af-south-1', status: 'ok' },
      { provider: 'aws-elbv2', location: 'af-south-1', status: 'ok' },
    ]);
    // No scope was collected where discovery said not to look.
    const visited = new Set(report.scopes.map((s) => `${s.account}/${s.location}`));
    for (const gone of [E.SUSPENDED, E.CLOSING, E.EXCLUDED]) expect([...visited].some((v) => v.startsWith(gone))).toBe(false);
    expect(visited.has(`${E.MGMT}/af-south-1`)).toBe(false);
    expect(coverageLines(report.coverage!.summary)).toEqual([
      '2 of 6 accounts audited: 1 suspended, 1 pending closure, 1 excluded, 1 failed',
      '3 of 4 regions audited: 1 not enabled',
      '6 of 7 services audited: 1 disabled in config',
      '1 of 3 subscriptions audited: 1 disabled, 1 failed',
    ]);
    expect(reportSchemaErrors(report)).toEqual([]);

    // Every format carries it.
    const summary = summaryText(report);
    expect(summary).toContain('coverage: 2 of 6 accounts audited: 1 suspended, 1 pending closure, 1 excluded, 1 failed');
    expect(summary).toContain(`skipped aws account ${E.SUSPENDED} (old <b>team</b> | \`x\`\\n[link](http://x)): suspended`);
    expect(summary).toContain(`failed aws account ${E.REFUSING} (refusing): AccessDenied`);
    const html = renderHtml(report);
    expect(html).toContain('<section id="coverage">');
    expect(html).toContain('<li>1 of 3 subscriptions audited: 1 disabled, 1 failed</li>');
    expect(html).toContain('old &lt;b&gt;team&lt;/b&gt;');
    expect(html).not.toContain('<b>team</b>');
    const markdown = renderMarkdown(report);
    expect(markdown).toContain('- coverage: 3 of 4 regions audited: 1 not enabled');
    expect(markdown).toContain(`- **skipped** aws region af\\-south\\-1 in ${E.MGMT}: region\\-not\\-enabled (RegionOptStatus DISABLED)`);
    expect(markdown).not.toContain('<b>team</b>');
    expect(markdown).toContain('old &lt;b&gt;team&lt;/b&gt; \\| ');
    const junit = renderJunit(report);
    expect(junit).toMatch(/<testsuite name="coverage" tests="20" failures="0" errors="2" skipped="6"/);
    expect(junit).toContain(`name="aws account ${E.REFUSING}" time="0"><error type="AccessDenied"`);
    const prom = renderPrometheus(report);
    expect(prom).toContain('certwarden_coverage{kind="account",outcome="audited",reason=""} 2');
    expect(prom).toContain('certwarden_coverage{kind="account",outcome="skipped",reason="suspended"} 1');
    expect(prom).toContain('certwarden_coverage{kind="account",outcome="failed",reason=""} 1');
  } finally {
    await sim.server.close();
  }
}, 90_000);

test('collected on threads, coverage is the same: discovery entries cross the thread channel once each', async () => {
  const sim = await startSimulator(E.estate(), { now: NOW });
  try {
    useSimulatorCredentials(E.KEY, E.TOKEN_ENV, E.TOKEN);
    const one = await runAudit({ config: E.estateConfig(sim.server.url), now: NOW, log: silent });
    const two = await runAudit({ config: E.estateConfig(sim.server.url, 'threads: 2'), now: NOW, log: silent });
    expect(two.report.coverage!.entries.length).toBeGreaterThan(0);
    expect(two.report.coverage).toEqual(one.report.coverage);
  } finally {
    await sim.server.close();
  }
}, 120_000);
