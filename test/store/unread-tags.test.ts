/**
 * A suppression by tag, on a night the tags cannot be read (the tagging permission denied): the
 * finding stays suppressed with the tags last seen, and the entry is not called unmatched. Two
 * nights through runAudit, the real files provider and a stand-in for the listeners.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { runAudit } from '../../src/cli/audit.js';
import { CollectError } from '../../src/engine/api/collect-error.js';
import { withUnread, type Provider } from '../../src/engine/api/provider.js';
import { filesProvider } from '../../providers/files/index.js';
import type { Binding } from '../../src/model/types.js';
import { NOW } from '../fixtures/certs.js';
import { listener, listenerProvider, onlyRules, writeCert } from './scenario.js';

const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'cw-unread-tags-'));
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
${onlyRules(['bound-cert-unhealthy'])}
`);

const state: { listeners: Binding[] } = {
  listeners: [
    listener('lab', join(certs, 'old.pem'), { env: 'lab' }),
    listener('prod', join(certs, 'old.pem'), { env: 'prod' }),
  ],
};
/** The same listeners, their tags denied tonight: kept without them, the loss named. */
const untagged: Provider = {
  ...listenerProvider(state),
  // eslint-disable-next-line @typescript-eslint/require-await -- a stand-in for an async iterable that needs no I/O
  async *collect(_scope, ctx) {
    ctx.lose({
      error: new CollectError('AccessDenied', 'not authorized to perform DescribeTags', 'DescribeTags'),
      enrichment: 'tags',
    });
    for (const { tags: _unknown, ...b } of state.listeners) yield withUnread(b, 'tags');
  },
};
const night = async (days: number, lb: Provider) =>
  (await runAudit({ config, now: new Date(NOW.getTime() + days * DAY), log: silent, providers: [filesProvider, lb] }))
    .report;
const statuses = (r: Awaited<ReturnType<typeof night>>) =>
  r.findings.map((f) => `${f.resource.name} ${f.status}`).sort();

test('night 1: the lab listener is suppressed by its tag', async () => {
  expect(statuses(await night(0, listenerProvider(state)))).toEqual(['lab suppressed', 'prod new']);
});

test('night 2, tags unread: still suppressed with the tags last seen, and the entry is not stale', async () => {
  const r = await night(1, untagged);
  expect(r.scopes.find((s) => s.provider === 'test-lb')).toMatchObject({
    status: 'partial',
    error: { enrichment: 'tags' },
  });
  expect(statuses(r)).toEqual(['lab suppressed', 'prod open']);
  expect(r.suppressions?.unmatched).toEqual([]);
});
