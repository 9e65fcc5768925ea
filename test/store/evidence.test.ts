import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { runAudit } from '../../src/cli/audit.js';
import type { Provider } from '../../src/engine/api/provider.js';
import { filesProvider } from '../../providers/files/index.js';
import type { Binding } from '../../src/model/types.js';
import { NOW } from '../fixtures/certs.js';
import { listener, listenerProvider, onlyRules, writeCert } from './scenario.js';

const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'cw-evidence-'));
const certs = join(dir, 'certs');
const silent = { info: () => {}, warn: () => {}, debug: () => {} };
writeCert(join(certs, 'old.pem'), 'expired');
writeFileSync(
  join(dir, 'sup.yaml'),
  'suppressions:\n  - { rule: bound-cert-unhealthy, tag: { env: lab }, reason: lab listener, owner: team-lab, expires: 2027-01-01 }\n',
);
const config = parseConfig(`
providers:
  files: { paths: [${JSON.stringify(certs)}] }
store: { path: ${JSON.stringify(join(dir, 'h.db'))} }
suppressions: ${JSON.stringify(join(dir, 'sup.yaml'))}
rules:
${onlyRules(['cert-expired', 'bound-cert-unhealthy'])}
`);

const state: { listeners: Binding[] } = { listeners: [] };
/** The same listeners, except that tonight their scope fails. */
const failing: Provider = {
  ...listenerProvider(state),
  // eslint-disable-next-line @typescript-eslint/require-await, require-yield -- a scope that fails before its first record
  async *collect() {
    throw Object.assign(new Error('throttled for good'), { code: 'Throttling' });
  },
};
const night = async (days: number, lb: Provider) =>
  (await runAudit({ config, now: new Date(NOW.getTime() + days * DAY), log: silent, providers: [filesProvider, lb] }))
    .report;
const summary = (r: Awaited<ReturnType<typeof night>>) =>
  r.findings.map((f) => `${f.ruleId} ${f.severity} ${f.status}`).sort();

test('a suppression by tag covers the tagged listener only', async () => {
  state.listeners = [
    listener('lab', join(certs, 'old.pem'), { env: 'lab' }),
    listener('prod', join(certs, 'old.pem'), { env: 'prod' }),
  ];
  const r = await night(0, listenerProvider(state));
  expect(summary(r)).toEqual([
    'bound-cert-unhealthy critical new',
    'bound-cert-unhealthy critical suppressed',
    'cert-expired critical new',
  ]);
  expect(r.findings.find((f) => f.status === 'suppressed')?.resource.name).toBe('lab');
});

test('when the listener scope fails, the certificate finding is not resolved or downgraded by omission, and the listener findings are carried', async () => {
  const r = await night(1, failing);
  expect(r.summary.scopes).toEqual({ ok: 1, partial: 0, failed: 1 });
  // The certificate's own scope completed, but whether it is served is unknown tonight: cert-expired says high, not critical.
  expect(summary(r)).toEqual(['cert-expired high open']);
  expect(r.history?.counts).toEqual({ new: 0, open: 1, suppressed: 0, resolved: 0, carried: 2, worsened: 0 });
  expect(r.history?.carried.map((f) => `${f.resource.name} ${f.status}`).sort()).toEqual([
    'lab suppressed',
    'prod new',
  ]);
  // The tag suppression covers a carried finding, so it is not listed as stale.
  expect(r.suppressions?.unmatched).toEqual([]);
});

test('the listeners come back: their findings are open again, not new, and critical again is not "worsened"', async () => {
  const r = await night(2, listenerProvider(state));
  expect(summary(r)).toEqual([
    'bound-cert-unhealthy critical open',
    'bound-cert-unhealthy critical suppressed',
    'cert-expired critical open',
  ]);
  // It was critical on the first night: back at its peak is not news for the webhooks.
  expect(r.history?.counts).toEqual({ new: 0, open: 2, suppressed: 1, resolved: 0, carried: 0, worsened: 0 });
});
