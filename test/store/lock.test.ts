/**
 * One run at a time on a store, from reading the previous run to writing the new one: overlapping
 * audits (in one process, and in two) never compare against the same earlier run. The second one
 * waits for the first, up to `store.lockTimeoutMs`, or goes on without the store and names the
 * holder. A holder that dies leaves nothing that blocks the next run.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load.js';
import { runAudit } from '../../src/cli/audit.js';
import type { Provider } from '../../src/engine/api/provider.js';
import { filesProvider } from '../../providers/files/index.js';
import { openStore } from '../../src/store/sqlite.js';
import { NOW } from '../fixtures/certs.js';
import { certwardenAsync } from '../reliability/spawn.js';
import { holder } from './holder.js';
import { onlyRules, writeCert } from './scenario.js';

const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'cw-lock-'));
const certs = join(dir, 'certs');
writeCert(join(certs, 'weak.pem'), 'rsa-1024');
writeCert(join(certs, 'soon.pem'), 'expiring-20d');
const configText = (db: string, extra = '') =>
  `providers:\n  files: { paths: [${JSON.stringify(certs)}] }\nstore: { path: ${JSON.stringify(db)}${extra} }\nrules:\n${onlyRules(['cert-expiring', 'weak-rsa-key'])}\n`;

/** A scope that stays in collection until the test opens its gate. */
function gated() {
  let open!: () => void;
  let entered!: () => void;
  const gate = new Promise<void>((r) => (open = r));
  const inside = new Promise<void>((r) => (entered = r));
  const provider: Provider = {
    id: 'test-gate',
    title: 'a scope that takes as long as the test says',
    enabled: () => true,
    // eslint-disable-next-line @typescript-eslint/require-await -- a stand-in for an async iterable that needs no I/O
    async *scopes() {
      yield { provider: 'test-gate', account: 'local', location: 'gate' };
    },
    // eslint-disable-next-line require-yield -- the scope holds the run open and yields no record
    async *collect() {
      entered();
      await gate;
    },
  };
  return { provider, open, inside };
}

const logs: string[] = [];
const log = { info: (m: string) => logs.push(m), debug: () => {}, warn: (m: string) => logs.push(`warning: ${m}`) };
const day = (n: number) => new Date(NOW.getTime() + n * DAY);

test('two overlapping runs in one process: the second waits, then compares against the first', async () => {
  const db = join(dir, 'overlap.db');
  const config = parseConfig(configText(db));
  await runAudit({ config, now: day(0), log, providers: [filesProvider] }); // run 1
  const a = gated();
  const first = runAudit({ config, now: day(1), log, providers: [filesProvider, a.provider] });
  await a.inside; // A has read the previous run and is collecting
  let secondDone = false;
  const second = runAudit({ config, now: day(2), log, providers: [filesProvider] }).then(
    (r) => ((secondDone = true), r),
  );
  await new Promise((r) => setTimeout(r, 1500));
  expect(secondDone).toBe(false); // B is waiting for A, not reading run 1
  expect(logs.join('\n')).toMatch(
    new RegExp(`in use by pid ${process.pid} on ${hostname()} since \\d{4}-\\d\\d-\\d\\dT.*; waiting up to 60 s`),
  );
  a.open();
  const [ra, rb] = await Promise.all([first, second]);
  expect(ra.storeError).toBeUndefined();
  expect(rb.storeError).toBeUndefined();
  expect([ra.report.history?.run, ra.report.history?.previousRun?.run]).toEqual([2, 1]);
  expect([rb.report.history?.run, rb.report.history?.previousRun?.run]).toEqual([3, 2]);
  const s = openStore(db, { mustExist: true });
  expect((await s.runs()).map((r) => [r.seq, r.now])).toEqual([1, 2, 3].map((n, i) => [n, day(i).toISOString()]));
  await s.close();
}, 60_000);

test('a second run that cannot wait long enough goes on without the store and names the holder', async () => {
  const db = join(dir, 'busy.db');
  const config = parseConfig(configText(db));
  const a = gated();
  const first = runAudit({ config, now: day(0), log, providers: [filesProvider, a.provider] });
  await a.inside;
  const started = Date.now();
  const rb = await runAudit({
    config: parseConfig(configText(db, ', lockTimeoutMs: 300')),
    now: day(0),
    log,
    providers: [filesProvider],
  });
  expect(Date.now() - started).toBeLessThan(15_000);
  expect(rb.storeError).toMatch(
    new RegExp(
      `the history store ${db} cannot be used: in use by pid ${process.pid} on ${hostname()} since .*; gave up after 0\\.3 s`,
    ),
  );
  expect(rb.report.history).toBeUndefined();
  expect(rb.report.findings).toHaveLength(2);
  a.open();
  const ra = await first;
  expect([ra.report.history?.run, ra.report.history?.previousRun]).toEqual([1, null]);
}, 60_000);

test('two processes: the command fails fast naming the holding process; once that one dies, the next run proceeds', async () => {
  const db = join(dir, 'two.db');
  const cfg = join(dir, 'two.yaml');
  writeFileSync(cfg, configText(db, ', lockTimeoutMs: 500'));
  const args = (n: number) => [
    'audit',
    '-c',
    cfg,
    '-o',
    join(dir, `two-${n}.json`),
    '--now',
    day(n).toISOString(),
    '--fail-on',
    'none',
  ];
  expect((await certwardenAsync(args(0))).code).toBe(0); // run 1

  const h = await holder(db);
  const blocked = await certwardenAsync(args(1));
  expect(blocked.stderr).toMatch(
    new RegExp(`history store ${db} cannot be used: in use by pid ${h.pid} on ${hostname()} since `),
  );
  expect(blocked.code).toBe(3);
  expect(JSON.parse(readFileSync(join(dir, 'two-1.json'), 'utf8')).findings).toHaveLength(2);

  await h.kill(); // dies holding the store: its lock file stays behind
  expect(JSON.parse(readFileSync(`${db}.lock`, 'utf8')).pid).toBe(h.pid);
  const next = await certwardenAsync(args(2));
  expect(next.stderr).toContain('history: run 2 vs run 1');
  expect(next.code).toBe(0);
  expect(existsSync(`${db}.lock`)).toBe(false);
}, 120_000);
