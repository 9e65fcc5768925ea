/**
 * The PostgreSQL store against a real server (pg-server.ts): configuration, secrets kept out of
 * every message, one run at a time under the advisory lock, timeouts, the schema kept in step with
 * SQLite's, hostile text, and the dashboard views answering as SQLite's do.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { parseConfig } from '../../src/config/load.js';
import { runAudit } from '../../src/cli/audit.js';
import type { Provider } from '../../src/engine/api/provider.js';
import { filesProvider } from '../../providers/files/index.js';
import { openTarget } from '../../src/store/backend.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { PG_MIGRATIONS } from '../../src/store/pg-migrations.js';
import { PostgresStore } from '../../src/store/postgres.js';
import { openStore } from '../../src/store/sqlite.js';
import { NOW } from '../fixtures/certs.js';
import { postgres } from './backends.js';
import { onlyRules, writeCert } from './scenario.js';
import { syntheticRun } from './synthetic.js';

const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'cw-pg-store-'));
const certs = join(dir, 'certs');
writeCert(join(certs, 'weak.pem'), 'rsa-1024');
writeCert(join(certs, 'soon.pem'), 'expiring-20d');
const day = (n: number) => new Date(NOW.getTime() + n * DAY);
const configText = (url: string, extra = '') =>
  `providers:\n  files: { paths: [${JSON.stringify(certs)}] }\nstore: { url: ${JSON.stringify(url)}${extra} }\nrules:\n${onlyRules(['cert-expiring', 'weak-rsa-key'])}\n`;

function recorder() {
  const lines: string[] = [];
  return {
    lines,
    log: {
      info: (m: string) => lines.push(m),
      debug: (m: string) => lines.push(m),
      warn: (m: string) => lines.push(`warning: ${m}`),
    },
  };
}

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

describe('store.url in the config', () => {
  const problem = (store: string) => {
    try {
      parseConfig(`providers:\n  files: { paths: [/tmp] }\nstore: ${store}\n`);
      return undefined;
    } catch (err) {
      return (err as Error).message;
    }
  };

  test('a bad URL names store.url and never repeats the URL or its password', () => {
    for (const [url, why] of [
      ['mysql://admin:hunter2-secret@db.example.com/certs', /store\.url: the scheme must be postgres: or postgresql:/],
      ['postgres:///certs?password=hunter2-secret', /store\.url: no host/],
      ['not a url hunter2-secret', /store\.url: not a URL/],
    ] as const) {
      const message = problem(`{ url: ${JSON.stringify(url)} }`);
      expect(message).toMatch(why);
      expect(message).not.toContain('hunter2');
    }
  });

  test('exactly one of path and url; path is the default', () => {
    expect(problem('{ path: a.db, url: "postgres://db.example.com/certs" }')).toMatch(
      /store\.url: set store\.path or store\.url, not both/,
    );
    expect(parseConfig('providers:\n  files: { paths: [/tmp] }\nstore: {}\n').store).toMatchObject({
      path: 'certwarden-history.db',
    });
    const url = parseConfig('providers:\n  files: { paths: [/tmp] }\nstore: { url: "postgresql://db/certs" }\n').store;
    expect(url).toMatchObject({ url: 'postgresql://db/certs' });
    expect(url!.path).toBeUndefined();
  });
});

describe('secrets', () => {
  test('a wrong password: the run is reported without history, and no message, log line or report holds the password', async () => {
    const server = await postgres();
    const good = await server.createDatabase('secrets');
    const wrong = good.replace(encodeURIComponent(server.password), 'wrong-hunter2-secret');
    for (const [url, secret] of [
      [wrong, 'wrong-hunter2-secret'],
      [good, server.password],
    ]) {
      const { lines, log } = recorder();
      const r = await runAudit({ config: parseConfig(configText(url)), now: day(0), log, providers: [filesProvider] });
      const everything = [r.storeError ?? '', ...lines, JSON.stringify(r.report)].join('\n');
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(encodeURIComponent(secret));
      if (url === wrong) {
        expect(r.storeError).toMatch(/the history store postgres:\/\/certwarden:\*\*\*@127\.0\.0\.1:\d+\/secrets/);
        expect(r.storeError).toMatch(/password authentication failed/);
        expect(r.report.history).toBeUndefined();
      } else {
        expect(r.storeError).toBeUndefined();
        expect(r.report.history?.run).toBe(1);
      }
    }
  });

  test('the password may come from PGPASSWORD instead of the URL', async () => {
    const server = await postgres();
    const url = (await server.createDatabase('from_env')).replace(`:${encodeURIComponent(server.password)}@`, '@');
    const before = process.env.PGPASSWORD;
    process.env.PGPASSWORD = server.password;
    try {
      const store = await openTarget({ url });
      expect(await store.runs()).toEqual([]);
      await store.close();
    } finally {
      if (before === undefined) delete process.env.PGPASSWORD;
      else process.env.PGPASSWORD = before;
    }
  });
});

describe('one run at a time', () => {
  test('two overlapping runs: the second waits for the first to commit, then compares against it', async () => {
    const url = await (await postgres()).createDatabase('overlap');
    const config = parseConfig(configText(url));
    const { lines, log } = recorder();
    await runAudit({ config, now: day(0), log, providers: [filesProvider] }); // run 1
    const a = gated();
    const first = runAudit({ config, now: day(1), log, providers: [filesProvider, a.provider] });
    await a.inside; // A holds the lock and has read run 1
    let secondDone = false;
    const second = runAudit({ config, now: day(2), log, providers: [filesProvider] }).then(
      (r) => ((secondDone = true), r),
    );
    await new Promise((r) => setTimeout(r, 1500));
    expect(secondDone).toBe(false);
    expect(lines.join('\n')).toMatch(
      /history store postgres:\/\/certwarden:\*\*\*@.* is in use by server process \d+ \(certwarden from 127\.0\.0\.1\) since .*; waiting up to 60 s/,
    );
    a.open();
    const [ra, rb] = await Promise.all([first, second]);
    expect([ra.storeError, rb.storeError]).toEqual([undefined, undefined]);
    expect([ra.report.history?.run, ra.report.history?.previousRun?.run]).toEqual([2, 1]);
    expect([rb.report.history?.run, rb.report.history?.previousRun?.run]).toEqual([3, 2]);
    const s = await openTarget({ url });
    expect((await s.runs()).map((r) => [r.seq, r.now])).toEqual([0, 1, 2].map((n) => [n + 1, day(n).toISOString()]));
    await s.close();
  }, 60_000);

  test('a run that cannot wait long enough goes on without the store, names the holder, and leaves no trace', async () => {
    const url = await (await postgres()).createDatabase('busy');
    const a = gated();
    const { log } = recorder();
    const first = runAudit({
      config: parseConfig(configText(url)),
      now: day(0),
      log,
      providers: [filesProvider, a.provider],
    });
    await a.inside;
    const started = Date.now();
    const rb = await runAudit({
      config: parseConfig(configText(url, ', lockTimeoutMs: 300')),
      now: day(0),
      log,
      providers: [filesProvider],
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(rb.storeError).toMatch(
      /cannot be used: in use by server process \d+ .*; gave up after 0\.3 s \(store\.lockTimeoutMs\)/,
    );
    expect(rb.report.history).toBeUndefined();
    a.open();
    const ra = await first;
    expect([ra.report.history?.run, ra.report.history?.previousRun]).toEqual([1, null]);
  }, 60_000);

  test('a run that fails while written keeps nothing, and the next run takes the next number', async () => {
    const url = await (await postgres()).createDatabase('rollback');
    const s1 = await openTarget({ url });
    await s1.saveRun(syntheticRun(3, day(0).toISOString(), 'a'));
    await s1.close();
    const { log } = recorder();
    const s2 = await PostgresStore.open(url);
    await s2.lock(1000, log);
    await s2.saveRun(syntheticRun(5, day(1).toISOString(), 'b'));
    await s2.abandon();
    const s3 = await openTarget({ url });
    expect((await s3.runs()).map((r) => r.seq)).toEqual([1]);
    expect(await s3.saveRun(syntheticRun(2, day(2).toISOString(), 'c'))).toBe(2);
    expect(await s3.records(2)).toHaveLength(2);
    await s3.close();
  });
});

describe('timeouts', () => {
  test('a server that accepts and never answers: connecting gives up after connectTimeoutMs', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as { port: number };
    const started = Date.now();
    await expect(
      openTarget({ url: `postgres://u:hunter2-secret@127.0.0.1:${port}/db`, connectTimeoutMs: 300 }),
    ).rejects.toThrow(
      /history store postgres:\/\/u:\*\*\*@127\.0\.0\.1:\d+\/db cannot be used: .*(timeout|terminated)/i,
    );
    expect(Date.now() - started).toBeLessThan(5_000);
    for (const s of sockets) s.destroy();
    silent.close();
  });

  test('a statement blocked longer than statementTimeoutMs fails instead of waiting', async () => {
    const url = await (await postgres()).createDatabase('slow');
    const store = await openTarget({ url, statementTimeoutMs: 300 });
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE runs IN ACCESS EXCLUSIVE MODE');
    const started = Date.now();
    await expect(store.runs()).rejects.toThrow(/statement timeout/);
    expect(Date.now() - started).toBeLessThan(5_000);
    await blocker.query('ROLLBACK');
    await blocker.end();
    await store.close();
  });
});

describe('schema', () => {
  test('the same named migrations as SQLite, recorded once; a migration from a newer certwarden is refused', async () => {
    expect(PG_MIGRATIONS.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => m.name));
    const url = await (await postgres()).createDatabase('schema');
    await (await openTarget({ url })).close();
    await (await openTarget({ url })).close();
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    expect((await c.query('SELECT name FROM migrations ORDER BY name')).rows.map((r) => r.name)).toEqual(
      MIGRATIONS.map((m) => m.name).sort(),
    );
    expect((await c.query('SELECT version FROM schema_version')).rows).toEqual([{ version: MIGRATIONS.length }]);
    await c.query("INSERT INTO migrations (name) VALUES ('from-the-future')");
    await c.end();
    await expect(openTarget({ url })).rejects.toThrow(/newer than this certwarden knows/);
  });

  test('a reader of a database that holds no history says so and creates nothing', async () => {
    const url = await (await postgres()).createDatabase('empty');
    await expect(openTarget({ url }, { mustExist: true })).rejects.toThrow(/holds no certwarden history/);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    expect((await c.query("SELECT to_regclass('runs') AS t")).rows).toEqual([{ t: null }]);
    await c.end();
  });

  test('text PostgreSQL cannot hold (NUL) and text that looks like its escape come back exactly', async () => {
    const url = await (await postgres()).createDatabase('hostile');
    const store = await openTarget({ url });
    const run = syntheticRun(2, day(0).toISOString(), 'h');
    const nasty = ['a\u0000b', '\uffff{"not":"json"}', '\uffff"x\u0000"'];
    run.findings[0].message = nasty[0];
    run.findings[0].title = nasty[1];
    run.findings[1].resource = { ...run.findings[1].resource, name: nasty[2] };
    run.certificates[0].subject = nasty[0];
    const seq = await store.saveRun(run);
    const back = await store.findings(seq);
    expect([back[0].message, back[0].title, back[1].resource.name]).toEqual(nasty);
    expect((await store.records(seq))[0].body).toMatchObject({ subject: nasty[0] });
    await store.close();
  });
});

describe('dashboard views', () => {
  test('runs, expiring certificates by week and owner, open findings by severity and account: as SQLite answers', async () => {
    const url = await (await postgres()).createDatabase('views');
    const file = join(dir, 'views.db');
    const runs = [0, 1, 2].map((n) => {
      const run = syntheticRun(6, day(n).toISOString(), `v${n}`);
      run.certificates.forEach((c, i) => {
        c.notAfter = day(n + i * 4).toISOString();
        if (i % 2) c.owner = { name: i % 3 ? 'team-web' : 'team-data', source: 'tag', detail: 'owner' };
      });
      run.findings.forEach((f, i) => {
        f.severity = (['critical', 'high', 'low'] as const)[i % 3];
        f.status = (['new', 'open', 'suppressed'] as const)[(i + n) % 3];
        f.resource = { ...f.resource, account: i < 3 ? '111111111111' : '222222222222' };
        f.carried = i === 4;
      });
      return run;
    });
    for (const open of [() => openTarget({ url }), () => Promise.resolve(openStore(file))]) {
      const s = await open();
      for (const r of runs) await s.saveRun(r);
      await s.close();
    }
    const views = ['runs_overview', 'expiring_by_week_owner', 'open_findings_by_severity_account'];
    const order = {
      runs_overview: 'run',
      expiring_by_week_owner: 'week, owner',
      open_findings_by_severity_account: 'severity_rank DESC, provider, account',
    } as Record<string, string>;
    const lite = new Database(file, { readonly: true });
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    for (const v of views) {
      const fromPg = (await c.query(`SELECT * FROM ${v} ORDER BY ${order[v]}`)).rows;
      const fromLite = lite.prepare(`SELECT * FROM ${v} ORDER BY ${order[v]}`).all();
      expect([v, fromPg]).toEqual([v, fromLite]);
      expect(fromPg.length).toBeGreaterThan(0);
    }
    expect((await c.query('SELECT * FROM expiring_by_week_owner ORDER BY week, owner LIMIT 2')).rows).toEqual([
      { week: '2026-06-01', owner: '(none)', certificates: 1, first_not_after: day(2).toISOString() },
      { week: '2026-06-01', owner: 'team-web', certificates: 1, first_not_after: day(6).toISOString() },
    ]);
    await c.end();
    lite.close();
  });
});
