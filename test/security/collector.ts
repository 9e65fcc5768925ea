/**
 * A host outside the cloud that would like a token: a real HTTP server on loopback that records
 * every request it receives. It plays the hostile vault of the token-leak finding: without a token
 * it answers Key Vault's 401 challenge naming its own parent domain as the resource (which the Key
 * Vault client's challenge check accepts for any host under it); with one it answers an empty page,
 * so a client that went there would carry on as if nothing happened.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpClient } from '@azure/core-rest-pipeline';
import { loopbackHttpClient } from '../../providers/azure-shared/pipeline.js';

export interface Received {
  method: string;
  host: string;
  path: string;
  authorization: string | null;
}

export interface Collector {
  url: string;
  received: Received[];
  close(): Promise<void>;
}

export async function startCollector(resource: string): Promise<Collector> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    received.push({
      method: req.method ?? '',
      host: req.headers.host ?? '',
      path: req.url ?? '',
      authorization: req.headers.authorization ?? null,
    });
    const type = { 'content-type': 'application/json; charset=utf-8' };
    if (!req.headers.authorization) {
      res.writeHead(401, {
        ...type,
        'www-authenticate': `Bearer authorization="https://login.microsoftonline.com/00000000-0000-0000-0000-0000000000aa", resource="${resource}"`,
      });
      res.end(
        JSON.stringify({
          error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' },
        }),
      );
      return;
    }
    res.writeHead(200, type);
    res.end(JSON.stringify({ value: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The network as the clients would see it: requests for `foreignHost` reach the collector, every
 * other host (ARM, the vaults) reaches the simulator. Both over loopback, the https URL and Host kept.
 */
export function routeByHost(foreignHost: string, collector: Collector, simUrl: string): HttpClient {
  const toCollector = loopbackHttpClient(new URL(collector.url));
  const toSim = loopbackHttpClient(new URL(simUrl));
  return {
    sendRequest: (request) =>
      (new URL(request.url).hostname === foreignHost ? toCollector : toSim).sendRequest(request),
  };
}
