import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { openStore } from '../../src/store/sqlite.js';
import { NOW } from '../fixtures/certs.js';
import { certwarden } from '../fixtures/cli.js';
import { reportSchemaErrors } from '../fixtures/schema.js';
import { backends, postgres } from './backends.js';
import type { PgServer } from './pg-server.js';
import { onlyRules, writeCert } from './scenario.js';
import { syntheticRun } from './synthetic.js';

const DAY = 86_400_000;
const SLOW = 180_000;
const dir = mkdtempSync(join(tmpdir(), 'cw-store-cli-'));
const day = (n: number) => new Date(NOW.getTime() + n * DAY).toISOString();

describe.each(backends(dir))('$name store', (backend) => {
  const certs = join(dir, `certs-${backend.name}`);
  const cfg = join(dir, `certwarden-${backend.name}.yaml`);
  /** What `--store` takes: the file, or the URL. */
  let where = '';
  let server: PgServer | undefined;
  beforeAll(async () => {
    const target = await backend.target('cli');
    where = target.url ?? target.path!;
    if (backend.name === 'postgres') server = await postgres();
    writeFileSync(
      cfg,
      `providers:\n  files: { paths: [${JSON.stringify(certs)}] }\nstore: ${await backend.yaml('cli')}\nrules:\n${onlyRules(['cert-expiring', 'weak-rsa-key'])}\n`,
    );
  });

  test(
    'audit remembers each run; history and diff read them back',
    () => {
      writeCert(join(certs, 'weak.pem'), 'rsa-1024');
      writeCert(join(certs, 'soon.pem'), 'expiring-20d');
      const first = certwarden(['audit', '-c', cfg, '-o', join(dir, 'r1.json'), '--now', day(0), '--fail-on', 'none']);
      expect(first.code).toBe(0);
      expect(first.stderr).toContain('history: run 1 (first run): 2 new, 0 open, 0 suppressed, 0 resolved, 0 worsened');
      const r1 = JSON.parse(readFileSync(join(dir, 'r1.json'), 'utf8'));
      expect(reportSchemaErrors(r1)).toEqual([]);
      expect(r1.findings.map((f: any) => [f.status, f.firstSeen])).toEqual([
        ['new', day(0)],
        ['new', day(0)],
      ]);

      writeCert(join(certs, 'soon.pem'), 'rsa-2048'); // renewed
      const second = certwarden(['audit', '-c', cfg, '-o', join(dir, 'r2.json'), '--now', day(1), '--fail-on', 'none']);
      expect(second.stderr).toContain('history: run 2 vs run 1: 0 new, 1 open, 0 suppressed, 1 resolved, 0 worsened');
      const r2 = JSON.parse(readFileSync(join(dir, 'r2.json'), 'utf8'));
      expect(reportSchemaErrors(r2)).toEqual([]);
      expect(r2.findings.map((f: any) => [f.ruleId, f.status, f.firstSeen])).toEqual([
        ['weak-rsa-key', 'open', day(0)],
      ]);
      expect(r2.history.resolved.map((f: any) => [f.ruleId, f.status, f.lastSeen])).toEqual([
        ['cert-expiring', 'resolved', day(0)],
      ]);

      const history = certwarden(['history', '--store', where, '--json']);
      expect(history.code).toBe(0);
      expect(
        JSON.parse(history.stdout).map((r: any) => [r.seq, r.now, r.counts.new, r.counts.open, r.counts.resolved]),
      ).toEqual([
        [1, day(0), 2, 0, 0],
        [2, day(1), 0, 1, 1],
      ]);
      expect(certwarden(['history', '-c', cfg]).stdout).toMatch(
        /^run\s+now\s+report id.*\n1\s+2026-06-01T00:00:00.000Z\s+\w{16}\s+2\s+0\s+2\s+2\s+0/,
      );

      const diff = JSON.parse(certwarden(['diff', '-c', cfg, '--json']).stdout);
      expect([diff.from.seq, diff.to.seq]).toEqual([1, 2]);
      expect(diff.findings.resolved.map((f: any) => f.ruleId)).toEqual(['cert-expiring']);
      expect(diff.certificates.renewed.map((c: any) => c.uid)).toEqual([`files:${join(certs, 'soon.pem')}`]);
      const text = certwarden(['diff', '1', r2.run.id, '--store', where]).stdout;
      expect(text).toMatch(/resolved findings: 1\n {2}\[medium\] cert-expiring .*soon\.pem/);
      expect(text).toMatch(/certificates renewed: 1\n/);
      // A URL is shown without its password, whatever the command prints.
      const all = [first, second, history, diff, text].map((r) => JSON.stringify(r)).join('');
      if (backend.name === 'postgres') expect(all).not.toContain(server!.password);
    },
    SLOW,
  );

  test('retention by runs keeps the newest; by days drops runs older than the window', async () => {
    const byRuns = await backend.open('keep', { runs: 2 });
    for (let i = 0; i < 4; i++) await byRuns.saveRun(syntheticRun(3, day(i), `r${i}`));
    expect((await byRuns.runs()).map((r) => r.seq)).toEqual([3, 4]);
    expect(await byRuns.records(1)).toEqual([]); // pruned runs take their rows with them
    expect(await byRuns.findings(4)).toHaveLength(3);
    await byRuns.close();

    const byDays = await backend.open('days', { days: 7 });
    for (const n of [0, 5, 9, 10]) await byDays.saveRun(syntheticRun(1, day(n), `d${n}`));
    expect((await byDays.runs()).map((r) => r.now)).toEqual([day(5), day(9), day(10)]);
    await byDays.close();
  });
});

test(
  'history and diff on a store that does not exist, or with too few runs, are usage errors',
  async () => {
    const missing = certwarden(['history', '--store', join(dir, 'nope.db')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no history store at .*nope\.db/);
    const one = join(dir, 'one.db');
    const s = openStore(one);
    await s.saveRun(syntheticRun(1, day(0)));
    await s.close();
    expect(certwarden(['diff', '--store', one]).stderr).toMatch(/fewer than two runs/);
    expect(certwarden(['diff', '7', '1', '--store', one]).stderr).toMatch(/no run 7/);
  },
  SLOW,
);

describe('the store file', () => {
  test('WAL mode and a schema version; a store from a newer certwarden is refused', async () => {
    const path = join(dir, 'v.db');
    await openStore(path).close();
    const raw = new Database(path);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.prepare('SELECT version FROM schema_version').all()).toEqual([{ version: MIGRATIONS.length }]);
    raw.prepare('UPDATE schema_version SET version = ?').run(MIGRATIONS.length + 1);
    raw.close();
    expect(() => openStore(path)).toThrow(/newer than this certwarden knows/);
  });

  test('opening twice does not migrate twice', async () => {
    const path = join(dir, 'twice.db');
    await openStore(path).close();
    const s = openStore(path);
    expect(await s.runs()).toEqual([]);
    await s.close();
  });
});
