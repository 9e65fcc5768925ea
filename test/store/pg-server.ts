/**
 * A real PostgreSQL server for the store tests: initdb in a temporary directory, started on a free
 * TCP port of 127.0.0.1 (password authentication) with its unix socket in the same directory, and
 * stopped and removed afterwards. PostgreSQL refuses to run as root, so as root (CI) every server
 * command runs as `nobody` through runuser, on a directory handed to that user.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export interface PgServer {
  /** A superuser URL with its password, for the database `name`. */
  url(name?: string): string;
  readonly port: number;
  readonly password: string;
  /** Creates an empty database and returns its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): void;
}

const USER = 'certwarden';

/** The newest installed server's binaries (Debian's layout), or PG_BIN. */
export function pgBin(): string | undefined {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length ? join(root, versions[0], 'bin') : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<PgServer> {
  const bin = pgBin();
  if (!bin) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb; set PG_BIN)');
  const dir = mkdtempSync(join(tmpdir(), 'cw-pg-'));
  const data = join(dir, 'data');
  const password = `pw-${Math.random().toString(36).slice(2)}-secret`;
  writeFileSync(join(dir, 'pwfile'), password + '\n');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { uid, gid } = nobody();
    chownSync(dir, uid, gid);
    chownSync(join(dir, 'pwfile'), uid, gid);
  }
  const run = (cmd: string, args: string[]) =>
    execFileSync(asRoot ? 'runuser' : join(bin, cmd), asRoot ? ['-u', 'nobody', '--', join(bin, cmd), ...args] : args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: dir,
    });
  run('initdb', [
    '-D',
    data,
    '-U',
    USER,
    `--pwfile=${join(dir, 'pwfile')}`,
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    '--no-sync',
    '-E',
    'UTF8',
    '--locale=C',
  ]);
  const port = await freePort();
  // Durability settings are off: the tests kill nothing but their own clients.
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', options, '-w', '-t', '60', 'start']);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    const args = ['-D', data, '-m', 'immediate', '-w', 'stop'];
    spawnSync(
      asRoot ? 'runuser' : join(bin, 'pg_ctl'),
      asRoot ? ['-u', 'nobody', '--', join(bin, 'pg_ctl'), ...args] : args,
      {
        stdio: 'ignore',
      },
    );
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  const url = (name = 'postgres') => `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${name}`;
  return {
    url,
    port,
    password,
    async createDatabase(name: string) {
      const c = new pg.Client({ connectionString: url() });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      } finally {
        await c.end();
      }
      return url(name);
    },
    stop,
  };
}

function nobody(): { uid: number; gid: number } {
  return { uid: Number(execFileSync('id', ['-u', 'nobody'])), gid: Number(execFileSync('id', ['-g', 'nobody'])) };
}
