/**
 * Local TLS servers on 127.0.0.1 for the demo and the tests: each serves given certificates with
 * their keys, choosing by SNI so one port answers for several names, and sends exactly the chain
 * it is given (a leaf alone, when a site is meant to be missing its intermediate). A "stalled"
 * server accepts connections and never answers the handshake.
 */
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import tls from 'node:tls';
import type { KeyObject } from 'node:crypto';
import type { CertTemplate, ScenarioCa } from './template.js';

export interface TlsSite {
  /** Server names this certificate answers for (exact, case-insensitive). */
  names: string[];
  /** PEM of the leaf. */
  cert: string;
  /** PEM of the certificates sent after the leaf, in order; empty sends the leaf alone. */
  chain?: string;
  key: KeyObject;
}

export interface LocalTlsServer {
  host: '127.0.0.1';
  port: number;
  close(): Promise<void>;
}

/** What a site serves after its leaf: the full chain, the intermediate only, or nothing. */
export type ChainShape = 'full' | 'intermediate' | 'none';

/** A site from a scenario certificate template, issued by the scenario CA with the chain shape asked for. */
export function siteFromTemplate(
  ca: ScenarioCa,
  t: CertTemplate,
  now: Date,
  names: string[],
  chain: ChainShape = 'full',
): TlsSite {
  const m = ca.materialize(t, now);
  if (!m.privateKey) throw new Error(`no key for ${t.cn}: a malformed certificate cannot be served`);
  const sent = t.selfSigned || chain === 'none' ? '' : chain === 'intermediate' ? ca.intermediate.pem : m.chainPem;
  return { names, cert: m.pem, chain: sent, key: m.privateKey };
}

function contextOf(site: TlsSite): tls.SecureContext {
  return tls.createSecureContext({
    cert: site.cert + (site.chain ?? ''),
    key: site.key.export({ type: 'pkcs8', format: 'pem' }) as string,
  });
}

function track(server: Server): () => Promise<void> {
  const open = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    open.add(s);
    s.on('close', () => open.delete(s));
  });
  return () =>
    new Promise<void>((resolve) => {
      for (const s of open) s.destroy();
      server.close(() => resolve());
    });
}

async function listen(server: Server, port = 0): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** One port, several sites. A name no site claims (or no SNI at all) gets the first site. */
export async function startTlsServer(sites: TlsSite[], opts: { port?: number } = {}): Promise<LocalTlsServer> {
  if (sites.length === 0) throw new Error('a TLS server needs at least one site');
  const contexts = new Map<string, tls.SecureContext>();
  for (const site of sites) {
    const ctx = contextOf(site);
    for (const n of site.names) contexts.set(n.toLowerCase(), ctx);
  }
  const fallback = contextOf(sites[0]);
  const server = tls.createServer({
    SNICallback: (name, cb) => cb(null, contexts.get(name.toLowerCase()) ?? fallback),
    secureContext: fallback,
  });
  // A client that gives up mid-handshake is normal here (timeouts are tested); it must not crash the server.
  server.on('tlsClientError', () => {});
  const close = track(server);
  const port = await listen(server, opts.port);
  return { host: '127.0.0.1', port, close };
}

/** Accepts TCP connections and never sends a byte: a handshake that does not complete. */
export async function startStalledServer(): Promise<LocalTlsServer> {
  const server = createTcpServer(() => {});
  const close = track(server);
  const port = await listen(server);
  return { host: '127.0.0.1', port, close };
}

/** A loopback port with nothing listening on it: connections are refused. */
export async function refusedPort(): Promise<number> {
  const server = createTcpServer();
  const port = await listen(server);
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
