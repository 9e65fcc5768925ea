/**
 * Collection on worker threads gives the same report as collection on one thread: the same
 * records, scopes and findings, a failing scope reported once by the thread that owns it, and a
 * thread that cannot start reported as a failed scope while the others' work is kept.
 */
import { runAudit } from '../../src/cli/audit.js';
import type { Report } from '../../src/report/json.js';
import { NOW, PROD, quiet, recordsOf, scopeKey, startEstate, type Estate } from '../reliability/estate.js';

let estate: Estate;
beforeAll(async () => {
  estate = await startEstate();
});
afterAll(() => estate.close());

async function audit(threads: number, config = estate.config()): Promise<Report> {
  return (await runAudit({ config: { ...config, threads }, now: NOW, log: quiet })).report;
}

function view(r: Report) {
  return {
    scopes: r.scopes
      .map((s) => `${scopeKey(s)} ${s.status} ${s.error?.code ?? ''} ${s.stats.certificates}/${s.stats.bindings}`)
      .sort(),
    records: r.scopes.flatMap((s) => recordsOf(r, s)).sort(),
    findings: r.findings.map((f) => `${f.id} ${f.severity}`).sort(),
  };
}

test('three threads collect exactly what one thread collects', async () => {
  const one = view(await audit(1));
  const three = view(await audit(3));
  expect(one.records.length).toBeGreaterThan(40);
  expect(three).toEqual(one);
}, 120_000);

test('a scope that fails on a thread is reported once, with its reason, and the rest completes', async () => {
  estate.sim.server.configure({ faults: [{ kind: 'denied', service: 'acm', scope: `${PROD}/eu-west-1` }] });
  try {
    const r = await audit(3);
    const failed = r.scopes.filter((s) => s.status !== 'ok');
    expect(failed.map(scopeKey)).toEqual([`aws-acm ${PROD}/eu-west-1`]);
    expect(failed[0].error?.code).toMatch(/AccessDenied/);
    expect(r.scopes.filter((s) => s.status === 'ok').length).toBeGreaterThan(10);
  } finally {
    estate.sim.server.configure({});
  }
}, 120_000);

test('scopes one thread could not discover are collected by a thread that did', async () => {
  const one = view(await audit(1));
  // The run's first vault listing is denied: one thread cannot list one subscription's vaults,
  // the other can. With scopes assigned by hash, the vaults hashed to the first thread were lost.
  estate.sim.server.configure({
    faults: [{ kind: 'denied', service: 'azure-arm', action: 'Vaults_ListBySubscription', count: 1 }],
  });
  try {
    const r = await audit(2);
    const failed = r.scopes.filter((s) => s.status !== 'ok');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ provider: 'azure-keyvault', error: { code: 'AuthorizationFailed' } });
    // Nothing the denied thread missed is missing from the report.
    expect(view(r).records).toEqual(one.records);
  } finally {
    estate.sim.server.configure({});
  }
}, 120_000);

test('a thread that cannot start is a failed scope that says why; nothing else is lost', async () => {
  // A config that cannot be handed to a thread (a function inside) makes every thread fail to start.
  const config = {
    ...estate.config(),
    notify: [{ type: 'webhook', url: 'http://127.0.0.1:9', hook: () => {} }],
  } as unknown as ReturnType<Estate['config']>;
  const r = await audit(2, config);
  const failed = r.scopes.filter((s) => s.error?.code === 'CollectionThreadFailed');
  expect(failed).toHaveLength(2);
  expect(failed[0].error?.message).toMatch(/could not be cloned/);
  // The second phase (TLS endpoints, if any) and the report itself still happen.
  expect(r.run).toBeDefined();
}, 60_000);
