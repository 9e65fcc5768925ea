/**
 * A runner killed while it writes a run (SIGKILL: no handler, no cleanup) leaves nothing behind
 * on either store: not the half-written run, not a lock that blocks the next night. The next
 * audit compares against the last committed run and takes the next number.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NOW } from '../fixtures/certs.js';
import { certwardenAsync } from '../reliability/spawn.js';
import { backends } from './backends.js';
import { holder } from './holder.js';
import { onlyRules, writeCert } from './scenario.js';

const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'cw-killed-'));
const certs = join(dir, 'certs');
writeCert(join(certs, 'weak.pem'), 'rsa-1024');
writeCert(join(certs, 'soon.pem'), 'expiring-20d');
const day = (n: number) => new Date(NOW.getTime() + n * DAY).toISOString();

describe.each(backends(dir))('$name store', (backend) => {
  test('a runner killed in the middle of writing its run keeps nothing and blocks nothing', async () => {
    const cfg = join(dir, `${backend.name}.yaml`);
    const storeYaml = (await backend.yaml('killed')).replace(/ }$/, ', lockTimeoutMs: 20000 }');
    writeFileSync(
      cfg,
      `providers:\n  files: { paths: [${JSON.stringify(certs)}] }\nstore: ${storeYaml}\nrules:\n${onlyRules(['cert-expiring', 'weak-rsa-key'])}\n`,
    );
    const audit = (n: number) =>
      certwardenAsync([
        'audit',
        '-c',
        cfg,
        '-o',
        join(dir, `${backend.name}-${n}.json`),
        '--now',
        day(n),
        '--fail-on',
        'none',
      ]);
    expect((await audit(0)).code).toBe(0); // run 1

    const t = await backend.target('killed');
    const h = await holder(t.url ?? t.path!, '--write'); // 50 records written, not committed
    await h.kill();

    const next = await audit(1);
    expect(next.stderr).toContain('history: run 2 vs run 1');
    expect(next.code).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, `${backend.name}-1.json`), 'utf8'));
    expect(report.history).toMatchObject({ run: 2, previousRun: { run: 1 } });
    expect(report.findings.map((f: { status: string }) => f.status)).toEqual(['open', 'open']);

    const s = await backend.open('killed');
    expect((await s.runs()).map((r) => [r.seq, r.now])).toEqual([
      [1, day(0)],
      [2, day(1)],
    ]);
    const uids = (await s.records(2)).map((r) => r.uid).sort();
    expect(uids).toEqual([`files:${join(certs, 'soon.pem')}`, `files:${join(certs, 'weak.pem')}`]);
    await s.close();
  }, 120_000);
});
