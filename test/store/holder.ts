/** Starts lock-holder.ts in a child process and resolves once it holds the store for a run. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

export function holder(where: string, mode?: '--write'): Promise<{ pid: number; kill: () => Promise<void> }> {
  return new Promise((resolve, reject) => {
    const args = ['--import', 'tsx', join(root, 'test/store/lock-holder.ts'), where, ...(mode ? [mode] : [])];
    const child = spawn(process.execPath, args, { cwd: root, env: { ...process.env, NODE_OPTIONS: '' } });
    child.on('error', reject);
    let out = '';
    child.stderr.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`holder exited ${code}: ${out}`)));
    child.stdout.on('data', (d) => {
      if (!String(d).includes('holding')) return;
      child.removeAllListeners('exit');
      resolve({
        pid: child.pid!,
        kill: () => new Promise((r) => (child.once('exit', () => r()), child.kill('SIGKILL'))),
      });
    });
  });
}
