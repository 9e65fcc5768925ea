/**
 * The `securityhub` notify target: tonight's AWS findings, and the ones resolved since the last
 * run (RecordState ARCHIVED), imported into Security Hub per account and region with
 * BatchImportFindings. Every finding goes every night, not only new ones: an import is what keeps
 * Security Hub's copy current (UpdatedAt, LastObservedAt), and Security Hub archives on its own a
 * finding not updated for 90 days. The finding's stable id is its ASFF `Id`, so a re-import updates
 * it in place.
 *
 * Batches hold at most 100 findings and 6 MB (the API's limits); calls keep to the published rate.
 * A finding Security Hub refuses is named with its reason; the rest of its batch is imported.
 */
import type { AwsConfig, SecurityHubTarget } from '../config/schema.js';
import type { Logger } from '../engine/api/provider.js';
import { atLeast, type Severity } from '../model/severity.js';
import { asffFindings } from '../report/asff.js';
import { visibleText } from '../report/escape.js';
import type { RuleMeta } from '../report/sarif.js';
import type { TriageReport } from '../report/triage.js';
import type { NotifyOutcome } from '../store/types.js';
import {
  importBatch,
  importHandle,
  importLimits,
  securityHubClient,
  type ImportFailure,
} from '../../providers/aws-shared/securityhub.js';
import { toCollectError } from '../engine/api/collect-error.js';

const MAX_BATCH = 100;
const MAX_BATCH_BYTES = 6 * 1024 * 1024;
/** Failures listed by name in the outcome; the rest are counted (each is in the log). */
const LISTED = 10;

export interface SecurityHubFailure extends ImportFailure {
  account: string;
  region: string;
}

export interface SecurityHubResult {
  outcome: NotifyOutcome;
  imported: number;
  failures: SecurityHubFailure[];
}

/** Findings cut into batches of at most 100 and 6 MB (a little under, for the request's own wrapping). */
export function batches(findings: Record<string, unknown>[]): Record<string, unknown>[][] {
  const out: Record<string, unknown>[][] = [];
  let batch: Record<string, unknown>[] = [];
  let bytes = 0;
  for (const f of findings) {
    const size = Buffer.byteLength(JSON.stringify(f)) + 1;
    if (batch.length && (batch.length >= MAX_BATCH || bytes + size > MAX_BATCH_BYTES - 1024)) {
      out.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(f);
    bytes += size;
  }
  if (batch.length) out.push(batch);
  return out;
}

export async function importToSecurityHub(
  report: TriageReport,
  target: SecurityHubTarget,
  name: string,
  opts: { aws?: AwsConfig; rules?: RuleMeta[]; log: Logger },
): Promise<SecurityHubResult> {
  const keep = (f: { severity: Severity }) => atLeast(f.severity, target.minSeverity);
  const history = report.history && { ...report.history, resolved: (report.history.resolved ?? []).filter(keep) };
  const wanted = asffFindings({ ...report, findings: report.findings.filter(keep), history }, { rules: opts.rules });
  const groups = new Map<string, Record<string, unknown>[]>();
  for (const f of wanted) {
    const key = `${String(f.AwsAccountId)}/${String(f.Region)}`;
    groups.set(key, [...(groups.get(key) ?? []), f]);
  }
  const limits = importLimits();
  const failures: SecurityHubFailure[] = [];
  let imported = 0;
  await Promise.all(
    [...groups].map(async ([key, findings]) => {
      const [account, region] = key.split('/');
      const h = importHandle(account, region, {
        aws: opts.aws,
        roleName: target.roleName,
        externalId: target.externalId,
        limits,
      });
      const client = securityHubClient(h);
      try {
        for (const batch of batches(findings)) {
          try {
            const refused = await importBatch(h, client, batch);
            imported += batch.length - refused.length;
            failures.push(...refused.map((r) => ({ ...r, account, region })));
          } catch (err) {
            const e = toCollectError(err, 'BatchImportFindings');
            failures.push(
              ...batch.map((f) => ({ id: String(f.Id), code: e.code, message: e.message, account, region })),
            );
          }
        }
      } finally {
        client.destroy();
      }
    }),
  );
  for (const f of failures)
    opts.log.warn(
      `${name}: finding ${f.id} (${f.account}/${f.region}) not imported: ${f.code}: ${visibleText(f.message)}`,
    );
  const base = { target: name, type: 'securityhub', items: wanted.length };
  if (!failures.length) return { outcome: { ...base, status: 'sent' }, imported, failures };
  const listed = failures
    .slice(0, LISTED)
    .map((f) => `${f.id}: ${f.code}: ${visibleText(f.message)}`)
    .join('; ');
  const more = failures.length > LISTED ? `; and ${failures.length - LISTED} more` : '';
  return {
    outcome: {
      ...base,
      status: 'failed',
      error: `${failures.length} of ${wanted.length} finding(s) not imported: ${listed}${more}`,
    },
    imported,
    failures,
  };
}
