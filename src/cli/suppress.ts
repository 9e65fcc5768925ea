import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config/load.js';
import { appendSuppression } from '../store/suppress-file.js';
import { visibleText as t } from '../report/escape.js';

const DEFAULT_FILE = 'certwarden-suppressions.yaml';
const DAY_MS = 86_400_000;

function parseDay(v: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
    throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  return v;
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
    .option('-c, --config <file>', 'take the suppressions file from this config')
    .action((id: string, opts: { reason: string; owner: string; until: string; file?: string; config?: string }) => {
      const file: string =
        opts.file ?? (opts.config ? loadConfig(opts.config).suppressions : undefined) ?? DEFAULT_FILE;
      const now = new Date();
      // An expiry already past would be reported as expired on the next run and never apply.
      if (Date.parse(`${opts.until}T00:00:00Z`) + DAY_MS <= now.getTime())
        throw new InvalidArgumentError(`--until ${opts.until} is in the past`);
      const index = appendSuppression(file, { id, reason: opts.reason, owner: opts.owner, expires: opts.until }, now);
      process.stderr.write(
        `suppressed ${t(id)} until ${opts.until} (${t(file)}, suppressions[${index}]); commit the file to make it official\n`,
      );
    });
}
