/**
 * The trimmed SDK stack (`lean()`): every request still signed, sent once and named by a user
 * agent of the SDK's own parts plus certwarden's; the SDK's retry headers gone; errors and
 * throttles still reach the one retry layer unchanged.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import type { AddressInfo } from 'node:net';
import { ACMClient, GetCertificateCommand } from '@aws-sdk/client-acm';
import { clientSettings, lean } from '../../providers/aws-shared/clients.js';
import { VERSION } from '../../src/version.js';

let server: Server;
let url: string;
const seen: IncomingHttpHeaders[] = [];
/** Status the next answers get. */
let status = 200;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    req.on('end', () => {
      const body =
        status === 200
          ? JSON.stringify({ Certificate: 'PEM' })
          : JSON.stringify({ __type: status === 400 ? 'ThrottlingException' : 'InternalFailure', message: 'no' });
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen.length = 0;
  status = 200;
});

const settings = () =>
  clientSettings(
    {
      credentials: () => Promise.resolve({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }),
      endpoint: url,
      timeoutMs: 5000,
    },
    'eu-west-1',
  );
const get = (c: ACMClient) =>
  c.send(new GetCertificateCommand({ CertificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/x' }));

test('a request through the lean stack carries the SDK user agent once built, plus certwarden/<version>', async () => {
  const plain = new ACMClient(settings());
  const trimmed = lean(new ACMClient(settings()));
  await get(plain);
  await get(trimmed);
  await get(trimmed);
  const [sdk, first, second] = seen;
  // The SDK's own agent ends with per-call feature flags (m/...); the rest is the same.
  const sdkParts = String(sdk['user-agent'])
    .split(' ')
    .filter((p) => !p.startsWith('m/'));
  expect(String(first['user-agent']).split(' ')).toEqual([...sdkParts, `certwarden/${VERSION}`]);
  expect(first['x-amz-user-agent']).toBe(`${String(sdk['x-amz-user-agent'])} certwarden/${VERSION}`);
  expect(second['user-agent']).toBe(first['user-agent']);
  expect(first.authorization).toMatch(
    /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/acm\/aws4_request, SignedHeaders=[^,]+, Signature=[0-9a-f]{64}$/,
  );
  // The SDK's retry middleware adds these; with it replaced they are gone.
  expect(sdk['amz-sdk-request']).toBe('attempt=1; max=1');
  expect(first['amz-sdk-request']).toBeUndefined();
  expect(first['amz-sdk-invocation-id']).toBeUndefined();
  plain.destroy();
  trimmed.destroy();
});

test('errors come back as the SDK models them, after exactly one request', async () => {
  const c = lean(new ACMClient(settings()));
  status = 400;
  await expect(get(c)).rejects.toMatchObject({ name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
  status = 500;
  await expect(get(c)).rejects.toMatchObject({ name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
  expect(seen).toHaveLength(2);
  c.destroy();
});

test("a lean client's config is a fast V8 object before and after calls, so the SDK's per-call copies of it are cheap", async () => {
  setFlagsFromString('--allow-natives-syntax');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- V8's natives syntax parses only in code compiled after the flag is set
  const isFast = new Function('o', 'return %HasFastProperties(o)') as (o: object) => boolean;
  const plain = new ACMClient(settings());
  const trimmed = lean(new ACMClient(settings()));
  // What the optimisation undoes: the SDK leaves its config in dictionary mode.
  expect(isFast(plain.config)).toBe(false);
  expect(isFast(trimmed.config)).toBe(true);
  await get(trimmed);
  await get(trimmed);
  expect(isFast(trimmed.config)).toBe(true);
  plain.destroy();
  trimmed.destroy();
});
