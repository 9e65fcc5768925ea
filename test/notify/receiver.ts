/** A local webhook receiver that answers each request with the next status of its plan. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

/** `hang` never answers (for timeouts); the last step repeats once the plan runs out. */
export type Step = number | 'hang';

export async function receiver(plan: Step[] = [200]) {
  const requests: Received[] = [];
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: data ? JSON.parse(data) : undefined });
      const step = plan[requests.length - 1] ?? plan[plan.length - 1];
      if (step === 'hang') return;
      res.writeHead(step, { 'content-type': 'text/plain' });
      res.end(step < 300 ? 'ok' : 'no');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // The path stands for the secret part of a Slack webhook URL: it must never be logged.
    url: `http://127.0.0.1:${port}/services/T000/B000/SECRETtoken123`,
    requests,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
