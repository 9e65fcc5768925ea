/**
 * `certwarden sim` on its own: its help names every simulated service, the config it prints
 * lists every region of the scenario, and Ctrl-C leaves no temporary folder behind.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { certwarden } from '../fixtures/cli.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

test('sim --help names IAM, Application Gateway, App Service and Front Door', () => {
  const help = certwarden(['sim', '--help']).stdout.replace(/\s+/g, ' ');
  for (const name of ['IAM', 'Application Gateway', 'App Service', 'Front Door']) expect(help).toContain(name);
});

test('a two-region scenario with files: both regions in the printed config; Ctrl-C removes the files folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cw-sim-cmd-'));
  const scenario = join(dir, 'scenario.yaml');
  writeFileSync(
    scenario,
    [
      'aws:',
      '  accounts:',
      '    - id: "111111111111"',
      '      accessKeys: [{ id: AKIAEXAMPLE000000001, secret: example-secret-opens-nothing }]',
      '      regions:',
      '        us-east-1: { certificates: [{ name: a, cn: a.example.com }] }',
      '        eu-west-1: { certificates: [{ name: b, cn: b.example.com }] }',
      'files:',
      '  site.pem: { cn: site.example.com }',
      '',
    ].join('\n'),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', `${root}src/cli/main.ts`, 'sim', '--scenario', scenario], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const deadline = Date.now() + 90_000;
  while (!/Press Ctrl-C/.test(err) && Date.now() < deadline && child.exitCode === null)
    await new Promise((r) => setTimeout(r, 200));
  expect(err).toMatch(/Press Ctrl-C/);
  expect(err).toMatch(/regions:\s*\n\s*- us-east-1\s*\n\s*- eu-west-1/);
  const files = /paths:\s*\n\s*- (\S+)/.exec(err)![1];
  expect(existsSync(files)).toBe(true);
  child.kill('SIGINT');
  await exited;
  expect(existsSync(files)).toBe(false);
}, 120_000);
