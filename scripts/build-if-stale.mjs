// Builds dist/ only when a source is newer than the last build, so `npm run -s certwarden -- rules`
// starts at once after the first build. Plain JavaScript: it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync, utimesSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const stamp = join(root, 'dist', '.build-stamp');
const SOURCES = ['src', 'providers', 'rules', 'test', 'bench', 'package.json', 'package-lock.json', 'tsconfig.json'];

/** The newest modification time under `path` (a file or a folder, walked without following links). */
function newest(path) {
  let st;
  try {
    st = statSync(path, { throwIfNoEntry: false });
  } catch {
    return 0;
  }
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs; // a deleted or renamed file changes its folder's mtime
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    if (entry.isSymbolicLink()) continue;
    max = Math.max(max, newest(join(path, entry.name)));
  }
  return max;
}

const built = statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? 0;
const changed = Math.max(...SOURCES.map((s) => newest(join(root, s))));
if (changed >= built) {
  const started = new Date();
  const r = spawnSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(stamp, `${started.toISOString()}\n`);
  // The stamp carries the build's start: a source saved while tsc ran is newer, so the next run builds again.
  utimesSync(stamp, started, started);
}
