/** A local webhook receiver that answers each request with the next step of its plan. */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: any;
}

/**
 * A status, or: `hang` never answers (for timeouts); `redirect` is a 307 to another path here;
 * `endless` is a 200 whose body never ends; `trickle` a 200 whose body comes a byte every 50 ms,
 * forever; `close` ends the connection cleanly without an
 * answer; `reset` resets it (RST). The last step repeats once the plan runs out.
 */
export type Step = number | 'hang' | 'redirect' | 'endless' | 'trickle' | 'close' | 'reset';

const CHUNK = Buffer.alloc(64 * 1024, 'x');

export async function receiver(plan: Step[] = [200]) {
  const requests: Received[] = [];
  /** Connections opened, and body bytes written by `endless` answers. */
  const seen = { connections: 0, endlessBytes: 0, endlessClosed: 0 };
  const server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: data ? JSON.parse(data) : undefined,
      });
      const step = plan[requests.length - 1] ?? plan[plan.length - 1];
      if (step === 'hang') return;
      if (step === 'close') return void req.socket.end();
      if (step === 'reset') return void req.socket.resetAndDestroy();
      if (step === 'redirect') {
        res.writeHead(307, { location: '/elsewhere' });
        return void res.end();
      }
      if (step === 'endless') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const pump = () => {
          while (!res.destroyed) {
            seen.endlessBytes += CHUNK.length;
            if (!res.write(CHUNK)) break;
          }
        };
        res.on('drain', pump);
        res.on('close', () => seen.endlessClosed++);
        return pump();
      }
      if (step === 'trickle') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const drip = setInterval(() => res.write('.'), 50);
        return void res.on('close', () => clearInterval(drip));
      }
      res.writeHead(step, { 'content-type': 'text/plain' });
      res.end(step < 300 ? 'ok' : 'no');
    });
  });
  server.on('connection', () => seen.connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    // The path stands for the secret part of a Slack webhook URL: it must never be logged.
    url: `http://127.0.0.1:${port}/services/T000/B000/SECRETtoken123`,
    port,
    requests,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
