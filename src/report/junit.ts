/**
 * JUnit XML, which every CI system renders: one test suite per owner (so each team sees its own
 * failures), one test case per rule and resource. Findings at or above `failOn` are failures, suppressed ones skipped, lower ones pass
 * with the finding in system-out. Scopes that did not complete are errors in their own suite,
 * so an incomplete audit is never shown green.
 */
import type { Finding } from '../model/types.js';
import { atLeast, type Severity } from '../model/severity.js';
import { escapeXml as x, oneLine } from './escape.js';
import type { Report } from './json.js';

export interface JunitOptions {
  failOn?: Severity | 'none';
}

interface Case {
  name: string;
  classname: string;
  body: string;
  failed: boolean;
  errored: boolean;
  skipped: boolean;
}

/** XML text: each value escaped on its own (its line breaks made visible), then joined by our own line breaks. */
const detail = (fs: Finding[]) =>
  fs
    .map((f) => `[${x(f.severity)}] ${x(f.message)}\nresource: ${x(f.resource.uid)}\nremediation: ${x(f.remediation)}`)
    .join('\n\n');

/** The suite of findings nobody owns. */
export const UNOWNED_SUITE = 'unowned';

function ownerCases(findings: Finding[], failOn: Severity | 'none'): Case[] {
  const byResource = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = `${f.ruleId}\u0000${f.resource.uid}`;
    byResource.set(key, [...(byResource.get(key) ?? []), f]);
  }
  return [...byResource.values()].map((fs) => {
    const r = fs[0].resource;
    const active = fs.filter((f) => f.status !== 'suppressed');
    const failing = failOn === 'none' ? [] : active.filter((f) => atLeast(f.severity, failOn));
    const name = `${r.name} [${r.provider} ${r.account}/${r.location}]`;
    const base = { name, classname: `certwarden.${fs[0].ruleId}`, errored: false };
    if (failing.length) {
      const worst = failing[0];
      return {
        ...base,
        failed: true,
        skipped: false,
        body: `<failure type="${x(worst.severity)}" message="${x(worst.message)}">${detail(failing)}</failure>`,
      };
    }
    if (!active.length)
      return {
        ...base,
        failed: false,
        skipped: true,
        body: `<skipped message="suppressed"/><system-out>${detail(fs)}</system-out>`,
      };
    return { ...base, failed: false, skipped: false, body: `<system-out>${detail(active)}</system-out>` };
  });
}

function suite(name: string, cases: Case[], timestamp: string): string {
  const count = (k: 'failed' | 'errored' | 'skipped') => cases.filter((c) => c[k]).length;
  const body = cases
    .map((c) => `    <testcase classname="${x(c.classname)}" name="${x(c.name)}" time="0">${c.body}</testcase>`)
    .join('\n');
  return `  <testsuite name="${x(name)}" tests="${cases.length}" failures="${count('failed')}" errors="${count('errored')}" skipped="${count('skipped')}" time="0" timestamp="${x(timestamp.replace(/\.\d+Z$/, ''))}">\n${body}\n  </testsuite>`;
}

export function renderJunit(report: Report, opts: JunitOptions = {}): string {
  const failOn = opts.failOn ?? 'high';
  const byOwner = new Map<string, Finding[]>();
  for (const f of report.findings) {
    const name = f.owner ? `owner: ${f.owner.name}` : UNOWNED_SUITE;
    byOwner.set(name, [...(byOwner.get(name) ?? []), f]);
  }
  const suites: [string, Case[]][] = [...byOwner.keys()]
    .sort()
    .map((owner) => [owner, ownerCases(byOwner.get(owner)!, failOn)]);
  const scopeCases: Case[] = report.scopes.map((s) => ({
    name: `${s.provider} ${s.account}/${s.location}`,
    classname: 'certwarden.scopes',
    failed: false,
    skipped: false,
    errored: s.status !== 'ok',
    body:
      s.status === 'ok'
        ? ''
        : `<error type="${x(s.error?.code ?? s.status)}" message="${x(`${s.status}: ${oneLine(s.error?.message)}`)}">${x(`${s.error?.operation ?? ''} ${oneLine(s.error?.message)}`.trim())}</error>`,
  }));
  if (scopeCases.length) suites.push(['scopes', scopeCases]);
  const all = suites.flatMap(([, cs]) => cs);
  const total = (k: 'failed' | 'errored' | 'skipped') => all.filter((c) => c[k]).length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="certwarden" tests="${all.length}" failures="${total('failed')}" errors="${total('errored')}" skipped="${total('skipped')}" time="0">`,
    ...suites.map(([name, cs]) => suite(name, cs, report.run.finishedAt)),
    '</testsuites>',
    '',
  ].join('\n');
}
