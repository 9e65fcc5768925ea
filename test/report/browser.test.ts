/**
 * The HTML report in a real browser (Debian's chromium, driven by playwright-core): the numbers
 * shown equal the JSON's, filtering and sorting work, nothing is fetched, hostile strings stay
 * inert, and a screenshot is saved (to a temporary folder; `npm run docs:screenshot` refreshes the
 * README's docs/img/report.png).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Report } from '../../src/report/json.js';
import { renderHtml } from '../../src/report/html.js';
import { renderJunit } from '../../src/report/junit.js';
import { SEVERITIES } from '../../src/model/severity.js';
import { demoReport, hostileReport } from './fixture.js';

// These run inside the page (page.evaluate); the project compiles without the DOM library.
declare const document: any;
declare const window: any;
declare const DOMParser: any;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const available = existsSync(CHROMIUM);
if (!available) {
  // In CI a missing browser is a failure (below); on a workstation the test is skipped, loudly.
  if (process.env.CI !== 'true')
    console.warn(
      `browser tests skipped: no chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
    );
}

test('chromium is installed where CI expects it', () => {
  if (process.env.CI === 'true' && !available) {
    throw new Error(
      `CI=true but there is no chromium at ${CHROMIUM}, so the HTML report's browser tests cannot run: apt-get install -y chromium (.ci/run does), or set CHROMIUM_PATH`,
    );
  }
});

const describeBrowser = available ? describe : describe.skip;

describeBrowser('the HTML report in chromium', () => {
  let browser: Browser;
  let demo: { dir: string; report: Report };
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    demo = await demoReport();
  }, 120_000);
  afterAll(async () => browser?.close());

  /** Opens a rendered report from a file:// URL, recording every request, dialog and console error. */
  async function open(html: string, name: string, viewport = { width: 1280, height: 900 }) {
    const path = join(demo.dir, name);
    writeFileSync(path, html);
    const page = await browser.newPage({ viewport });
    const requests: string[] = [];
    const dialogs: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    const url = `file://${path}`;
    await page.goto(url, { waitUntil: 'load' });
    return { page, requests: () => requests.filter((u) => u !== url), dialogs, errors };
  }

  const visibleRows = (page: Page) =>
    page.$$eval('#findings-table tbody tr', (rows) =>
      rows
        .filter((r) => !(r as unknown as { hidden: boolean }).hidden)
        .map((r) => ({ severity: r.getAttribute('data-severity'), text: r.textContent ?? '' })),
    );

  test('summary counts, filtering, sorting, no network, and a screenshot', async () => {
    const { report } = demo;
    const { page, requests, dialogs, errors } = await open(renderHtml(report), 'report.html');
    const count = (key: string) => page.textContent(`[data-count="${key}"]`).then((t) => Number(t));
    for (const sev of SEVERITIES) expect(await count(sev)).toBe(report.summary.bySeverity[sev]);
    expect(await count('certificates')).toBe(report.summary.certificates);
    expect(await count('bindings')).toBe(report.summary.bindings);
    expect(await count('findings')).toBe(report.summary.findings);
    expect(await count('scopes-failed')).toBe(report.summary.scopes.failed + report.summary.scopes.partial);
    expect(await visibleRows(page)).toHaveLength(report.findings.length);

    // The timeline's bars add up to the certificates with a date inside its window.
    const bars = await page.$$eval('svg .bucket', (gs) =>
      gs.map((g) => Number(g.getAttribute('data-bound')) + Number(g.getAttribute('data-unbound'))),
    );
    expect(bars).toHaveLength(27);

    // Severity filter: exactly that severity's findings remain.
    await page.selectOption('#filter-severity', 'high');
    let rows = await visibleRows(page);
    expect(rows).toHaveLength(report.summary.bySeverity.high);
    expect(new Set(rows.map((r) => r.severity))).toEqual(new Set(['high']));
    expect(await page.textContent('#shown-count')).toBe(`${rows.length} of ${report.findings.length} findings`);

    // Text filter on top of it: a load balancer name from the report.
    await page.selectOption('#filter-severity', '');
    await page.fill('#filter-text', 'PORTAL-ALB');
    await page.waitForFunction(() => document.querySelector('#shown-count')?.textContent?.includes(' of '));
    rows = await visibleRows(page);
    const expected = report.findings.filter((f) =>
      JSON.stringify([f.message, f.resource]).toLowerCase().includes('portal-alb'),
    );
    expect(rows.length).toBe(expected.length);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.text.toLowerCase()).toContain('portal-alb');
    await page.fill('#filter-text', '');
    await page.waitForFunction(() => document.querySelector('#shown-count')?.textContent?.startsWith('all '));

    // Sorting: severity ascending puts info first; the rule column sorts alphabetically, both ways.
    await page.click('#findings-table thead th:nth-child(1) button');
    rows = await visibleRows(page);
    const ranks = rows.map((r) => SEVERITIES.indexOf(r.severity as (typeof SEVERITIES)[number]));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    await page.click('#findings-table thead th:nth-child(2) button');
    const rules = await page.$$eval('#findings-table tbody tr td:nth-child(2)', (tds) =>
      tds.map((t) => t.textContent ?? ''),
    );
    expect(rules).toEqual([...rules].sort());
    expect(await page.getAttribute('#findings-table thead th:nth-child(2)', 'aria-sort')).toBe('ascending');
    await page.click('#findings-table thead th:nth-child(2) button');
    const desc = await page.$$eval('#findings-table tbody tr td:nth-child(2)', (tds) =>
      tds.map((t) => t.textContent ?? ''),
    );
    expect(desc).toEqual([...rules].reverse());

    // Every certificate is detailed, with the listener and load balancer of each binding that serves it.
    expect(await page.$$eval('.cert', (c) => c.length)).toBe(report.certificates.length);
    const bound = report.bindings.find((b) => b.certificateUid && b.loadBalancer)!;
    const detail = await page.$eval(`.cert[data-uid="${bound.certificateUid}"]`, (el) => el.textContent ?? '');
    expect(detail).toContain(bound.name);
    expect(detail).toContain(bound.loadBalancer!.name);
    expect(detail).toContain(String(bound.port));
    // The failed scope with its reason.
    const failed = report.scopes.find((s) => s.status === 'failed')!;
    expect(await page.$eval('#scopes tr[data-status="failed"]', (tr) => tr.textContent)).toContain(failed.error!.code);

    expect(requests()).toEqual([]);
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);

    await page.evaluate(() => window.scrollTo(0, 0));
    mkdirSync(join(ROOT, 'docs', 'img'), { recursive: true });
    await page.setViewportSize({ width: 1280, height: 1500 });
    await page.screenshot({
      path: process.env.CERTWARDEN_SCREENSHOT
        ? join(ROOT, process.env.CERTWARDEN_SCREENSHOT)
        : join(tmpdir(), 'certwarden-report.png'),
    });
    await page.close();
  }, 60_000);

  test('hostile strings stay text: no dialog, no injected element, no request; the JUnit XML parses', async () => {
    const { report } = await hostileReport();
    const { page, requests, dialogs, errors } = await open(renderHtml(report), 'hostile.html');
    await page.fill('#filter-text', 'alert(1)');
    await page.waitForFunction(() => document.querySelector('#shown-count')?.textContent?.includes(' of '));
    await page.click('#findings-table thead th:nth-child(3) button');
    expect(await page.$$eval('img', (x) => x.length)).toBe(0);
    expect(await page.$$eval('script', (x) => x.length)).toBe(1);
    expect(await page.$$eval('[onerror], [onload]', (x) => x.length)).toBe(0);
    expect(await page.evaluate(() => document.body.textContent)).toContain('<script>alert(1)</script>');
    expect(await page.evaluate(() => document.body.textContent)).toContain('"><img src=x onerror=alert(1)>');
    expect(dialogs).toEqual([]);
    expect(requests()).toEqual([]);
    expect(errors).toEqual([]);

    // Even markup that escaped the escaping could not run: the page's policy refuses any other script.
    const blocked = await page.evaluate(() => {
      const s = document.createElement('script');
      s.textContent = 'window.__ran = true';
      document.body.appendChild(s);
      return window.__ran === true;
    });
    expect(blocked).toBe(false);

    const xmlErrors = await page.evaluate(
      (xml) => new DOMParser().parseFromString(xml, 'application/xml').getElementsByTagName('parsererror').length,
      renderJunit(report),
    );
    expect(xmlErrors).toBe(0);
    await page.close();
  }, 60_000);
});
