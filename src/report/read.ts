/**
 * Reads a report file back for `certwarden report`. Renderers trust the shape of what they get,
 * so anything that is not a certwarden report of a version this build understands is refused here
 * with a message that says what it is instead. A report of the previous schema version is read in
 * this version's shape (src/report/upgrade.ts), so last night's report still serves.
 */
import { readFileSync } from 'node:fs';
import { SEVERITIES } from '../model/severity.js';
import { SCHEMA_VERSION, type Report } from './json.js';
import { upgradeFromV1 } from './upgrade.js';

export class ReportReadError extends Error {}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseReport(text: string, source: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ReportReadError(`${source} is not a certwarden report: not valid JSON (${(err as Error).message})`);
  }
  if (!isObject(data) || !isObject(data.tool) || data.tool.name !== 'certwarden' || !('schemaVersion' in data)) {
    throw new ReportReadError(
      `${source} is not a certwarden report: expected a JSON object with "schemaVersion" and "tool": { "name": "certwarden" }`,
    );
  }
  if (data.schemaVersion !== SCHEMA_VERSION && data.schemaVersion !== 1) {
    throw new ReportReadError(
      `${source} is a certwarden report of schema version ${JSON.stringify(data.schemaVersion)}; this certwarden reads versions 1 and ${SCHEMA_VERSION}`,
    );
  }
  for (const key of ['scopes', 'certificates', 'bindings', 'findings'] as const) {
    if (!Array.isArray(data[key]))
      throw new ReportReadError(`${source} is not a complete certwarden report: "${key}" is missing or not an array`);
  }
  if (!isObject(data.summary) || !isObject(data.run))
    throw new ReportReadError(`${source} is not a complete certwarden report: "summary" or "run" is missing`);
  const findings = data.findings as Record<string, unknown>[];
  const bad = findings.findIndex(
    (f) =>
      !isObject(f) ||
      !(SEVERITIES as readonly unknown[]).includes(f.severity) ||
      !isObject(f.resource) ||
      typeof f.ruleId !== 'string',
  );
  if (bad !== -1)
    throw new ReportReadError(
      `${source}: findings[${bad}] is not a valid finding (needs ruleId, a known severity and a resource)`,
    );
  return (data.schemaVersion === 1 ? upgradeFromV1(data) : data) as unknown as Report;
}

/** `-` reads standard input. */
export function readReport(path: string): Report {
  let text: string;
  try {
    text = readFileSync(path === '-' ? 0 : path, 'utf8');
  } catch (err) {
    throw new ReportReadError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseReport(text, path === '-' ? 'standard input' : path);
}
