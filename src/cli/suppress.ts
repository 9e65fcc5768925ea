import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config/load.js';
import { appendSuppression } from '../store/suppress-file.js';
import { visibleText as t } from '../report/escape.js';
import { readReport } from '../report/read.js';
import { latestFindingIds } from './history.js';

const DEFAULT_FILE = 'certwarden-suppressions.yaml';
const DAY_MS = 86_400_000;

function parseDay(v: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
    throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  return v;
}

interface SuppressOptions {
  reason: string;
  owner: string;
  until: string;
  file?: string;
  config?: string;
  report?: string;
  store?: string;
}

/**
 * Why the id may be a typo, or undefined when a report or the latest stored run holds it. The
 * entry is still written: a finding of a scope that failed last night is a fair thing to suppress.
 */
async function unknownId(id: string, opts: SuppressOptions): Promise<string | undefined> {
  const where: string[] = [];
  if (opts.report) {
    if (readReport(opts.report).findings.some((f) => f.id === id)) return undefined;
    where.push(opts.report);
  }
  const latest = await latestFindingIds({ store: opts.store, config: opts.config });
  if (latest) {
    if (latest.ids.has(id)) return undefined;
    where.push(`the latest run in ${latest.path}`);
  }
  if (!where.length)
    return `${id} is not checked against any finding (pass --report <file> or --config with a store); make sure it is a finding id from a report`;
  return `no finding ${id} in ${where.join(' or ')}; the suppression is written anyway, check the id`;
}

/** `certwarden suppress FINDING_ID --reason ... --owner ... --until YYYY-MM-DD [--file F]` */
export function suppressCommand(): Command {
  return new Command('suppress')
    .description(
      'accept a finding on purpose: append a suppression with its reason, owner and expiry to the suppressions file',
    )
    .argument('<findingId>', 'the finding id from the report (20 hex digits)')
    .requiredOption('--reason <text>', 'why the finding is accepted')
    .requiredOption('--owner <who>', 'who answers for it (a team or a person)')
    .requiredOption('--until <date>', 'last day the suppression applies (YYYY-MM-DD)', parseDay)
    .option('--file <file>', `suppressions file (default: the config's suppressions, else ${DEFAULT_FILE})`)
    .option('-c, --config <file>', 'take the suppressions file (and the history store) from this config')
    .option('--report <file>', "check the id against this report's findings")
    .option('--store <file>', "check the id against this history store's latest run (default: the config's store.path)")
    .action(async (id: string, opts: SuppressOptions) => {
      const file: string =
        opts.file ?? (opts.config ? loadConfig(opts.config).suppressions : undefined) ?? DEFAULT_FILE;
      const now = new Date();
      // An expiry already past would be reported as expired on the next run and never apply.
      if (Date.parse(`${opts.until}T00:00:00Z`) + DAY_MS <= now.getTime())
        throw new InvalidArgumentError(`--until ${opts.until} is in the past`);
      const unknown = await unknownId(id, opts);
      if (unknown) process.stderr.write(`warning: ${t(unknown)}\n`);
      const index = appendSuppression(file, { id, reason: opts.reason, owner: opts.owner, expires: opts.until }, now);
      process.stderr.write(
        `suppressed ${t(id)} until ${opts.until} (${t(file)}, suppressions[${index}]); commit the file to make it official\n`,
      );
    });
}
