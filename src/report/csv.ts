/** One row per finding, for spreadsheets and ticket imports (RFC 4180: CRLF line ends, quoted fields). */
import { csvCell } from './escape.js';
import type { Report } from './json.js';

export const CSV_COLUMNS = [
  'id',
  'severity',
  'rule',
  'title',
  'provider',
  'account',
  'location',
  'resource name',
  'uid',
  'message',
  'status',
  'firstSeen',
  'remediation',
  'owner',
  'owner source',
] as const;

export function* csvChunks(report: Report): Generator<string> {
  yield CSV_COLUMNS.join(',') + '\r\n';
  for (const f of report.findings) {
    const r = f.resource;
    yield (
      [
        f.id,
        f.severity,
        f.ruleId,
        f.title,
        r.provider,
        r.account,
        r.location,
        r.name,
        r.uid,
        f.message,
        f.status,
        f.firstSeen,
        f.remediation,
        f.owner?.name,
        f.owner ? `${f.owner.source}:${f.owner.detail}` : undefined,
      ]
        .map(csvCell)
        .join(',') + '\r\n'
    );
  }
}

export function renderCsv(report: Report): string {
  return [...csvChunks(report)].join('');
}
