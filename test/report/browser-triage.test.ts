/**
 * The HTML report as a triage page, in a real browser (chromium through playwright-core): the
 * due-next view by owner, remediation on every finding, finding rows linked to their certificate,
 * a readable phone-width layout, years on the timeline, and 10,000 findings measured.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import type { Report } from '../../src/report/json.js';
import { renderHtml } from '../../src/report/html.js';
import { demoReport } from './fixture.js';

declare const document: any;

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const describeBrowser = existsSync(CHROMIUM) ? describe : describe.skip;

describeBrowser('the HTML report as a triage page', () => {
  let browser: Browser;
  let demo: { dir: string; report: Report };
  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    demo = await demoReport();
  }, 120_000);
  afterAll(async () => browser?.close());

  async function open(report: Report, name: string, viewport = { width: 1280, height: 900 }) {
    const path = join(demo.dir, name);
    writeFileSync(path, renderHtml(report));
    const page = await browser.newPage({ viewport });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const started = Date.now();
    await page.goto(`file://${path}`, { waitUntil: 'load' });
    return { page, errors, loadMs: Date.now() - started };
  }

  test('due next: what expires or is critical within 30 days, by owner, with remediation and what it takes down', async () => {
    const { page, errors } = await open(demo.report, 'due.html');
    const groups = await page.$$eval('#due-next [data-owner]', (els) =>
      els.map((g: any) => g.getAttribute('data-owner')),
    );
    expect(groups).toEqual(expect.arrayContaining(['storefront', 'payments-team']));
    const shop = await page.$eval('#due-next [data-owner="storefront"]', (g: any) => g.textContent);
    expect(shop).toMatch(/shop\.example\.com/);
    expect(shop).toMatch(/12 day\(s\) left/);
    expect(shop).toMatch(/shop-alb/);
    expect(shop).toMatch(/Renew/);
    expect(await page.$$eval('#due-next .within-7', (x) => x.length)).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  test('every finding row shows its remediation and owner, and links to its certificate card', async () => {
    const { page } = await open(demo.report, 'rows.html');
    const rows = await page.$$eval('#findings-table tbody tr', (trs) =>
      trs.map((tr: any) => ({
        id: tr.id.replace('finding-', ''),
        remedy: tr.querySelector('.remedy')?.textContent ?? '',
        href: tr.querySelector('a.cert-link')?.getAttribute('href') ?? null,
      })),
    );
    expect(rows).toHaveLength(demo.report.findings.length);
    const certs = new Set(demo.report.certificates.map((c) => c.uid));
    for (const [i, f] of demo.report.findings.entries()) {
      expect(rows[i].id).toBe(f.id);
      expect(rows[i].remedy).toContain(f.remediation);
      if (f.resource.kind === 'certificate' && certs.has(f.resource.uid)) expect(rows[i].href).not.toBeNull();
    }
    const linked = rows.filter((r) => r.href);
    expect(linked.length).toBeGreaterThan(10);
    for (const r of linked) {
      const target = decodeURIComponent(r.href!.slice(1));
      expect(await page.evaluate((id) => !!document.getElementById(id), target)).toBe(true);
    }
    await page.click(`#findings-table a.cert-link[href="${linked[0].href}"]`);
    expect(await page.evaluate(() => decodeURIComponent(document.location.hash.slice(1)))).toBe(
      decodeURIComponent(linked[0].href!.slice(1)),
    );
    await page.close();
  }, 60_000);

  test('phone width: no sideways scrolling, and the message column keeps a readable width', async () => {
    const { page } = await open(demo.report, 'narrow.html', { width: 390, height: 844 });
    const m = await page.evaluate(() => {
      const row = document.querySelector('#findings-table tbody tr');
      const cells = Array.from(row.cells).map((c: any) => c.getBoundingClientRect().width);
      return { scroll: document.documentElement.scrollWidth, narrowest: Math.min(...cells) };
    });
    expect(m.scroll).toBeLessThanOrEqual(390);
    expect(m.narrowest).toBeGreaterThan(200);
    await page.close();
  }, 60_000);

  test('the timeline names the year', async () => {
    const { page } = await open(demo.report, 'timeline.html');
    const labels = await page.$$eval('#timeline svg text', (t) => t.map((x: any) => x.textContent));
    expect(labels.some((l) => /^2026-\d{2}-\d{2}$/.test(l))).toBe(true);
    await page.close();
  }, 60_000);

  test('10,000 findings: the page stays short, loads, filters and sorts; figures in docs/reports.md', async () => {
    const base = demo.report.findings;
    const findings = Array.from({ length: 10_000 }, (_, i) => {
      const f = base[i % base.length];
      return { ...f, id: i.toString(16).padStart(20, '0') };
    });
    const big: Report = { ...demo.report, findings, summary: { ...demo.report.summary, findings: findings.length } };
    const { page, loadMs } = await open(big, 'big.html');
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    const shown = await page.$$eval('#findings-table tbody tr:not([hidden])', (x) => x.length);
    expect(shown).toBeLessThanOrEqual(250);
    expect(height).toBeLessThan(120_000);
    let t = Date.now();
    await page.fill('#filter-text', 'shop.example.com');
    await page.waitForFunction(() => /of 10000 findings/.test(document.getElementById('shown-count').textContent));
    const filterMs = Date.now() - t;
    await page.fill('#filter-text', '');
    t = Date.now();
    await page.click('#findings-table th:nth-child(2) button');
    await page.waitForFunction(() =>
      document.querySelector('#findings-table th:nth-child(2)').getAttribute('aria-sort'),
    );
    const sortMs = Date.now() - t;
    await page.click('#show-more');
    expect(await page.$$eval('#findings-table tbody tr:not([hidden])', (x) => x.length)).toBeGreaterThan(shown);
    process.stdout.write(
      `10,000 findings: load ${loadMs} ms, filter ${filterMs} ms, sort ${sortMs} ms, height ${height} px\n`,
    );
    expect(loadMs).toBeLessThan(15_000);
    await page.close();
  }, 120_000);
});
