/**
 * A listing that never ends: the service promises another page forever. The audit must stop it
 * at maxPages, name it, finish everything else, and hold no more memory than a normal run while
 * it pages (nothing per page is kept but the page's token).
 */
import { exitCode } from '../../src/cli/audit.js';
import { pages } from '../../providers/aws-shared/call.js';
import { scopeKey, startEstate, type Estate } from './estate.js';

const MB = 1 << 20;
let estate: Estate;
beforeAll(async () => {
  estate = await startEstate();
}, 60_000);
afterAll(() => estate.close());

/** The highest heapUsed seen while `run` goes, above what it was before. */
async function peakGrowth<T>(run: () => Promise<T>): Promise<{ value: T; growth: number }> {
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 20);
  try {
    const value = await run();
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    return { value, growth: peak - before };
  } finally {
    clearInterval(timer);
  }
}

test('a Key Vault listing that never ends: 2,000 pages, stopped, named, memory flat', async () => {
  const maxPages = 2000;
  const { value, growth } = await peakGrowth(() =>
    estate.audit(
      { faults: [{ kind: 'endless-paging', service: 'azure-keyvault', action: 'GetCertificates', scope: 'kv-a' }] },
      { azure: { maxPages } },
    ),
  );
  const { report, ms } = value;
  const failed = report.scopes.filter((s) => s.status !== 'ok');
  expect(failed.map(scopeKey)).toEqual([expect.stringMatching(/^azure-keyvault .*\/kv-a$/)]);
  expect(failed[0].error).toMatchObject({ code: 'PagingLimit', operation: 'GetCertificates' });
  expect(failed[0].error!.message).toContain(`past ${maxPages} pages (maxPages); stopped as endless paging`);
  // Every page was really asked for: the guard counts pages, not time.
  const pagesServed = estate.sim.server.calls.filter(
    (c) => c.action === 'GetCertificates' && c.scope === 'kv-a' && c.status === 200,
  ).length;
  expect(pagesServed).toBeGreaterThanOrEqual(maxPages);
  expect(ms).toBeLessThan(60_000);
  // A normal run of this estate peaks at a few tens of MB; 2,000 pages must not add a page's worth each.
  expect(growth).toBeLessThan(96 * MB);
  expect(exitCode(report, 'none')).toBe(3);
  process.stdout.write(
    `endless paging: ${pagesServed} pages in ${ms} ms, heap growth ${(growth / MB).toFixed(1)} MB\n`,
  );
}, 90_000);

test('the AWS pager: 50,000 distinct tokens are stopped at maxPages with bounded memory', async () => {
  const maxPages = 50_000;
  let n = 0;
  const { value, growth } = await peakGrowth(async () => {
    try {
      for await (const page of pages({ maxPages }, 'ListCertificates', () =>
        Promise.resolve({ items: [n], next: `token-${++n}-${'x'.repeat(64)}` }),
      ))
        void page;
      return undefined;
    } catch (err) {
      return err as { code: string; message: string };
    }
  });
  expect(value).toMatchObject({
    code: 'PagingLimit',
    message: expect.stringContaining(`past ${maxPages} pages`),
  });
  expect(n).toBe(maxPages);
  // The seen-token set is the only thing that grows: about 100 bytes a page.
  expect(growth).toBeLessThan(64 * MB);
});
