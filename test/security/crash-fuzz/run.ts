/**
 * The crash fuzzer's runner: makes cases (cases.ts), hands them in batches to child processes
 * (child.ts), and turns a child that dies by a signal, exits on its own, or stops making progress
 * into a crash of the case it was on, with that case's DER saved; the batch goes on in a new
 * child from the next case. Run longer than CI does with
 *
 *   npm run fuzz:x509 -- --minutes 10 [--seed 1] [--out dir]
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { fuzzCase, type FuzzCase } from './cases.js';
import { seeds } from './seeds.js';

export interface Crash {
  index: number;
  seed: string;
  /** How the child ended: a signal (SIGABRT, SIGSEGV), an exit code, or `hang`. */
  how: string;
  stderr: string;
  /** Where the case's DER was saved. */
  file: string;
}

export interface FuzzResult {
  seed: number;
  cases: number;
  read: number;
  unparseable: number;
  children: number;
  crashes: Crash[];
  seconds: number;
}

export interface FuzzOptions {
  seed: number;
  /** Stop after this many cases, or ... */
  cases?: number;
  /** ... after this many seconds (whichever comes first). */
  seconds?: number;
  batch?: number;
  parallel?: number;
  /** A case that takes longer than this is a hang. */
  caseTimeoutMs?: number;
  out?: string;
  log?: (line: string) => void;
}

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** Runs one child over `file` from case `from`; resolves with the cases it finished and how it ended. */
function child(
  file: string,
  from: number,
  caseTimeoutMs: number,
): Promise<{ done: Map<number, string>; started: number; how?: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['--import', 'tsx', CHILD, file, String(from)], {
      cwd: ROOT,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    const done = new Map<number, string>();
    let started = from;
    let out = '';
    let stderr = '';
    let hung = false;
    // The first case also waits for the child's start-up.
    let timer = setTimeout(() => ((hung = true), p.kill('SIGKILL')), caseTimeoutMs + 30_000);
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop()!;
      for (const line of lines) {
        const [mark, i, verdict] = line.split(' ');
        if (mark === '>') {
          started = Number(i);
          clearTimeout(timer);
          timer = setTimeout(() => ((hung = true), p.kill('SIGKILL')), caseTimeoutMs);
        } else if (mark === '<') done.set(Number(i), verdict);
      }
    });
    p.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      const clean = code === 0 && !signal && !hung;
      resolve({ done, started, how: clean ? undefined : hung ? 'hang' : (signal ?? `exit ${code}`), stderr });
    });
  });
}

export async function runFuzz(opts: FuzzOptions): Promise<FuzzResult> {
  const { seed, batch = 250, parallel = 2, caseTimeoutMs = 10_000, log = () => {} } = opts;
  const limit = opts.cases ?? Number.POSITIVE_INFINITY;
  const deadline = opts.seconds === undefined ? Number.POSITIVE_INFINITY : Date.now() + opts.seconds * 1000;
  const work = mkdtempSync(join(tmpdir(), 'cw-crash-fuzz-'));
  const out = opts.out ?? join(tmpdir(), 'certwarden-x509-crashes');
  const all = seeds();
  const result: FuzzResult = { seed, cases: 0, read: 0, unparseable: 0, children: 0, crashes: [], seconds: 0 };
  const started = Date.now();
  let next = 0;

  async function runBatch(first: number, n: number): Promise<void> {
    const cases: FuzzCase[] = Array.from({ length: n }, (_, k) => fuzzCase(all, seed, first + k));
    const file = join(work, `batch-${first}.hex`);
    writeFileSync(file, cases.map((c) => c.der.toString('hex')).join('\n') + '\n');
    for (let from = 0; from < n;) {
      result.children++;
      const r = await child(file, from, caseTimeoutMs);
      for (const verdict of r.done.values()) result[verdict === 'read' ? 'read' : 'unparseable']++;
      result.cases += r.done.size;
      if (!r.how) break;
      const index = first + r.started;
      mkdirSync(out, { recursive: true });
      const saved = join(out, `seed-${seed}-case-${index}.der`);
      writeFileSync(saved, cases[r.started].der);
      const said = r.stderr
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
      result.crashes.push({
        index,
        seed: cases[r.started].seed,
        how: r.how,
        stderr: [...said.slice(0, 2), ...said.filter((l) => /Error|Assertion/.test(l)).slice(0, 2)].join(' | '),
        file: saved,
      });
      result.cases++;
      log(`case ${index} (${cases[r.started].seed}) ended its child: ${r.how}; saved to ${saved}`);
      from = r.started + 1;
    }
  }

  async function worker(): Promise<void> {
    while (next < limit && Date.now() < deadline) {
      const first = next;
      const n = Math.min(batch, limit - first);
      next += n;
      await runBatch(first, n);
      log(`${result.cases} cases, ${result.crashes.length} crashes, ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }
  }
  await Promise.all(Array.from({ length: parallel }, worker));
  result.seconds = (Date.now() - started) / 1000;
  return result;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const arg = (name: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  const r = await runFuzz({
    seed: Number(arg('seed') ?? Date.now() % 100_000),
    seconds: Number(arg('minutes') ?? 10) * 60,
    cases: arg('cases') ? Number(arg('cases')) : undefined,
    out: arg('out'),
    log: (l) => process.stderr.write(`${l}\n`),
  });
  process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  process.exitCode = r.crashes.length ? 1 : 0;
}
