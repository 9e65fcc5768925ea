/**
 * The undici handler under every AWS client: requests go out as the SDK built them, answers come
 * back whole, and failures carry the same codes as the SDK's own handler (ECONNRESET,
 * TimeoutError/ETIMEDOUT), so retries and reports do not change with it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACMClient, GetCertificateCommand } from '@aws-sdk/client-acm';
import { clientSettings, lean } from '../../providers/aws-shared/clients.js';
import { UndiciHttpHandler } from '../../providers/aws-shared/http.js';
import { classify } from '../../src/net/retry.js';

let server: Server;
let port: number;
let answer: (req: IncomingMessage, res: ServerResponse, body: string) => void;
const seen: Array<{ method?: string; url?: string; headers: IncomingMessage['headers']; body: string }> = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      answer(req, res, body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((r) => server.close(() => r()));
});
beforeEach(() => {
  seen.length = 0;
  answer = (_req, res) => res.end('ok');
});

const handler = (o: Partial<ConstructorParameters<typeof UndiciHttpHandler>[0]> = {}) =>
  new UndiciHttpHandler({ requestTimeout: 5000, connectionTimeout: 5000, ...o });
const request = (o: Record<string, unknown> = {}) => ({
  protocol: 'http:',
  hostname: '127.0.0.1',
  port,
  method: 'GET',
  path: '/',
  headers: {},
  ...o,
});

test('method, path, query, headers and body go out as the SDK built them', async () => {
  const h = handler();
  answer = (_req, res) => {
    res.setHeader('x-amzn-requestid', 'r-1');
    res.setHeader('x-twice', ['a', 'b']);
    res.end('{"answer":1}');
  };
  const { response } = await h.handle(
    request({
      method: 'POST',
      path: '/p',
      query: { b: "x y!'", a: ['2', '1'], flag: null },
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CertificateManager.GetCertificate' },
      body: '{"q":1}',
    }),
  );
  // Keys sorted, RFC 3986 escapes (the SDK's own form), a bare key for a null value.
  expect(seen[0]).toMatchObject({ method: 'POST', url: '/p?a=2&a=1&b=x%20y%21%27&flag', body: '{"q":1}' });
  expect(seen[0].headers).toMatchObject({
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': 'CertificateManager.GetCertificate',
  });
  expect(response.statusCode).toBe(200);
  expect(response.headers['x-amzn-requestid']).toBe('r-1');
  expect(response.headers['x-twice']).toBe('a,b');
  expect(new TextDecoder().decode(response.body)).toBe('{"answer":1}');
  h.destroy();
});

test('a signed SDK call goes through it and parses', async () => {
  answer = (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/x-amz-json-1.1' });
    res.end(JSON.stringify({ Certificate: 'PEM', CertificateChain: 'CHAIN' }));
  };
  const c = lean(
    new ACMClient(
      clientSettings(
        {
          credentials: () => Promise.resolve({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }),
          endpoint: `http://127.0.0.1:${port}`,
          timeoutMs: 5000,
        },
        'eu-west-1',
      ),
    ),
  );
  const out = await c.send(
    new GetCertificateCommand({ CertificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/x' }),
  );
  expect(out).toMatchObject({ Certificate: 'PEM', CertificateChain: 'CHAIN' });
  expect(seen[0].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
  expect(seen[0].headers.host).toBe(`127.0.0.1:${port}`);
  c.destroy();
});

test('a connection closed before the answer is ECONNRESET, which is retried', async () => {
  const h = handler();
  answer = (req) => req.socket.destroy();
  const err = await h.handle(request()).catch((e: unknown) => e);
  expect(err).toMatchObject({ code: 'ECONNRESET', message: expect.stringMatching(/^socket hang up/) });
  expect(classify(err)).toBe('transient');
  h.destroy();
});

test('an answer that does not start in time is a TimeoutError (ETIMEDOUT), which is retried', async () => {
  const h = handler({ requestTimeout: 200 });
  answer = (_req, res) => setTimeout(() => res.end('late'), 2500).unref();
  const started = Date.now();
  const err = await h.handle(request()).catch((e: unknown) => e);
  expect(err).toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT' });
  expect(classify(err)).toBe('transient');
  // undici keeps time to within a second.
  expect(Date.now() - started).toBeLessThan(2000);
  h.destroy();
});

test('an answer larger than the limit is refused, not buffered', async () => {
  const h = handler({ maxBodyBytes: 1024 });
  answer = (_req, res) => res.end('x'.repeat(64 * 1024));
  await expect(h.handle(request())).rejects.toMatchObject({ code: 'UND_ERR_RES_EXCEEDED_MAX_SIZE' });
  h.destroy();
});

test('an aborted call stops at once', async () => {
  const h = handler();
  answer = (_req, res) => setTimeout(() => res.end('late'), 2000).unref();
  const ac = new AbortController();
  const call = h.handle(request(), { abortSignal: ac.signal });
  setTimeout(() => ac.abort(new Error('run stopped')), 50);
  await expect(call).rejects.toThrow();
  h.destroy();
});
