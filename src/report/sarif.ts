/**
 * SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning, Azure DevOps, Defect Dojo).
 *
 * A certificate is not a line of source, but code scanning requires every result to carry a
 * physical location. Each result therefore names its resource twice: a logical location (the uid
 * and kind) and an artifact URI. For a certificate file that is its path (relative to `baseDir`
 * when it lies inside it, so alerts land on the file in a checkout; a `file://` URI otherwise);
 * for a cloud resource it is the relative path `certwarden/<provider>/<account>/<location>/<name>`,
 * each segment percent-encoded. A relative path, not a custom scheme, because GitHub's upload
 * rejects location URIs with schemes it does not recognise.
 *
 * SARIF is JSON, so the file escapes C0 controls, and C1, bidi and format characters too
 * (`jsonText`); but a viewer decodes the JSON and renders message text, so the messages that
 * quote cloud data (findings, failed scopes) show those characters as visible escapes as well.
 * Properties and locations keep the exact values, for tools that match on them.
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Finding, ResourceRef } from '../model/types.js';
import type { Severity } from '../model/severity.js';
import type { Report } from './json.js';
import { jsonText, oneLine, visibleText } from './escape.js';

/** A rule's metadata as `certwarden rules --format json` prints it (the fields SARIF needs). */
export interface RuleMeta {
  id: string;
  title: string;
  category: string;
  severity: string;
  description: string;
  remediation: string;
  references: string[];
  compliance: Record<string, string[]>;
}

export interface SarifOptions {
  rules?: RuleMeta[];
  /** Directory that file paths are made relative to (the repository checkout). */
  baseDir?: string;
}

const LEVEL: Record<Severity, Result.level> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};
/** GitHub maps security-severity to its own labels: >= 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, < 4.0 low. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};
const BASELINE: Record<string, Result.baselineState> = { new: 'new', open: 'unchanged', resolved: 'absent' };

const pascal = (id: string) => id.replace(/(^|-)([a-z0-9])/g, (_m, _d, c: string) => c.toUpperCase());
const encodePath = (segments: string[]) => segments.map((s) => encodeURIComponent(s)).join('/');

export function artifactUri(r: ResourceRef, baseDir?: string): { uri: string; uriBaseId?: string } {
  if (r.provider === 'files' && isAbsolute(r.name)) {
    const rel = baseDir ? relative(baseDir, r.name) : '';
    if (rel && !rel.startsWith('..') && !isAbsolute(rel))
      return { uri: encodePath(rel.split(sep)), uriBaseId: '%SRCROOT%' };
    return { uri: `file://${encodePath(r.name.split(sep))}` };
  }
  return { uri: encodePath(['certwarden', r.provider, r.account, r.location, r.name]) };
}

function metaFromFinding(f: Finding): RuleMeta {
  return {
    id: f.ruleId,
    title: f.title,
    category: f.category,
    severity: f.severity,
    description: f.title,
    remediation: f.remediation,
    references: [],
    compliance: f.compliance ?? {},
  };
}

function descriptor(m: RuleMeta): ReportingDescriptor {
  const sev = m.severity as Severity;
  const controls = Object.entries(m.compliance).flatMap(([fw, ids]) => ids.map((c) => `${fw}/${c}`));
  const refsText = m.references.length ? `\n\nReferences:\n${m.references.map((u) => `- ${u}`).join('\n')}` : '';
  const refsMd = m.references.length ? `\n\n**References**\n\n${m.references.map((u) => `- <${u}>`).join('\n')}` : '';
  const controlsText = controls.length ? `\n\nCompliance: ${controls.join(', ')}` : '';
  return {
    id: m.id,
    name: pascal(m.id),
    shortDescription: { text: m.title },
    fullDescription: { text: m.description },
    help: {
      text: `${m.description}\n\nRemediation: ${m.remediation}${controlsText}${refsText}`,
      markdown: `${m.description}\n\n**Remediation.** ${m.remediation}${controlsText ? `\n\n**Compliance.** ${controls.map((c) => `\`${c}\``).join(', ')}` : ''}${refsMd}`,
    },
    ...(m.references[0] ? { helpUri: m.references[0] } : {}),
    defaultConfiguration: { level: LEVEL[sev] ?? 'warning' },
    properties: {
      tags: ['security', 'tls-certificate', m.category, ...controls],
      'security-severity': SECURITY_SEVERITY[sev] ?? '5.5',
      precision: 'very-high',
    },
  };
}

export function renderSarif(report: Report, opts: SarifOptions = {}): string {
  const metas: RuleMeta[] = [...(opts.rules ?? [])];
  for (const f of report.findings) if (!metas.some((m) => m.id === f.ruleId)) metas.push(metaFromFinding(f));
  const index = new Map(metas.map((m, i) => [m.id, i]));
  const results: Result[] = report.findings.map((f) => {
    const r = f.resource;
    return {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId)!,
      level: LEVEL[f.severity],
      message: { text: visibleText(f.message) },
      partialFingerprints: { 'certwardenFindingId/v1': f.id },
      locations: [
        {
          physicalLocation: { artifactLocation: artifactUri(r, opts.baseDir) },
          logicalLocations: [
            { name: r.name, fullyQualifiedName: r.uid, kind: r.kind === 'certificate' ? 'certificate' : 'resource' },
          ],
        },
      ],
      ...(f.status && BASELINE[f.status] ? { baselineState: BASELINE[f.status] } : {}),
      ...(f.status === 'suppressed'
        ? { suppressions: [{ kind: 'external' as const, state: 'accepted' as const }] }
        : {}),
      properties: {
        severity: f.severity,
        provider: r.provider,
        account: r.account,
        location: r.location,
        resourceUid: r.uid,
        related: f.related,
        ...(f.firstSeen ? { firstSeen: f.firstSeen } : {}),
        ...(f.owner ? { owner: f.owner.name, ownerSource: `${f.owner.source}:${f.owner.detail}` } : {}),
      },
    };
  });
  const failed = report.scopes.filter((s) => s.status !== 'ok');
  const log: Log = {
    $schema: 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/os/schemas/sarif-schema-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'certwarden',
            version: report.tool.version,
            semanticVersion: report.tool.version,
            rules: metas.map(descriptor),
          },
        },
        automationDetails: { id: `certwarden/${report.run.id}` },
        invocations: [
          {
            executionSuccessful: failed.length === 0,
            startTimeUtc: report.run.startedAt,
            endTimeUtc: report.run.finishedAt,
            toolExecutionNotifications: failed.map((s) => ({
              level: 'error' as const,
              message: {
                text: visibleText(
                  `${s.status} scope ${s.provider} ${s.account}/${s.location}: ${s.error?.code ?? ''}: ${oneLine(s.error?.message)}`,
                ),
              },
            })),
          },
        ],
        results,
        properties: { now: report.run.now, configDigest: report.run.configDigest, summary: report.summary },
      },
    ],
  };
  return jsonText(log) + '\n';
}
