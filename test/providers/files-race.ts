/**
 * Child process for the files race test: either swaps names in a folder between a certificate,
 * a FIFO with no writer and a symlink to /dev/zero as fast as it can (`swap`), or walks that
 * folder again and again with the files provider's walker and prints what it saw (`walk`). A
 * child, so a walker that blocks forever can be killed without taking the test runner with it.
 *
 *   swap <dir> <stage> <names...>
 *   walk <dir> <maxRounds> <maxMs>
 */
import { linkSync, renameSync, symlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { walk } from '../../providers/files/walk.js';

const [mode, dir, ...rest] = process.argv.slice(2);

if (mode === 'swap') {
  const [stage, ...names] = rest;
  // link + rename replaces a name atomically: the name always exists, as one kind or another.
  const swapTo = (name: string, kind: 'cert' | 'fifo' | 'zero') => {
    const tmp = join(stage, `${name}.${kind}.tmp`);
    if (kind === 'zero') symlinkSync('/dev/zero', tmp);
    else linkSync(join(stage, kind), tmp);
    renameSync(tmp, join(dir, name));
  };
  process.stdout.write('swapping\n');
  for (let i = 0; ; i++) {
    for (const name of names) swapTo(name, i % 2 === 0 ? 'cert' : i % 4 === 1 ? 'fifo' : 'zero');
    if (i % 1000 === 0)
      for (const name of names)
        for (const k of ['cert', 'fifo', 'zero'])
          try {
            unlinkSync(join(stage, `${name}.${k}.tmp`));
          } catch {
            /* already renamed into place */
          }
  }
} else if (mode === 'walk') {
  const [maxRounds, maxMs] = rest.map(Number);
  const seen: Record<string, number> = {};
  const started = Date.now();
  let rounds = 0;
  // Until both kinds of swapped-in file were met after they passed as regular files, or enough tries.
  while (rounds < maxRounds && Date.now() - started < maxMs) {
    rounds++;
    for await (const e of walk(dir, {
      extensions: ['.pem'],
      followSymlinks: true,
      maxFileBytes: 1 << 20,
      timeoutMs: 5000,
    })) {
      const what = 'error' in e ? e.error : `read ${e.content.length} bytes`;
      seen[what] = (seen[what] ?? 0) + 1;
    }
    const late = Object.keys(seen).filter((k) => /when opened/.test(k));
    if (late.some((k) => /FIFO/.test(k)) && late.some((k) => /character device/.test(k))) break;
  }
  process.stdout.write(
    JSON.stringify({ rounds, ms: Date.now() - started, seen, maxRssBytes: process.resourceUsage().maxRSS * 1024 }) +
      '\n',
  );
}
