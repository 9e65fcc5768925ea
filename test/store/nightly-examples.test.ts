/**
 * The scheduling examples in docs/examples are documentation people copy: each is parsed, its
 * key fields checked, the certwarden command it runs checked against the real CLI's options, and
 * the config and suppressions it uses validated with the real loaders.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { parseConfig } from '../../src/config/load.js';
import { parseSuppressions } from '../../src/store/suppressions.js';
import { certwarden } from '../fixtures/cli.js';

const examples = fileURLToPath(new URL('../../docs/examples/', import.meta.url));
const read = (name: string) => readFileSync(join(examples, name), 'utf8');

const CRON_FIELD = /^(\*|\d+(-\d+)?(,\d+(-\d+)?)*)(\/\d+)?$/;
const isCron = (expr: string) =>
  expr.trim().split(/\s+/).length === 5 &&
  expr
    .trim()
    .split(/\s+/)
    .every((f) => CRON_FIELD.test(f));

/** The options the real `certwarden <command> --help` lists, long and short. */
const helpCache = new Map<string, Set<string>>();
function optionsOf(command: string): Set<string> {
  if (!helpCache.has(command)) {
    const help = certwarden([command, '--help']);
    expect(help.code).toBe(0);
    helpCache.set(command, new Set(help.stdout.match(/(?<=^|[\s,])--?[a-z][\w-]*/gm) ?? []));
  }
  return helpCache.get(command)!;
}

/** Checks `certwarden audit ...` tokens against the CLI; returns the config path it names. */
function checkInvocation(tokens: string[]): string {
  const at = tokens.findIndex((t) => /(^|\/)certwarden$/.test(t));
  expect(at).toBeGreaterThanOrEqual(0);
  const [command, ...rest] = tokens.slice(at + 1);
  expect(command).toBe('audit');
  const known = optionsOf(command);
  let config = '';
  for (let i = 0; i < rest.length; i++) {
    const t = rest[i];
    if (!t.startsWith('-')) continue;
    expect([t, known.has(t)]).toEqual([t, true]);
    if (t === '-c' || t === '--config') config = rest[i + 1];
    if (t === '--fail-on') expect(['critical', 'high', 'medium', 'low', 'info', 'none']).toContain(rest[i + 1]);
  }
  expect(config).not.toBe('');
  return config;
}

/** Splits a shell command line into words, stopping at redirections and command separators. */
function words(line: string): string[] {
  const out: string[] = [];
  for (const w of line.replace(/\\\n/g, ' ').split(/\s+/).filter(Boolean)) {
    if (/^(>>?|2>&1|\|\|?|&&|;)$/.test(w)) break;
    out.push(w.replace(/^['"]|['"]$/g, ''));
  }
  return out;
}

/** The config and the suppressions file it names must load with the real validators. */
function checkConfig(text: string, file: (path: string) => string) {
  const config = parseConfig(text, 'example config');
  expect(config.store?.path).toBeTruthy();
  expect(config.notify?.length).toBeGreaterThan(0);
  expect(config.suppressions).toBeTruthy();
  expect(parseSuppressions(file(config.suppressions!), config.suppressions).length).toBeGreaterThan(0);
  return config;
}

/** The environment variables that hold webhook URLs (a Security Hub target has none). */
const webhookEnvs = (config: ReturnType<typeof parseConfig>) =>
  (config.notify ?? []).flatMap((n) => ('urlEnv' in n ? [n.urlEnv] : []));

const SLOW = 120_000; // each first use of a command asks the real CLI for its --help

test(
  'certwarden.yaml and its suppressions file validate',
  () => {
    checkConfig(read('certwarden.yaml'), (p) => read(basename(p)));
  },
  SLOW,
);

test(
  'crontab: a five-field schedule running a valid audit with the example config',
  () => {
    const lines = read('crontab')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('#'));
    expect(lines).toHaveLength(1);
    const fields = lines[0].split(/\s+/);
    expect(isCron(fields.slice(0, 5).join(' '))).toBe(true);
    const command = lines[0].split(/\s+/).slice(5).join(' ');
    const audit = command.slice(command.indexOf('&&') + 2);
    expect(basename(checkInvocation(words(audit)))).toBe('certwarden.yaml');
  },
  SLOW,
);

test(
  'GitHub Actions: scheduled, OIDC to AWS and Azure, the store cached, a valid audit',
  () => {
    const wf = parse(read('github-actions-nightly.yml'));
    expect(isCron(wf.on.schedule[0].cron)).toBe(true);
    expect(wf.permissions['id-token']).toBe('write');
    const steps: any[] = wf.jobs.audit.steps;
    const uses = (prefix: string) => steps.filter((s) => String(s.uses ?? '').startsWith(prefix));
    expect(uses('aws-actions/configure-aws-credentials@')[0].with['role-to-assume']).toMatch(
      /^arn:aws:iam::\d{12}:role\//,
    );
    expect(Object.keys(uses('azure/login@')[0].with)).toEqual(
      expect.arrayContaining(['client-id', 'tenant-id', 'subscription-id']),
    );
    expect(uses('aws-actions/configure-aws-credentials@')[0].with).not.toHaveProperty('aws-secret-access-key');
    const run = steps.find((s) => /certwarden audit/.test(s.run ?? ''));
    const config = parseConfig(read(basename(checkInvocation(words(run.run)))));
    // The cached folder is where the config keeps the store.
    const restored = uses('actions/cache/restore@')[0].with.path;
    expect(uses('actions/cache/save@')[0].with.path).toBe(restored);
    expect(config.store!.path!.startsWith(`${restored}/`)).toBe(true);
    for (const env of webhookEnvs(config)) expect(run.env[env]).toBe(`\${{ secrets.${env} }}`);
  },
  SLOW,
);

test(
  'Kubernetes: a CronJob that runs one audit at a time with its store on the claim',
  () => {
    const docs = parseAllDocuments(read('kubernetes-cronjob.yaml')).map((d) => {
      expect(d.errors).toEqual([]);
      return d.toJS();
    });
    const kind = (k: string) => docs.find((d) => d.kind === k);
    const job = kind('CronJob');
    expect(isCron(job.spec.schedule)).toBe(true);
    expect(job.spec.concurrencyPolicy).toBe('Forbid');
    const pod = job.spec.jobTemplate.spec.template.spec;
    const container = pod.containers[0];
    const configPath = checkInvocation([...container.command, ...container.args]);

    // Follow the mounts: the config comes from the ConfigMap, the store sits on the claim.
    const mountOf = (path: string) => container.volumeMounts.find((m: any) => path.startsWith(`${m.mountPath}/`));
    const volume = (name: string) => pod.volumes.find((v: any) => v.name === name);
    const configVolume = volume(mountOf(configPath).name);
    expect(configVolume.configMap.name).toBe(kind('ConfigMap').metadata.name);
    const data = kind('ConfigMap').data;
    const config = checkConfig(data[basename(configPath)], (p) => data[basename(p)]);
    const storeVolume = volume(mountOf(config.store!.path!).name);
    expect(storeVolume.persistentVolumeClaim.claimName).toBe(kind('PersistentVolumeClaim').metadata.name);
    expect(mountOf(config.store!.path!).readOnly).not.toBe(true);
    // Secrets by reference only, and every webhook variable is set.
    for (const env of webhookEnvs(config))
      expect(container.env.find((e: any) => e.name === env).valueFrom.secretKeyRef).toBeTruthy();
    expect(pod.serviceAccountName).toBe(kind('ServiceAccount').metadata.name);
  },
  SLOW,
);
