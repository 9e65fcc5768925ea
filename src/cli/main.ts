#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError, loadConfig } from '../config/load.js';
import { SEVERITIES, type Severity } from '../model/severity.js';
import type { Format } from '../report/formats.js';
import { VERSION } from '../version.js';
import { RULES } from '../../rules/index.js';
import { storeLabel } from '../store/backend.js';
import { EXIT, exitCode, runAudit, writeJson } from './audit.js';
import { stderrLogger } from './log.js';
import { jsonText, visibleText } from '../report/escape.js';
import { ruleDoc, rulesMarkdown, rulesTable } from './rules.js';
import { summaryText } from './summary.js';
import { runDemo } from './demo.js';
import { diffCommand, historyCommand, historyText } from './history.js';
import { suppressCommand } from './suppress.js';
import { ownersCommand } from './owners.js';
import { notifyAfterRun } from '../notify/index.js';
import { formatsOption, outDirOption, reportCommand, writeFormats } from './report.js';
import { runSim, type SimCommandOptions } from './sim.js';
import { preflight } from './preflight.js';
import { Progress } from './progress.js';
import { PathError } from './paths.js';
import { quietOnClosedStdout } from './stdio.js';
import type { Report } from '../report/json.js';
import type { Config } from '../config/schema.js';
import type { Logger } from '../engine/api/provider.js';
import { COUNT_VARIABLE, INDEX_VARIABLES, parseShardSpec, runShard } from './shard.js';
import { evaluateJoined, joinShards } from './merge.js';

const incompleteScopes = (report: Report) =>
  report.scopes
    .filter((s) => s.status !== 'ok')
    .map((s) => `${s.status} ${s.provider} ${s.account}/${s.location}`)
    .join('; ');

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Severity names are lower case in reports and config; a flag typed in capitals means the same. */
function parseFailOn(v: string): Severity | 'none' {
  const s = v.toLowerCase();
  if (s === 'none' || (SEVERITIES as readonly string[]).includes(s)) return s as Severity | 'none';
  throw new InvalidArgumentError(`expected one of ${[...SEVERITIES, 'none'].join(', ')}`);
}

function parseInterval(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0 || n > 3600)
    throw new InvalidArgumentError('a number of seconds above 0, at most 3600');
  return n;
}

function parseNow(v: string): Date {
  const d = new Date(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(d.getTime()))
    throw new InvalidArgumentError('expected an ISO 8601 date-time, e.g. 2026-01-31T00:00:00Z');
  return d;
}

/** What commander parses the options of `audit` and `merge` into. */
interface RunCommandOptions {
  config: string;
  output: string;
  now?: Date;
  failOn?: Severity | 'none';
  failIncomplete?: boolean;
  failOnCoverage?: boolean;
  format: Format[];
  outDir?: string;
  quiet?: true;
  verbose?: true;
}

interface AuditCommandOptions extends RunCommandOptions {
  shard?: string;
  previous?: string;
  maxAgeDays?: number;
  newStore?: true;
  progressInterval?: number;
}

/** What audit and merge do once the report exists: write it, notify, commit the store, set the exit code. */
async function finishRun(
  report: Awaited<ReturnType<typeof runAudit>>['report'],
  {
    storeError,
    store,
    config,
    opts,
    log,
  }: {
    storeError?: string;
    store?: Awaited<ReturnType<typeof runAudit>>['store'];
    config: Config;
    opts: RunCommandOptions;
    log: Logger;
  },
): Promise<void> {
  // The store stays locked until the run and its notification outcomes are committed together.
  let notStored = storeError;
  try {
    writeJson(report, opts.output);
    writeFormats(report, opts.format, {
      output: opts.output,
      outDir: opts.outDir,
      failOn: opts.failOn ?? config.failOn ?? 'high',
      log,
    });
    if (!opts.quiet) process.stderr.write(summaryText(report) + historyText(report));
    if (opts.output !== '-') log.info(`report written to ${opts.output}`);
    // After the report is on disk: a slow or dead webhook must not cost the night's report.
    // Without a remembered run there is no telling tonight's new findings from the backlog.
    if (storeError && config.notify?.length)
      log.warn('no notifications are sent: this run is not remembered in the history store');
    else await notifyAfterRun(report, config, { log, store, aws: config.providers.aws, rules: RULES.map(ruleDoc) });
  } finally {
    try {
      await store?.close();
    } catch (err) {
      notStored = `the history store ${config.store ? storeLabel(config.store) : ''} was not updated: ${(err as Error).message}`;
      log.warn(notStored);
    }
  }
  const failIncomplete = opts.failIncomplete ?? config.failIncomplete ?? true;
  const failOnCoverage = opts.failOnCoverage ?? config.failOnCoverage;
  if (failOnCoverage && !report.history)
    log.warn('--fail-on-coverage compares with the previous run, which needs a history store (`store:` in the config)');
  const code = exitCode(report, opts.failOn ?? config.failOn ?? 'high', { failIncomplete, failOnCoverage });
  if (!failIncomplete && exitCode(report, 'none') === EXIT.scopeFailed)
    log.warn(
      `the audit is incomplete (${incompleteScopes(report)}); failIncomplete is off, so the exit code reflects the findings only`,
    );
  process.exitCode = notStored && code === EXIT.clean && failIncomplete ? EXIT.scopeFailed : code;
}

const program = new Command()
  .name('certwarden')
  .description('Audits the TLS certificates held in AWS and Azure, and where they are bound.')
  .version(VERSION)
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT.usage))
  .showHelpAfterError();

program
  .command('audit')
  .description('collect certificates and bindings, run the rules, write the JSON report')
  .requiredOption('-c, --config <file>', 'YAML or JSON config file')
  .option('-o, --output <file>', 'report path, or - for stdout', 'certwarden-report.json')
  .option('--now <iso>', 'the audit clock (for reproducible reports)', parseNow)
  .option(
    '--fail-on <severity>',
    `exit 1 when a finding reaches this severity (${[...SEVERITIES, 'none'].join(', ')})`,
    parseFailOn,
  )
  .option('--fail-incomplete', 'exit 3 when a scope did not complete, even when findings would exit 1 (the default)')
  .option('--no-fail-incomplete', 'an incomplete audit exits by its findings alone (0 or 1), with a warning')
  .option(
    '--fail-on-coverage',
    'exit 4 when an account, subscription or vault audited in the previous run is not tonight',
  )
  .addOption(formatsOption())
  .addOption(outDirOption())
  .option('--previous <file>', "the previous run's JSON report: certificates it shows unchanged are not read again")
  .option(
    '--max-age-days <n>',
    'read a certificate again after this many days even if unchanged (default 7; 0 reads all)',
    (v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('a number of days, 0 or more');
      return n;
    },
  )
  .option(
    '--new-store',
    'start a new history store: an empty or unreadable store file is moved aside (a store holding runs is never replaced)',
  )
  .option(
    '--shard <I/N|auto|auto/N>',
    `audit shard I (from 0) of N and write a shard report for \`certwarden merge\`; auto reads I from ${INDEX_VARIABLES.join(', ')} and N from ${COUNT_VARIABLE} when not given`,
  )
  .option('-q, --quiet', 'print only warnings (no progress)')
  .option('-v, --verbose', 'print debug messages and a timing line per finished scope')
  .option(
    '--progress-interval <seconds>',
    'seconds between progress lines when stderr is not a terminal (default 30)',
    parseInterval,
  )
  .action(async (opts: AuditCommandOptions) => {
    const config = loadConfig(opts.config);
    preflight(config, { configFile: opts.config, output: opts.output, formats: opts.format, outDir: opts.outDir });
    const progress = new Progress({
      mode: opts.quiet ? 'off' : process.stderr.isTTY ? 'live' : 'lines',
      perScope: !!opts.verbose && !opts.quiet,
      intervalMs: (opts.progressInterval ?? config.progressIntervalSeconds ?? 30) * 1000,
      write: (text) => process.stderr.write(text),
      columns: process.stderr.columns,
    });
    const log = stderrLogger(opts.quiet ? 'quiet' : opts.verbose ? 'verbose' : 'normal', progress.clearLine);
    let run;
    try {
      if (opts.shard !== undefined) {
        await shardCommand(opts, config, log, progress);
        return;
      }
      run = await runAudit({
        config,
        now: opts.now,
        log,
        onScopeFound: progress.scopeFound,
        onScopeStart: progress.scopeStarted,
        onScope: progress.scopeEnded,
        previous: opts.previous,
        maxAgeDays: opts.maxAgeDays,
        newStore: opts.newStore,
        holdStore: true,
      });
    } finally {
      progress.stop();
    }
    const { report, storeError, store } = run;
    await finishRun(report, { storeError, store, config, opts, log });
  });

/** `audit --shard`: this shard's accounts, written as a shard report; findings and failed scopes are the merge's to judge. */
async function shardCommand(opts: AuditCommandOptions, config: Config, log: Logger, progress: Progress): Promise<void> {
  const spec = parseShardSpec(opts.shard!);
  if (opts.format.some((f) => f !== 'json') || opts.newStore)
    throw new ConfigError(
      'a shard writes only its JSON shard report: --format and --new-store belong to `certwarden merge`',
    );
  const { report } = await runShard({
    config,
    spec,
    now: opts.now,
    log,
    previous: opts.previous,
    maxAgeDays: opts.maxAgeDays,
    onScopeFound: progress.scopeFound,
    onScopeStart: progress.scopeStarted,
    onScope: progress.scopeEnded,
  });
  progress.stop();
  writeJson(report, opts.output);
  log.info(
    `shard ${spec.index} of ${spec.count}: ${report.shard.accounts.length} account(s), ${report.scopes.length} scope(s), ${report.certificates.length} certificates${opts.output === '-' ? '' : `; shard report written to ${opts.output}`}`,
  );
}

program
  .command('merge')
  .description(
    'join the shard reports of a sharded audit: link, run every rule once, write one report and one history run',
  )
  .argument('<shard...>', 'shard reports written by `audit --shard` (- reads one from standard input)')
  .requiredOption('-c, --config <file>', 'the config the shards were audited with')
  .option('-o, --output <file>', 'report path, or - for stdout', 'certwarden-report.json')
  .option('--now <iso>', 'the audit clock, when the shards were given none (theirs wins otherwise)', parseNow)
  .option(
    '--fail-on <severity>',
    `exit 1 when a finding reaches this severity (${[...SEVERITIES, 'none'].join(', ')})`,
    parseFailOn,
  )
  .option('--fail-incomplete', "exit 3 when a scope did not complete, a lost shard's included (the default)")
  .option('--no-fail-incomplete', 'an incomplete audit exits by its findings alone (0 or 1), with a warning')
  .option(
    '--fail-on-coverage',
    'exit 4 when an account, subscription or vault audited in the previous run is not tonight',
  )
  .addOption(formatsOption())
  .addOption(outDirOption())
  .option('-q, --quiet', 'print only warnings')
  .option('-v, --verbose', 'print debug messages')
  .action(async (paths: string[], opts: RunCommandOptions) => {
    const log = stderrLogger(opts.quiet ? 'quiet' : opts.verbose ? 'verbose' : 'normal');
    const config = loadConfig(opts.config);
    preflight(config, { configFile: opts.config, output: opts.output, formats: opts.format, outDir: opts.outDir });
    if (paths.filter((p) => p === '-').length > 1)
      throw new ConfigError('standard input (-) can hold one shard report');
    const shards = joinShards(paths, config, opts.now, log);
    // Without a fixed clock the run is as of its first shard's start, for the rules as for the report.
    const now = shards.now ?? shards.startedAt;
    const { report, storeError, store } = await runAudit({
      config,
      now: shards.now,
      startedAt: shards.startedAt,
      log,
      holdStore: true,
      collected: (rules) => evaluateJoined(shards, config, rules, now, log),
    });
    await finishRun(report, { storeError, store, config, opts, log });
  });

program
  .command('rules')
  .description('list the rules, their severities and params')
  .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
  .action((opts: { format: 'table' | 'json' | 'markdown' }) => {
    if (opts.format === 'json') process.stdout.write(jsonText(RULES.map(ruleDoc)) + '\n');
    else if (opts.format === 'markdown') process.stdout.write(rulesMarkdown(RULES));
    else process.stdout.write(rulesTable(RULES));
  });

program.addCommand(reportCommand());

// addCommand does not pass on the exit handling that `.command()` would: copy it, so usage errors exit 2.
for (const c of [historyCommand(), diffCommand(), suppressCommand(), ownersCommand()])
  program.addCommand(c.copyInheritedSettings(program));

program
  .command('demo')
  .description('audit a built-in sample estate and write the reports to ./certwarden-demo')
  .option('-o, --out-dir <dir>', 'where the reports go', 'certwarden-demo')
  .action(async (opts: { outDir: string }) => {
    process.exitCode = await runDemo({ outDir: opts.outDir, log: stderrLogger() });
  });

program
  .command('sim')
  .description(
    'run the local cloud simulator until interrupted: AWS ACM, ELBv2, IAM, STS, Organizations; Azure Key Vault, Application Gateway, App Service, Front Door',
  )
  .option('--scenario <file>', 'scenario YAML (default: the bundled demo estate)')
  .option('--port <n>', 'port on 127.0.0.1 (default: a free one)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port number');
    return n;
  })
  .option('--rate-limits', "answer above the services' published rate limits with their throttling errors")
  .option('--latency-ms <n>', 'added latency per response', Number)
  .action(async (opts: SimCommandOptions) => {
    await runSim({ scenario: opts.scenario, port: opts.port, rateLimits: opts.rateLimits, latencyMs: opts.latencyMs });
  });

quietOnClosedStdout();
program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof PathError) {
    process.stderr.write(`certwarden: ${visibleText(err.message)}\n`);
  } else if (err instanceof ConfigError) {
    process.stderr.write(`certwarden: config error: ${visibleText(err.message)}\n`);
    for (const p of err.problems.slice(1)) process.stderr.write(`  also: ${visibleText(p)}\n`);
  } else {
    process.stderr.write(`certwarden: ${visibleText(err instanceof Error ? err.message : String(err))}\n`);
  }
  process.exit(EXIT.usage);
});
