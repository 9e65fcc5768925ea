/**
 * The HTML compliance report: one self-contained file that fetches nothing, opens offline and
 * prints. Its Content-Security-Policy forbids every source except the one inline stylesheet and
 * the one inline script, named by their SHA-256 hashes, so even markup that slipped past the
 * escaping could neither run script nor load anything.
 */
import { createHash } from 'node:crypto';
import { escapeHtml as e } from './escape.js';
import { STYLE } from './html-style.js';
import { SCRIPT } from './html-script.js';
import { complianceSection, severitySection, summarySection, timelineSection } from './html-summary.js';
import { certificatesSection, findingsSection, scopesSection } from './html-detail.js';
import { dueSection } from './html-due.js';
import { nightlySection } from './html-nightly.js';
import type { Report } from './json.js';
import { coverageSection } from './html-coverage.js';

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${hash(STYLE)}`,
  `script-src ${hash(SCRIPT)}`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export function renderHtml(report: Report): string {
  const r = report.run;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${e(CONTENT_SECURITY_POLICY)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="certwarden ${e(report.tool.version)}">
<title>certwarden report ${e(r.now.slice(0, 10))}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<header class="top">
<h1>Certificate compliance report</h1>
<p class="meta">Audit clock <strong>${e(r.now)}</strong> · run <code>${e(r.id)}</code> · certwarden ${e(report.tool.version)} · config <code>${e(r.configDigest.slice(0, 19))}</code> · started ${e(r.startedAt)}, finished ${e(r.finishedAt)}</p>
<nav class="toc"><a href="#summary">Summary</a><a href="#due-next">Due next</a><a href="#timeline">Expiry timeline</a><a href="#by-severity">By severity</a><a href="#compliance">By control</a><a href="#findings">Findings</a><a href="#certificates">Certificates</a><a href="#scopes">Scopes</a></nav>
</header>
${summarySection(report)}
${dueSection(report)}
${nightlySection(report)}
${coverageSection(report)}
${timelineSection(report)}
${severitySection(report)}
${complianceSection(report)}
${findingsSection(report)}
${certificatesSection(report)}
${scopesSection(report)}
</main>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
