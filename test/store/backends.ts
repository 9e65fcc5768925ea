/**
 * The two history stores the store tests run against: the embedded SQLite file and a real
 * PostgreSQL server (pg-server.ts), started once per test file on first use and stopped after it.
 * Each named store is a file of its own, or a database of its own on the one server.
 */
import { join } from 'node:path';
import { openTarget, type StoreTarget } from '../../src/store/backend.js';
import type { Store } from '../../src/store/types.js';
import { startPostgres, type PgServer } from './pg-server.js';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** Where the store `name` is (a new PostgreSQL database is created on first use). */
  target(name: string): Promise<StoreTarget>;
  /** The config's `store:` value for it, as YAML. */
  yaml(name: string): Promise<string>;
  open(name: string, retention?: { runs?: number; days?: number }): Promise<Store>;
}

let server: Promise<PgServer> | undefined;
const databases = new Map<string, Promise<string>>();
afterAll(async () => {
  if (server) (await server).stop();
  server = undefined;
  databases.clear();
});

export function postgres(): Promise<PgServer> {
  return (server ??= startPostgres());
}

function backend(name: Backend['name'], dir: string): Backend {
  const target = async (store: string): Promise<StoreTarget> => {
    if (name === 'sqlite') return { path: join(dir, `${store}.db`) };
    const pg = await postgres();
    const db = store.toLowerCase().replace(/[^a-z0-9]+/g, '_');
    if (!databases.has(db)) databases.set(db, pg.createDatabase(db));
    return { url: await databases.get(db)! };
  };
  return {
    name,
    target,
    async yaml(store) {
      const t = await target(store);
      return t.url !== undefined ? `{ url: ${JSON.stringify(t.url)} }` : `{ path: ${JSON.stringify(t.path)} }`;
    },
    async open(store, retention) {
      return openTarget({ ...(await target(store)), retentionRuns: retention?.runs, retentionDays: retention?.days });
    },
  };
}

/** Both backends, each keeping its files (if any) in `dir`. */
export function backends(dir: string): Backend[] {
  return [backend('sqlite', dir), backend('postgres', dir)];
}
