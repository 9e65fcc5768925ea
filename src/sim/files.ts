import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ScenarioCa, CertTemplate } from './template.js';

export type FileSpec = CertTemplate & { der?: boolean; chain?: boolean; copyOf?: string };

/** Writes a scenario's certificate files under `dir`; `copyOf` repeats another file's exact bytes. */
export function writeScenarioFiles(dir: string, files: Record<string, FileSpec>, ca: ScenarioCa, now: Date): string[] {
  const bytes = new Map<string, Buffer | string>();
  const written: string[] = [];
  const entries = Object.entries(files).sort(([, a], [, b]) => Number(!!a.copyOf) - Number(!!b.copyOf));
  for (const [name, spec] of entries) {
    let content = spec.copyOf ? bytes.get(spec.copyOf) : undefined;
    if (content === undefined) {
      const m = ca.materialize(spec, now);
      content = spec.der ? m.der : spec.chain ? m.pem + m.chainPem : m.pem;
    }
    bytes.set(name, content);
    const path = join(dir, name);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
    written.push(path);
  }
  return written;
}
