/**
 * The one failure semantics every provider shares: how a scope ends given what it threw and what
 * it lost, how losses are counted and named, when `enrich` and `readItem` give up, and that a rule
 * does not judge a record lacking an enrichment it needs. End to end: aws-items, ablation.
 */
import { z } from 'zod';
import { CollectError } from '../../src/engine/api/collect-error.js';
import { enrich, GIVE_UP_AFTER, LOST, readItem, withUnread, type Loss } from '../../src/engine/api/provider.js';
import { Losses, scopeResult } from '../../src/engine/runtime/scope-result.js';
import { completeness, recordsComplete, refPlace } from '../../src/engine/api/completeness.js';
import { defineRule } from '../../src/engine/api/rule.js';
import { evaluate } from '../../src/engine/runtime/evaluate.js';
import { link } from '../../src/engine/api/link.js';
import type { ScopeResult } from '../../src/model/types.js';
import { NOW, certRecord } from '../fixtures/certs.js';

const origin = { provider: 'aws-acm', account: '111111111111', location: 'us-east-1' };
const denied = (operation: string) =>
  new CollectError('AccessDeniedException', `not authorized to perform ${operation}`, operation);
const permissions = { GetResources: 'tag:GetResources', GetCertificate: 'acm:GetCertificate' };

describe('how a scope ends', () => {
  const losses = (...list: Loss[]) => {
    const l = new Losses({ permissions });
    for (const x of list) l.add(x);
    return l.list();
  };

  test.each([
    ['nothing lost: ok, no error', 3, undefined, [], 'ok'],
    [
      'an enrichment lost, records kept: partial',
      3,
      undefined,
      [{ error: denied('GetResources'), enrichment: 'tags' }],
      'partial',
    ],
    [
      'an enrichment lost in a scope with nothing in it: still partial, named',
      0,
      undefined,
      [{ error: denied('GetResources'), enrichment: 'tags' }],
      'partial',
    ],
    [
      'one item lost, the others read: partial',
      3,
      undefined,
      [{ error: denied('GetCertificate'), item: 'certificate a' }],
      'partial',
    ],
    ['every item lost: failed', 0, undefined, [{ error: denied('GetCertificate'), item: 'certificate a' }], 'failed'],
    [
      'a required call failed after some records: partial',
      3,
      { code: 'Throttling', message: 'x', operation: 'ListCertificates' },
      [],
      'partial',
    ],
    [
      'a required call failed before any: failed',
      0,
      { code: 'Throttling', message: 'x', operation: 'ListCertificates' },
      [],
      'failed',
    ],
  ] as const)('%s', (_name, records, thrown, lost, status) => {
    const r = scopeResult(origin, { certificates: records, bindings: 0 }, thrown, losses(...lost));
    expect(r.status).toBe(status);
    expect(!!r.error).toBe(status !== 'ok');
  });

  test('losses are counted by kind, operation and code, each naming its permission; a required failure comes first', () => {
    const list = losses(
      { error: denied('GetResources'), enrichment: 'tags' },
      { error: denied('GetCertificate'), item: 'certificate a' },
      { error: denied('GetCertificate'), item: 'certificate b' },
    );
    const r = scopeResult(
      origin,
      { certificates: 1, bindings: 0 },
      { code: 'PagingLoop', message: 'loop', operation: 'ListCertificates' },
      list,
    );
    expect(r.error).toEqual({ code: 'PagingLoop', message: 'loop', operation: 'ListCertificates' });
    expect(r.errors).toEqual([
      r.error,
      {
        code: 'AccessDeniedException',
        message: 'certificate a not read: not authorized to perform GetCertificate',
        operation: 'GetCertificate',
        permission: 'acm:GetCertificate',
        count: 2,
      },
      {
        code: 'AccessDeniedException',
        message: 'tags not read, records kept without them: not authorized to perform GetResources',
        operation: 'GetResources',
        permission: 'tag:GetResources',
        enrichment: 'tags',
      },
    ]);
  });

  test('a scope holds every record when it completed or lost only enrichments', () => {
    const tags = { code: 'AccessDenied', message: 'x', enrichment: 'tags' };
    const item = { code: 'AccessDenied', message: 'x' };
    expect(recordsComplete({ status: 'ok' })).toBe(true);
    expect(recordsComplete({ status: 'partial', error: tags })).toBe(true);
    expect(recordsComplete({ status: 'partial', error: item, errors: [item, tags] })).toBe(false);
    expect(recordsComplete({ status: 'failed', error: item })).toBe(false);
  });
});

describe('enrich and readItem', () => {
  const context = () => {
    const lost: Loss[] = [];
    return { lost, ctx: { lose: (l: Loss) => void lost.push(l) } };
  };

  test('an enrichment that fails gives LOST and is reported; after ten in a row it is not tried again', async () => {
    const { lost, ctx } = context();
    let tries = 0;
    const fetch = () => {
      tries++;
      return Promise.reject(denied('DescribeSSLPolicies'));
    };
    for (let i = 0; i < GIVE_UP_AFTER + 5; i++) expect(await enrich(ctx, 'tls-policy', fetch)).toBe(LOST);
    expect(tries).toBe(GIVE_UP_AFTER);
    expect(lost).toHaveLength(GIVE_UP_AFTER + 5);
    expect(lost.every((l) => l.enrichment === 'tls-policy')).toBe(true);
    // Another enrichment of the same scope is tried as before.
    expect(await enrich(ctx, 'tags', () => Promise.resolve({ team: 'web' }))).toEqual({ team: 'web' });
  });

  test('an item that fails is reported and skipped; a success resets the count; ten in a row stop the scope', async () => {
    const { lost, ctx } = context();
    const fail = () => Promise.reject(denied('GetCertificate'));
    for (let i = 0; i < GIVE_UP_AFTER - 1; i++) expect(await readItem(ctx, `certificate ${i}`, fail)).toBeUndefined();
    expect(await readItem(ctx, 'certificate ok', () => Promise.resolve('read'))).toBe('read');
    for (let i = 0; i < GIVE_UP_AFTER - 1; i++) expect(await readItem(ctx, `certificate ${i}`, fail)).toBeUndefined();
    const stop = readItem(ctx, 'certificate last', fail);
    await expect(stop).rejects.toMatchObject({
      code: 'AccessDeniedException',
      operation: 'GetCertificate',
      message: `stopped after ${GIVE_UP_AFTER} items in a row could not be read; the last, certificate last: not authorized to perform GetCertificate`,
    });
    expect(lost).toHaveLength(2 * GIVE_UP_AFTER - 1);
  });

  test('cancellation is not a loss: it ends the scope', async () => {
    const { lost, ctx } = context();
    const controller = new AbortController();
    controller.abort(new Error('cancelled'));
    await expect(
      enrich({ ...ctx, signal: controller.signal }, 'tags', () => Promise.reject(new Error('cancelled'))),
    ).rejects.toThrow('cancelled');
    await expect(
      readItem({ ...ctx, signal: controller.signal }, 'x', () => Promise.reject(new Error('cancelled'))),
    ).rejects.toThrow('cancelled');
    expect(lost).toEqual([]);
  });
});

describe('where absence means something', () => {
  const scope = (over: Partial<ScopeResult>): ScopeResult => ({
    ...origin,
    status: 'ok',
    stats: { certificates: 0, bindings: 0 },
    ...over,
  });

  test('a place is complete when a scope covers it and every scope covering it holds its records', () => {
    const complete = completeness([scope({}), scope({ location: 'eu-west-1', status: 'failed' })]);
    expect(complete('aws-acm', '111111111111', 'us-east-1')).toBe(true);
    expect(complete('aws-acm', '111111111111', 'eu-west-1')).toBe(false);
    expect(complete('aws-acm', '111111111111')).toBe(false);
    // Nothing ran there: nothing is known.
    expect(complete('aws-acm', '999999999999', 'us-east-1')).toBe(false);
    expect(complete('aws-acm', '111111111111', 'ap-south-1')).toBe(false);
    // A discovery that failed for the whole account (or every account) covers every place in it.
    expect(
      completeness([scope({}), scope({ location: '*', status: 'failed' })])('aws-acm', '111111111111', 'us-east-1'),
    ).toBe(false);
    expect(
      completeness([scope({}), scope({ account: '*', location: '*', status: 'failed' })])(
        'aws-acm',
        '111111111111',
        'us-east-1',
      ),
    ).toBe(false);
    // Subscription ids and vault names compare without case.
    expect(
      completeness([scope({ provider: 'azure-keyvault', account: 'ABC', location: 'KV-A' })])(
        'azure-keyvault',
        undefined,
        'kv-a',
      ),
    ).toBe(true);
  });

  test('a reference names the place of its certificate', () => {
    expect(refPlace('arn:aws:acm:us-east-1:111111111111:certificate/x')).toEqual({
      account: '111111111111',
      location: 'us-east-1',
    });
    expect(refPlace('arn:aws:iam::111111111111:server-certificate/x')).toEqual({ account: '111111111111' });
    expect(refPlace('https://KV-A.vault.azure.net/secrets/pay/123')).toEqual({ location: 'kv-a' });
    expect(refPlace('/etc/ssl/x.pem')).toEqual({});
  });

  test('a rule does not judge a record lacking an enrichment it needs; other records and other rules are judged', () => {
    const byTag = defineRule({
      id: 'owner-missing',
      title: 'No owner tag',
      category: 'hygiene',
      severity: 'low',
      description: 'x',
      remediation: 'x',
      references: [],
      needs: ['tags'],
      params: z.object({}),
      *check(inv) {
        for (const c of inv.certificates) if (!c.tags?.owner) yield { resource: c, message: `${c.name} has no owner` };
      },
    });
    const inv = link({
      certificates: [certRecord('rsa-2048', { tags: {} }), withUnread(certRecord('expired'), 'tags')],
      bindings: [],
      scopes: [],
    });
    expect(evaluate([{ rule: byTag, params: {} }], inv, NOW).map((f) => f.resource.name)).toEqual(['rsa-2048']);
  });
});
