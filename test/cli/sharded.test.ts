/**
 * A sharded audit of the demo estate (two AWS accounts in two regions, two Azure subscriptions,
 * certificate files, TLS endpoints) by real `certwarden audit --shard I/N` processes against the
 * simulator, joined by `certwarden merge`: the merged report is the single run's, byte for byte,
 * cross-account findings included; a lost shard fails its accounts' scopes and resolves nothing.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { writeScenarioFiles } from '../../src/sim/files.js';
import { siteFromTemplate, startTlsServer } from '../../src/sim/tls.js';
import {
  DEMO_KEY,
  DEMO_PROD,
  DEMO_SCENARIO,
  DEMO_TLS_NAMES,
  DEMO_TLS_SITES,
  DEMO_TOKEN,
  DEMO_TOKEN_ENV,
} from '../../src/sim/scenarios/demo.js';
import { demoConfigData } from '../../src/cli/demo.js';
import type { ShardReport } from '../../src/cli/shard.js';
import type { RememberedReport } from '../../src/store/remember.js';
import { certwardenAsync } from '../reliability/spawn.js';

const NOW = '2026-03-01T00:00:00.000Z';
const NEXT = '2026-03-02T00:00:00.000Z';
const dir = mkdtempSync(join(tmpdir(), 'cw-sharded-'));
const db = join(dir, 'history.db');
const config = join(dir, 'config.json');
const env = {
  AWS_ACCESS_KEY_ID: DEMO_KEY.id,
  AWS_SECRET_ACCESS_KEY: DEMO_KEY.secret,
  AWS_REGION: 'us-east-1',
  AWS_PROFILE: undefined,
  AWS_SESSION_TOKEN: undefined,
  [DEMO_TOKEN_ENV]: DEMO_TOKEN,
};
let sim: Simulator;
let tls: Awaited<ReturnType<typeof startTlsServer>>;

const read = <T = RememberedReport>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;

async function run(args: string[], expected: number[] = [0, 1]) {
  const r = await certwardenAsync(args, { env });
  if (!expected.includes(r.code ?? -1)) throw new Error(`certwarden ${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
  return r;
}

/** N shard processes at once, then the merge; returns the merged report's path and the shard reports. */
async function sharded(n: number, now: string, tag: string, skip?: number) {
  const paths = Array.from({ length: n }, (_, i) => join(dir, `${tag}-shard-${i}.json`));
  await Promise.all(
    paths.map((p, i) =>
      i === skip
        ? Promise.resolve()
        : run(['audit', '-c', config, '--now', now, '--shard', `${i}/${n}`, '-o', p, '-q']),
    ),
  );
  const out = join(dir, `${tag}-merged.json`);
  const merge = await run(['merge', '-c', config, '-o', out, '-q', '--fail-on', 'none', ...paths], [0, 3]);
  return { out, merge, shards: paths.filter((p) => existsSync(p)).map((p) => read<ShardReport>(p)) };
}

let single: string;

beforeAll(async () => {
  sim = await startSimulator(DEMO_SCENARIO, { now: new Date(NOW) });
  tls = await startTlsServer(
    DEMO_TLS_SITES.map((s) => siteFromTemplate(sim.ca, s.cert, new Date(NOW), s.names, s.chain)),
  );
  const certDir = join(dir, 'certs');
  writeScenarioFiles(certDir, DEMO_SCENARIO.files ?? {}, sim.ca, new Date(NOW));
  // A copy of a production ACM certificate kept on disk: the same certificate in two accounts.
  const prod = sim.aws!.accounts.get(DEMO_PROD)!.regions.get('us-east-1')!.certificates[0];
  writeFileSync(join(certDir, 'prod-copy.pem'), prod.material.pem);
  const endpoints = DEMO_TLS_NAMES.map((servername) => ({ host: tls.host, port: tls.port, servername }));
  writeFileSync(config, JSON.stringify({ ...demoConfigData(sim.server.url, certDir, endpoints), store: { path: db } }));
  await run(['audit', '-c', config, '--now', NOW, '-o', join(dir, 'single.json'), '-q', '--fail-on', 'none'], [0, 3]);
  single = readFileSync(join(dir, 'single.json'), 'utf8');
  rmSync(db);
}, 120_000);

afterAll(async () => {
  await Promise.all([sim?.server.close(), tls?.close()]);
});

test('the single run has cross-account findings and a history run', () => {
  const report = JSON.parse(single) as RememberedReport;
  const dup = report.findings.filter((f) => f.ruleId === 'duplicate-certificate');
  expect(new Set(dup.map((f) => f.resource.account))).toEqual(new Set(['local', DEMO_PROD]));
  expect(report.findings.some((f) => f.ruleId === 'served-cert-mismatch')).toBe(true);
  expect(report.history?.run).toBe(1);
});

function sameAsSingle(get: () => Awaited<ReturnType<typeof sharded>>, n: number) {
  test('give the single run byte for byte, history included', () => {
    expect(readFileSync(get().out, 'utf8')).toBe(single);
  });

  test('share the accounts out whole: each to exactly one shard', () => {
    const { shards } = get();
    expect(shards).toHaveLength(n);
    const owned = shards.flatMap((s) => s.shard.accounts);
    expect(new Set(owned).size).toBe(owned.length);
    const all = new Set((JSON.parse(single) as RememberedReport).scopes.map((s) => s.account));
    all.delete('*');
    // TLS endpoints are the merge's to contact: they need the whole inventory.
    all.delete('network');
    expect(new Set(owned)).toEqual(all);
    for (const s of shards) {
      expect(s.shard).toMatchObject({ index: expect.any(Number), count: n });
      for (const scope of s.scopes) if (scope.account !== '*') expect(s.shard.accounts).toContain(scope.account);
      // Estate-wide rules run only in the merge, which sees every account.
      expect(s.findings.some((f) => f.ruleId === 'duplicate-certificate')).toBe(false);
    }
  });
}

describe.each([1, 7])('%i shard(s) and a merge', (n) => {
  let result: Awaited<ReturnType<typeof sharded>>;
  beforeAll(async () => {
    result = await sharded(n, NOW, `n${n}`);
  }, 180_000);
  afterAll(() => rmSync(db, { force: true }));
  sameAsSingle(() => result, n);
});

describe('3 shards and a merge, then a night that loses shard 1', () => {
  let night1: Awaited<ReturnType<typeof sharded>>;
  let first: RememberedReport;
  let second: RememberedReport;
  let lostAccounts: string[];
  let merge: Awaited<ReturnType<typeof run>>;
  beforeAll(async () => {
    night1 = await sharded(3, NOW, 'n3');
    first = read(night1.out);
    const night2 = await sharded(3, NEXT, 'night2', 1);
    expect(night2.shards.map((r) => r.shard.index)).toEqual([0, 2]);
    merge = night2.merge;
    second = read(night2.out);
    // The plan of night 2 deals the accounts by night 1's sizes: the shards that ran name shard 1's.
    lostAccounts = [
      ...new Set(night2.shards.flatMap((r) => r.shard.others.filter((o) => o.shard === 1).map((o) => o.account))),
    ];
  }, 240_000);

  sameAsSingle(() => night1, 3);

  test('the lost shard fails the scopes of its accounts, named with the reason, and the merge exits 3', () => {
    expect(lostAccounts.length).toBeGreaterThan(0);
    expect(merge.code).toBe(3);
    expect(merge.stderr).toMatch(/shard 1 of 3 sent no report/);
    const lost = second.scopes.filter((s) => lostAccounts.includes(s.account));
    expect(lost.length).toBeGreaterThan(0);
    for (const s of lost)
      expect(s).toMatchObject({
        status: 'failed',
        error: { code: 'ShardLost', message: expect.stringMatching(/shard 1 of 3/) },
      });
  });

  test('nothing is resolved: the findings of its accounts are carried in the history', () => {
    const before = first.findings.filter((f) => lostAccounts.includes(f.resource.account));
    expect(before.length).toBeGreaterThan(0);
    expect(second.history?.previousRun?.run).toBe(1);
    expect(second.history?.counts.resolved).toBe(0);
    expect(second.history?.resolved).toEqual([]);
    const carried = new Set(second.history?.carried.map((f) => f.id));
    for (const f of before) expect(carried.has(f.id)).toBe(true);
    const raw = new Database(db, { readonly: true });
    const rows = raw.prepare("SELECT COUNT(*) AS n FROM findings WHERE status = 'resolved'").get() as { n: number };
    raw.close();
    expect(rows.n).toBe(0);
  });

  test('shards of different runs are refused, naming what differs', async () => {
    // Shard 0 of night 2 (--now NEXT) with shard 1 of night 1 (--now NOW).
    const out = join(dir, 'mixed.json');
    const r = await run(
      ['merge', '-c', config, '-o', out, join(dir, 'night2-shard-0.json'), join(dir, 'n3-shard-1.json')],
      [2],
    );
    expect(r.stderr).toMatch(
      /not of one sharded run: .*night2-shard-0\.json has an audit clock \(--now\) of 2026-03-02.*n3-shard-1\.json has 2026-03-01/,
    );
    expect(existsSync(out)).toBe(false);
  });
});
