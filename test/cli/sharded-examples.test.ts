/**
 * The sharded scheduling examples in docs/examples are parsed and checked against the real CLI:
 * the shard count is the same everywhere it is written, every command and flag exists, the shards
 * read their index from the scheduler's variable, and the merge reads what the shards write and
 * runs after them, lost shards included.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { parseConfig } from '../../src/config/load.js';
import { parseShardSpec } from '../../src/cli/shard.js';
import { certwarden } from '../fixtures/cli.js';

const examples = fileURLToPath(new URL('../../docs/examples/', import.meta.url));
const read = (name: string) => readFileSync(join(examples, name), 'utf8');

const helpCache = new Map<string, Set<string>>();
function optionsOf(command: string): Set<string> {
  if (!helpCache.has(command)) {
    const help = certwarden([command, '--help']);
    expect(help.code).toBe(0);
    helpCache.set(command, new Set(help.stdout.match(/(?<=^|[\s,])--?[a-z][\w-]*/gm) ?? []));
  }
  return helpCache.get(command)!;
}

/** The words of the first `certwarden <command> ...` in a shell script, quotes removed. */
function invocation(script: string, command: 'audit' | 'merge'): string[] {
  const line = script.split('\n').find((l) => new RegExp(`certwarden ${command} `).test(l));
  expect(line).toBeDefined();
  // An Actions expression (`${{ matrix.shard }}`) is one word.
  const text = line!.replace(/\$\{\{\s*(.*?)\s*\}\}/g, '$${{$1}}');
  const words = text
    .slice(text.indexOf(`certwarden ${command} `))
    .split(/\s+/)
    .filter(Boolean)
    .map((w) => w.replace(/"/g, ''));
  const known = optionsOf(command);
  for (const w of words.slice(2)) if (w.startsWith('-')) expect([w, known.has(w)]).toEqual([w, true]);
  return words;
}

const flag = (words: string[], name: string) => words[words.indexOf(name) + 1];

const SLOW = 120_000;

test(
  'Kubernetes: an Indexed Job of N shards and a merge that waits for N reports where the shards write them',
  () => {
    const docs = parseAllDocuments(read('kubernetes-sharded.yaml')).map((d) => {
      expect(d.errors).toEqual([]);
      return d.toJS();
    });
    const cron = docs.find((d) => d.kind === 'CronJob');
    const job = cron.spec.jobTemplate.spec;
    expect(job.completionMode).toBe('Indexed');
    expect(job.parallelism).toBe(job.completions);
    const n = job.completions - 1;
    const container = job.template.spec.containers[0];
    const script: string = container.args[0];
    const shard = invocation(script, 'audit');
    const merge = invocation(script, 'merge');
    // The shard count and the index: as the CLI reads them in a pod of this Job.
    expect(parseShardSpec(flag(shard, '--shard'), { JOB_COMPLETION_INDEX: String(n - 1) })).toEqual({
      index: n - 1,
      count: n,
    });
    expect(() => parseShardSpec(flag(shard, '--shard'), { JOB_COMPLETION_INDEX: String(n) })).toThrow(/out of range/);
    // Indexes below N audit, index N merges after N reports are there.
    expect(script).toContain(`"$JOB_COMPLETION_INDEX" -lt ${n} ]`);
    expect(script).toContain(`-ge ${n} ]`);
    expect(script.indexOf('certwarden merge')).toBeGreaterThan(script.indexOf('sleep'));
    // The merge reads the files the shards write.
    expect(flag(shard, '--output')).toBe('$dir/shard-$JOB_COMPLETION_INDEX.json');
    expect(merge.at(-1)).toBe('$dir/shard-*.json');
    expect(flag(shard, '--config')).toBe(flag(merge, '--config'));
    // The config is one the CLI accepts, with the history in PostgreSQL and its password from a Secret.
    const configMap = docs.find((d) => d.kind === 'ConfigMap');
    const config = parseConfig(configMap.data['certwarden.yaml'], 'example config');
    expect(config.store?.url).toMatch(/^postgres:\/\/[^:@]+@/);
    expect(container.env.find((e: any) => e.name === 'PGPASSWORD').valueFrom.secretKeyRef).toBeTruthy();
    // The shard reports' folder is a claim every pod can write.
    const claim = docs.find((d) => d.kind === 'PersistentVolumeClaim');
    expect(claim.spec.accessModes).toContain('ReadWriteMany');
  },
  SLOW,
);

test(
  'GitHub Actions: a matrix of N shards and a merge job that needs them and runs when one failed',
  () => {
    const wf = parse(read('github-actions-sharded.yml'));
    const matrix: number[] = wf.jobs.shard.strategy.matrix.shard;
    const n = matrix.length;
    expect(matrix).toEqual(Array.from({ length: n }, (_, i) => i));
    expect(wf.jobs.shard.strategy['fail-fast']).toBe(false);
    const step = wf.jobs.shard.steps.find((s: any) => /certwarden audit/.test(s.run ?? ''));
    const shard = invocation(step.run, 'audit');
    expect(step.env.CERTWARDEN_SHARD_INDEX).toBe('${{ matrix.shard }}');
    for (const i of matrix)
      expect(parseShardSpec(flag(shard, '--shard'), { CERTWARDEN_SHARD_INDEX: String(i) })).toEqual({
        index: i,
        count: n,
      });
    expect(wf.jobs.merge.needs).toBe('shard');
    expect(wf.jobs.merge.if).toBe('always()');
    const mergeStep = wf.jobs.merge.steps.find((s: any) => /certwarden merge/.test(s.run ?? ''));
    const merge = invocation(mergeStep.run, 'merge');
    expect(flag(shard, '--config')).toBe(flag(merge, '--config'));
    // What each shard uploads is what the merge downloads and reads.
    const upload = wf.jobs.shard.steps.find((s: any) => String(s.uses).startsWith('actions/upload-artifact@'));
    const download = wf.jobs.merge.steps.find((s: any) => String(s.uses).startsWith('actions/download-artifact@'));
    expect(upload.with.name).toBe('certwarden-shard-${{ matrix.shard }}');
    expect(download.with.pattern).toBe('certwarden-shard-*');
    expect(upload.with.path.replace(/\s+/g, '')).toBe(flag(shard, '--output'));
    expect(merge.at(-1)).toBe(`${download.with.path}/shard-*.json`);
  },
  SLOW,
);
