/**
 * The triage formats over real audits: OCSF 1.1.0 Detection Finding events validated against the
 * OCSF schema files (compiled by test/fixtures/ocsf-schema.ts), and ASFF findings validated
 * against the ASFF field rules (test/fixtures/asff/asff.schema.json).
 */
import type { Finding } from '../../src/model/types.js';
import type { Report } from '../../src/report/json.js';
import { asffFindings, renderAsff } from '../../src/report/asff.js';
import { render } from '../../src/report/formats.js';
import { ocsfChunks } from '../../src/report/ocsf.js';
import type { TriageReport } from '../../src/report/triage.js';
import { ocsfValidator } from '../fixtures/ocsf-schema.js';
import { asffSchemaErrors } from '../fixtures/asff-schema.js';
import { CONTROLS, SCRIPT, demoReport, hostileReport } from './fixture.js';

const withCloud = ocsfValidator('1.1.0', 'detection_finding', ['cloud']);
const withoutCloud = ocsfValidator('1.1.0', 'detection_finding', []);
/** Each event against the schema its own `metadata.profiles` applies. */
const ocsfErrors = (e: any) => (e.metadata?.profiles?.includes('cloud') ? withCloud(e) : withoutCloud(e));

const asffErrors = asffSchemaErrors;

const lines = (report: TriageReport) => [...ocsfChunks(report)].join('').trimEnd().split('\n');
/** Raw characters that act on a viewer or hide themselves. */
// eslint-disable-next-line no-control-regex -- control characters are what this pattern is for
const UNSEEN = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\p{Cf}\u2028\u2029]/u;

/** The same findings as if an AWS account had them: the hostile names reach the AWS format too. */
function asAws(report: Report): Report {
  const copy: Report = JSON.parse(JSON.stringify(report));
  for (const f of copy.findings)
    f.resource = { ...f.resource, provider: 'aws-acm', account: '123456789012', location: 'eu-west-1' };
  return copy;
}

let demo: Report;
let hostile: Report;
beforeAll(async () => {
  [{ report: demo }, { report: hostile }] = await Promise.all([demoReport(), hostileReport()]);
}, 120_000);

test('OCSF: every demo finding is one line, a valid Detection Finding whose uid is the finding id', () => {
  const events = lines(demo).map((l) => JSON.parse(l));
  expect(events).toHaveLength(demo.findings.length);
  expect(demo.findings.length).toBeGreaterThan(10);
  for (const e of events) expect([e.finding_info.uid, ocsfErrors(e)]).toEqual([e.finding_info.uid, []]);
  expect(events.map((e) => e.finding_info.uid)).toEqual(demo.findings.map((f) => f.id));
  const clouds = new Set(events.map((e) => e.cloud?.provider));
  expect(clouds).toEqual(new Set(['AWS', 'Azure', undefined]));
  const aws = events.find((e) => e.cloud?.provider === 'AWS');
  expect(aws.cloud.account.uid).toMatch(/^\d{12}$/);
  expect(aws.class_uid * 100 + aws.activity_id).toBe(aws.type_uid);
  const served = events.find((e) => e.resources.length > 1);
  expect(served.resources.slice(1).every((r: any) => r.data.related && r.uid)).toBe(true);
  const mapped = events.find((e) => e.unmapped.compliance);
  expect(mapped.unmapped.controls.length).toBeGreaterThan(0);
});

test('OCSF: the schema check is not vacuous: wrong ids, unknown attributes and missing parts are refused', () => {
  const [event] = lines(demo).map((l) => JSON.parse(l));
  expect(ocsfErrors({ ...event, severity_id: 9 }).join()).toMatch(/severity_id/);
  expect(ocsfErrors({ ...event, class_uid: 2001 }).join()).toMatch(/class_uid/);
  expect(ocsfErrors({ ...event, findings_info: {} }).join()).toMatch(/additional/);
  const { finding_info: _f, ...withoutInfo } = event;
  expect(ocsfErrors(withoutInfo).join()).toMatch(/finding_info/);
  expect(ocsfErrors({ ...event, time: '2026-03-01' }).join()).toMatch(/time/);
});

test('OCSF: hostile strings stay data, each event one valid line that parses back to the exact strings', () => {
  const text = [...ocsfChunks(hostile)].join('');
  expect(UNSEEN.test(text.replace(/\n/g, ''))).toBe(false);
  const events = text
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  expect(events).toHaveLength(hostile.findings.length);
  for (const e of events) expect(ocsfErrors(e)).toEqual([]);
  const names = events.map((e) => e.resources[0].name);
  expect(names).toEqual(expect.arrayContaining([SCRIPT, CONTROLS]));
});

test('ASFF: every AWS finding of the demo is valid, typed by its resource, Id the finding id', () => {
  const out = asffFindings(demo) as any[];
  const aws = demo.findings.filter((f) => f.resource.provider.startsWith('aws-'));
  expect(out.map((f) => f.Id)).toEqual(aws.map((f) => f.id));
  for (const f of out) expect([f.Id, asffErrors(f)]).toEqual([f.Id, []]);
  const types = new Set(out.map((f) => f.Resources[0].Type));
  expect(types).toEqual(new Set(['AwsCertificateManagerCertificate', 'AwsElbv2LoadBalancer', 'Other']));
  const lb = out.find((f) => f.Resources[0].Type === 'AwsElbv2LoadBalancer');
  expect(lb.Resources[0].Id).toMatch(/^arn:aws:elasticloadbalancing:[^:]+:\d{12}:loadbalancer\/(app|net)\//);
  for (const f of out) {
    expect(f.GeneratorId).toBe(demo.findings.find((d) => d.id === f.Id)!.ruleId);
    expect(f.ProductArn).toBe(`arn:aws:securityhub:${f.Region}:${f.AwsAccountId}:product/${f.AwsAccountId}/default`);
  }
  expect(out.some((f) => f.Compliance.RelatedRequirements?.length)).toBe(true);
  // An expired certificate behind a load balancer names both.
  const both = out.find((f) => f.Resources.length > 1);
  expect(both.Resources.map((r: any) => r.Type)).toEqual(['AwsCertificateManagerCertificate', 'AwsElbv2LoadBalancer']);
});

test('ASFF: the field rules are enforced: a bad label, a blank title or a foreign namespace is refused', () => {
  const [f] = asffFindings(demo) as any[];
  expect(asffErrors({ ...f, Severity: { Label: 'SEVERE' } }).length).toBeGreaterThan(0);
  expect(asffErrors({ ...f, Title: '   ' }).length).toBeGreaterThan(0);
  expect(asffErrors({ ...f, Types: ['Certificates/Expiry'] }).length).toBeGreaterThan(0);
  expect(asffErrors({ ...f, RecordState: 'CLOSED' }).length).toBeGreaterThan(0);
});

test('ASFF: hostile strings and overlong texts are valid, cut to the maxima, and the file escapes what acts on a viewer', () => {
  const report = asAws(hostile);
  const long = report.findings[0];
  long.title = `${'T'.repeat(255)}😀 and more`;
  long.message = 'M'.repeat(5000);
  long.remediation = ' \n\t ';
  const text = renderAsff(report);
  expect(UNSEEN.test(text.replace(/\n/g, ''))).toBe(false);
  const out = JSON.parse(text);
  expect(out).toHaveLength(report.findings.length);
  for (const f of out) expect(asffErrors(f)).toEqual([]);
  const first = out.find((f: any) => f.Id === long.id);
  expect(first.Title).toHaveLength(256);
  expect(first.Title.endsWith('…')).toBe(true);
  expect(first.Description).toHaveLength(1024);
  expect(first.Remediation.Recommendation.Text).toBe('-');
  expect(out.map((f: any) => f.Resources[0].Id)).toEqual(report.findings.map((f) => f.resource.uid));
});

test('owner, status and resolved findings: OCSF and ASFF carry them', () => {
  const [a, b, c] = demo.findings.filter((f) => f.resource.provider === 'aws-acm');
  const owned: Finding = { ...a, status: 'new', owner: { name: 'team-web', source: 'tag', detail: 'owner' } };
  const suppressed: Finding = { ...b, status: 'suppressed', firstSeen: '2026-02-01T00:00:00.000Z' };
  const report: TriageReport = {
    ...demo,
    findings: [owned, suppressed],
    history: {
      resolved: [
        {
          id: c.id,
          ruleId: c.ruleId,
          severity: c.severity,
          title: c.title,
          message: c.message,
          resource: c.resource,
          firstSeen: '2026-01-01T00:00:00.000Z',
          lastSeen: '2026-02-28T00:00:00.000Z',
        },
      ],
    },
  };
  const events = [...render('ocsf', report)]
    .join('')
    .trimEnd()
    .split('\n')
    .map((l) => JSON.parse(l));
  for (const e of events) expect(ocsfErrors(e)).toEqual([]);
  expect(events.map((e) => [e.activity_name, e.status, e.status_detail])).toEqual([
    ['Create', 'New', 'new'],
    ['Update', 'Suppressed', 'suppressed'],
    ['Close', 'Resolved', 'resolved'],
  ]);
  expect(events[0].resources[0].owner).toEqual({ name: 'team-web' });
  expect(events[0].unmapped.owner).toEqual({ name: 'team-web', source: 'tag', detail: 'owner' });
  const asff = JSON.parse([...render('asff', report)].join(''));
  for (const f of asff) expect(asffErrors(f)).toEqual([]);
  expect(asff.map((f: any) => [f.Id, f.Workflow.Status, f.RecordState, f.Compliance.Status])).toEqual([
    [a.id, 'NEW', 'ACTIVE', 'FAILED'],
    [b.id, 'SUPPRESSED', 'ACTIVE', 'FAILED'],
    [c.id, 'RESOLVED', 'ARCHIVED', 'PASSED'],
  ]);
  expect(asff[0].UserDefinedFields).toEqual({ owner: 'team-web', ownerSource: 'tag', ownerDetail: 'owner' });
  expect(asff[1].CreatedAt).toBe('2026-02-01T00:00:00.000Z');
});
