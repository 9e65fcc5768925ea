/**
 * What docs/permissions.md publishes, parsed: the AWS policies' actions, the Azure custom role's
 * actions and data actions, and the table of what each permission costs.
 */
import { readFileSync } from 'node:fs';

const doc = readFileSync(new URL('../../docs/permissions.md', import.meta.url), 'utf8');

export function section(title: string): string {
  const start = doc.indexOf(`\n## ${title}\n`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

const jsonBlocks = (text: string) => [...text.matchAll(/```json\n([\s\S]*?)```/g)].map(([, body]) => JSON.parse(body));

/** Every `Action` of every statement of every IAM policy in the AWS section (a string or a list). */
export const AWS_ACTIONS = new Set<string>(
  jsonBlocks(section('AWS')).flatMap((p) =>
    p.Statement.flatMap((st: { Action: string | string[] }) => [st.Action].flat()),
  ),
);
/** The custom role's Actions and DataActions in the Azure section. */
export const AZURE_ROLE = jsonBlocks(section('Azure')).find((b) => b.Actions && b.DataActions);
export const AZURE_ACTIONS = new Set<string>([...AZURE_ROLE.Actions, ...AZURE_ROLE.DataActions]);
/**
 * `GET /subscriptions` (only with `subscriptions: [all]`) needs "nothing beyond a role assignment
 * on each subscription", per the same page: any assignment there lets the identity read it.
 */
export const SUBSCRIPTION_LIST = 'Microsoft.Resources/subscriptions/read';

export interface Cost {
  permission: string;
  /** `required`, or the enrichment's name. */
  enrichment?: string;
  providers: string[];
  status: 'partial' | 'failed';
}

/** The rows of "What each permission costs": `permission | kind | without it | scope`. */
export function costs(): Map<string, Cost> {
  const out = new Map<string, Cost>();
  for (const line of section('What each permission costs').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const permission = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1];
    if (!permission) continue;
    const enrichment = /^enrichment `([^`]+)`$/.exec(cells[2])?.[1];
    const scope = /^((?:`[^`]+`(?:, )?)+) (partial|failed)$/.exec(cells[4]);
    if (!scope || (!enrichment && cells[2] !== 'required'))
      throw new Error(`docs/permissions.md: cannot read the row of ${permission}: ${line}`);
    out.set(permission, {
      permission,
      ...(enrichment ? { enrichment } : {}),
      providers: [...scope[1].matchAll(/`([^`]+)`/g)].map((m) => m[1]),
      status: scope[2] as Cost['status'],
    });
  }
  return out;
}
