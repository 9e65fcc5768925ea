/**
 * The shell examples of the README and docs/ are run, so they cannot drift from the command.
 * Every fenced `sh`, `bash`, `shell` or `console` block runs in a folder of its own against the
 * simulator, as `bash -e -o pipefail`, and must exit 0; a block that cannot run here (a real
 * cloud account, hours of benchmark) says so in an HTML comment right before it,
 * `<!-- not run: the reason -->`. A block with neither fails the test.
 *
 * What a reader has at hand is given to each block: `certwarden.yaml` (the simulator's estate,
 * with `failOn: none` and `failIncomplete: false` so an example's exit code is about the example),
 * the simulator's credentials in the environment, `docs/examples/`, and `certwarden` and
 * `npm run -s certwarden --` as the built command (dist/, built once). `certwarden sim` runs until
 * it has printed its settings, then gets Ctrl-C.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator, type Simulator } from '../../src/sim/index.js';
import { writeScenarioFiles } from '../../src/sim/files.js';
import {
  DEMO_DEV,
  DEMO_EXTERNAL_ID,
  DEMO_KEY,
  DEMO_PROD,
  DEMO_SCENARIO,
  DEMO_TOKEN,
  DEMO_TOKEN_ENV,
} from '../../src/sim/scenarios/demo.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const SHELL = new Set(['sh', 'bash', 'shell', 'console']);

interface Block {
  where: string;
  lang: string;
  code: string;
  /** The reason it is not run, from `<!-- not run: ... -->`. */
  notRun?: string;
}

/** The fenced shell blocks of a Markdown file, with the comment right before each, if any. */
function shellBlocks(file: string, text: string): Block[] {
  const lines = text.split('\n');
  const out: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(lines[i]);
    if (!open) continue;
    const [, indent, fence, lang] = open;
    let end = i + 1;
    while (end < lines.length && !lines[end].trim().startsWith(fence)) end++;
    if (SHELL.has(lang)) {
      let prev = i - 1;
      while (prev >= 0 && lines[prev].trim() === '') prev--;
      const note = prev >= 0 ? /^\s*<!--\s*not run:\s*(.+?)\s*-->\s*$/.exec(lines[prev]) : null;
      const body = lines.slice(i + 1, end).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
      // A console block shows prompts: only the `$ ` lines are commands.
      const code =
        lang === 'console'
          ? body
              .filter((l) => l.startsWith('$ '))
              .map((l) => l.slice(2))
              .join('\n')
          : body.join('\n');
      out.push({ where: `${file}:${i + 1}`, lang, code, ...(note ? { notRun: note[1] } : {}) });
    }
    i = end;
  }
  return out;
}

function markdownFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? markdownFiles(join(dir, e.name)) : e.name.endsWith('.md') ? [join(dir, e.name)] : [],
  );
}

const blocks = [join(root, 'README.md'), ...markdownFiles(join(root, 'docs'))].flatMap((f) =>
  shellBlocks(relative(root, f), readFileSync(f, 'utf8')),
);

// The command a reader has after `npm install -g .`; `sim` is stopped once it has said where it listens.
const CERTWARDEN_SHIM = `#!/usr/bin/env bash
if [ "\${1:-}" = sim ]; then
  log="$(mktemp)"
  node "$CERTWARDEN_CLI" "$@" 2>"$log" &
  pid=$!
  for _ in $(seq 1 600); do
    grep -q 'Press Ctrl-C to stop' "$log" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -INT "$pid" 2>/dev/null
  wait "$pid"
  rc=$?
  cat "$log" >&2
  rm -f "$log"
  exit "$rc"
fi
exec node "$CERTWARDEN_CLI" "$@"
`;
// From a clone the README says \`npm run -s certwarden -- ...\`: the same built command.
const NPM_SHIM = `#!/usr/bin/env bash
if [ "$1 $2 $3 $4" = "run -s certwarden --" ]; then shift 4; exec certwarden "$@"; fi
echo "this example runs npm $*, which the examples test does not run: mark the block <!-- not run: ... -->" >&2
exit 127
`;

let sim: Simulator;
let base: string;
let env: Record<string, string | undefined>;

beforeAll(async () => {
  const build = spawnSync(process.execPath, [join(root, 'scripts/build-if-stale.mjs')], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
  sim = await startSimulator(DEMO_SCENARIO);
  base = mkdtempSync(join(tmpdir(), 'cw-examples-'));
  const bin = join(base, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'certwarden'), CERTWARDEN_SHIM);
  writeFileSync(join(bin, 'npm'), NPM_SHIM);
  chmodSync(join(bin, 'certwarden'), 0o755);
  chmodSync(join(bin, 'npm'), 0o755);
  const certs = join(base, 'certs');
  writeScenarioFiles(certs, DEMO_SCENARIO.files ?? {}, sim.ca, sim.now);
  writeFileSync(
    join(base, 'certwarden.yaml'),
    JSON.stringify({
      providers: {
        files: { paths: [certs] },
        aws: {
          endpoint: sim.server.url,
          regions: ['us-east-1', 'eu-west-1'],
          accounts: [
            { roleArn: `arn:aws:iam::${DEMO_PROD}:role/certwarden-audit`, externalId: DEMO_EXTERNAL_ID },
            { roleArn: `arn:aws:iam::${DEMO_DEV}:role/certwarden-audit` },
          ],
        },
        azure: {
          cloud: { resourceManager: sim.server.url },
          credential: { type: 'token', env: DEMO_TOKEN_ENV },
          subscriptions: ['all'],
        },
      },
      failOn: 'none',
      failIncomplete: false,
    }),
  );
  env = {
    ...process.env,
    NODE_OPTIONS: '',
    PATH: `${bin}:${process.env.PATH}`,
    CERTWARDEN_CLI: join(root, 'dist/src/cli/main.js'),
    AWS_ACCESS_KEY_ID: DEMO_KEY.id,
    AWS_SECRET_ACCESS_KEY: DEMO_KEY.secret,
    AWS_REGION: 'us-east-1',
    AWS_PROFILE: undefined,
    AWS_SESSION_TOKEN: undefined,
    AWS_ENDPOINT_URL: undefined,
    [DEMO_TOKEN_ENV]: DEMO_TOKEN,
  };
}, 600_000);
afterAll(() => sim?.server.close());

function runBlock(code: string, cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', code], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ code: status, stdout, stderr });
    });
  });
}

const runnable = blocks.filter((b) => !b.notRun);

test('the README and docs/ have shell examples; those run hold commands, and those not run say why', () => {
  expect(runnable.length).toBeGreaterThanOrEqual(3);
  const empty = blocks.filter((b) => (b.notRun ?? b.code).trim() === '').map((b) => b.where);
  expect(empty).toEqual([]);
});

test.each(runnable.map((b) => [b.where, b] as const))('%s runs and exits 0', async (_where, block) => {
  const cwd = mkdtempSync(join(base, 'block-'));
  cpSync(join(base, 'certwarden.yaml'), join(cwd, 'certwarden.yaml'));
  cpSync(join(root, 'docs/examples'), join(cwd, 'docs/examples'), { recursive: true });
  const r = await runBlock(block.code, cwd);
  if (r.code !== 0) throw new Error(`${block.where} exited ${r.code}\n--- stderr\n${r.stderr}\n--- stdout\n${r.stdout.slice(0, 2000)}`);
}, 180_000);
