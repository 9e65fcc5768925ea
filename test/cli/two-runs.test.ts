/**
 * Two nights remembered in a real store, from records of real certificate bytes: what `diff`
 * says between them, and what the Markdown, Prometheus and SARIF reports say of the second.
 * Between the nights a listener swaps its certificate, a certificate is replaced in place by
 * one that expires earlier, an expiring one gets closer (its finding worsens), and an expired
 * one is suppressed.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activeRules, parseConfig } from '../../src/config/load.js';
import { link } from '../../src/engine/api/link.js';
import { binders, stores } from '../../src/engine/runtime/audit.js';
import { evaluate } from '../../src/engine/runtime/evaluate.js';
import type { Binding, Certificate } from '../../src/model/types.js';
import { buildReport } from '../../src/report/json.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { renderPrometheus } from '../../src/report/prometheus.js';
import { renderSarif } from '../../src/report/sarif.js';
import { diffRuns } from '../../src/store/diff.js';
import { remember, type RememberedReport } from '../../src/store/remember.js';
import { openStore } from '../../src/store/sqlite.js';
import { parseSuppressions } from '../../src/store/suppressions.js';
import { diffText } from '../../src/cli/history.js';
import { PROVIDERS } from '../../providers/index.js';
import { RULES } from '../../rules/index.js';
import { NOW, bindingRecord, certRecord } from '../fixtures/certs.js';
import { certwarden } from '../fixtures/cli.js';

const DAY = 86_400_000;
const quiet = { info: () => {}, warn: () => {}, debug: () => {} };
const arn = (n: string) => `arn:aws:acm:us-east-1:111111111111:certificate/${n}`;
const made = new Map<string, Certificate>();
/** The same certificate (same bytes) each night it is asked for. */
const cert = (fixture: string, id: string, name: string): Certificate => {
  const key = `${fixture}:${id}`;
  if (!made.has(key)) made.set(key, certRecord(fixture, { uid: `aws-acm:${arn(id)}`, ref: arn(id), name }, 'aws-acm'));
  return made.get(key)!;
};
const listener = (name: string, certId: string): Binding => ({
  ...bindingRecord(name, arn(certId)),
  uid: `aws-elbv2:listener/${name}#${arn(certId)}`,
});
const scope = (provider: string, n: number) => ({
  provider,
  account: '111111111111',
  location: 'us-east-1',
  status: 'ok' as const,
  stats: { certificates: n, bindings: 0 },
});

const dir = mkdtempSync(join(tmpdir(), 'cw-two-runs-'));
const dbPath = join(dir, 'h.db');
const config = parseConfig('providers:\n  files: { paths: [x] }\n');
const rules = activeRules(config, RULES);
const suppressions = parseSuppressions(
  'suppressions:\n  - { rule: cert-expired, account: "111111111111", reason: decommissioning, owner: web, expires: "2099-01-01" }\n',
);

async function night(
  now: Date,
  certificates: Certificate[],
  bindings: Binding[],
  id: string,
  path = dbPath,
): Promise<RememberedReport> {
  const inv = link(
    { certificates, bindings, scopes: [scope('aws-acm', certificates.length), scope('aws-elbv2', 0)] },
    binders(PROVIDERS),
    stores(PROVIDERS),
  );
  const built = buildReport({
    inventory: inv,
    findings: evaluate(rules, inv, now),
    now,
    startedAt: now,
    finishedAt: now,
    configDigest: `sha256:${'0'.repeat(64)}`,
  });
  const store = openStore(path);
  try {
    return await remember(
      { ...built, run: { ...built.run, id } },
      {
        config,
        activeRules: rules.map((r) => r.rule.id),
        binders: binders(PROVIDERS),
        stores: stores(PROVIDERS),
        log: quiet,
        suppressions,
        store,
      },
    );
  } finally {
    await store.close();
  }
}

const first = await night(
  NOW,
  [
    cert('rsa-2048', 'shop', 'shop-cert'),
    cert('rsa-4096', 'shop2', 'shop-cert-2027'),
    cert('expiring-20d', 'api', 'api-cert'),
    cert('expiring-20d', 'soon', 'soon-cert'),
  ],
  [listener('shop-https', 'shop')],
  'night-1',
);
const laterNow = new Date(NOW.getTime() + 15 * DAY);
const second = await night(
  laterNow,
  [
    cert('rsa-2048', 'shop', 'shop-cert'),
    cert('rsa-4096', 'shop2', 'shop-cert-2027'),
    cert('expiring-3d', 'api', 'api-cert'), // same ARN, new bytes, expires earlier than before
    cert('expiring-20d', 'soon', 'soon-cert'), // 5 days left now: cert-expiring worsens
    cert('expired', 'old', 'old-cert'), // suppressed
  ],
  [listener('shop-https', 'shop2')],
  'night-2',
);

const diffed = await (async () => {
  const store = openStore(dbPath);
  const runs = await store.runs();
  const text = diffText(await diffRuns(store, runs[0], runs[1]));
  await store.close();
  return text;
})();

describe('diff', () => {
  const text = diffed;

  test('names certificates by name, not bare uids', () => {
    expect(text).toMatch(/certificates added: 1\n {2}old-cert \(aws-acm 111111111111\/us-east-1\)/);
  });
  test('a listener that swapped certificates is one change, certificate A -> B', () => {
    expect(text).toMatch(/listener shop-https .*: certificate shop-cert → shop-cert-2027/);
    expect(text).not.toMatch(/bindings removed: 1/);
  });
  test('a certificate replaced by one that expires earlier is not called renewed', () => {
    expect(text).toMatch(/replaced by one that expires earlier: 1\n {2}api-cert .*notAfter 2026-06-21.* → 2026-06-04/);
    expect(text).toMatch(/certificates renewed: 0/);
  });
  test('diff of a store with one run refuses with a clear message instead of comparing the run with itself', async () => {
    const one = join(dir, 'one.db');
    await night(NOW, [cert('rsa-2048', 'shop', 'shop-cert')], [], 'only', one);
    for (const args of [['1'], ['1', '1']]) {
      const r = certwarden(['diff', ...args, '--store', one]);
      expect(r.stderr).toMatch(/with itself/);
      expect(r.code).toBe(2);
    }
  });
});

describe('reports of the second night', () => {
  const expired = second.findings.find((f) => f.ruleId === 'cert-expired')!;
  const worse = second.findings.find((f) => f.ruleId === 'cert-expiring' && f.resource.name === 'soon-cert')!;
  test('the setup holds: two expired and suppressed, one worsened', () => {
    expect(expired.status).toBe('suppressed');
    expect(second.history!.worsened.map((w) => w.id)).toContain(worse.id);
  });
  test('Prometheus certwarden_findings leaves suppressed findings out and has an account label', () => {
    const prom = renderPrometheus(second);
    expect(prom).not.toMatch(/certwarden_findings\{[^}]*rule="cert-expired"/);
    expect(prom).toMatch(/certwarden_findings\{[^}]*account="111111111111"[^}]*rule="cert-expiring"[^}]*\} 1/);
  });
  test('Markdown keeps suppressed findings apart and has a new/resolved section', () => {
    const md = renderMarkdown(second);
    const top = md.slice(md.indexOf('### Top findings'), md.indexOf('###', md.indexOf('### Top findings') + 3));
    expect(top).not.toMatch(/cert-expired/);
    expect(md).toMatch(/### Suppressed \(2\)/);
    expect(md).toMatch(/### Since run 1: \d+ new, \d+ resolved, 1 worsened/);
  });
  test('SARIF marks a worsened finding updated, not unchanged', () => {
    const sarif = JSON.parse(renderSarif(second));
    const r = sarif.runs[0].results.find(
      (x: { partialFingerprints: Record<string, string> }) =>
        x.partialFingerprints['certwardenFindingId/v1'] === worse.id,
    );
    expect(r.baselineState).toBe('updated');
  });
});

void first;
