/**
 * An Organizations estate as the API references describe it, and two Azure subscriptions: the
 * estate the coverage tests audit through the real SDK clients and the local cloud.
 */
import type { Scenario } from '../../src/sim/scenario.js';
import type { AwsAccountSpec } from '../../src/sim/aws/index.js';
import { parseConfig } from '../../src/config/load.js';

export const KEY = { id: 'AKIACOVERAGE00000001', secret: 'coverage-test-secret-opens-nothing' };
export const TOKEN_ENV = 'CW_COVERAGE_TOKEN';
export const TOKEN = 'coverage-only-token-opens-nothing-real';
export const MGMT = '100000000001';
export const ACTIVE = '200000000002';
export const SUSPENDED = '300000000003';
export const CLOSING = '400000000004';
export const EXCLUDED = '500000000005';
export const REFUSING = '600000000006';
export const SUB_ON = '6f2b1c3d-0000-4000-8000-0000000c0001';
export const SUB_OFF = '6f2b1c3d-0000-4000-8000-0000000c0002';
export const SUB_HIDDEN = '6f2b1c3d-0000-4000-8000-0000000c0003';
export const ROLE = 'OrganizationAccountAccessRole';

const cert = (name: string, expiresInDays: number) => ({ name, cn: `${name}.example.com`, expiresInDays });

/** A member whose role trusts the management account. */
const member = (id: string, name: string, extra: Partial<AwsAccountSpec> = {}): AwsAccountSpec => ({
  id,
  name,
  roles: [{ name: ROLE }],
  regions: { 'us-east-1': { certificates: [cert(name, 10)] } },
  ...extra,
});

export interface EstateChanges {
  /** Members no longer in the organisation. */
  left?: string[];
  /** Members whose role trusts another account only: AssumeRole answers AccessDenied (default: REFUSING). */
  refusing?: string[];
}

export function estate(changes: EstateChanges = {}): Scenario {
  const refusing = new Set(changes.refusing ?? [REFUSING]);
  const accounts: AwsAccountSpec[] = [
    {
      id: MGMT,
      name: 'management',
      accessKeys: [KEY],
      regions: { 'us-east-1': { certificates: [cert('mgmt', 200)] } },
      // af-south-1 is an opt-in region this account never enabled.
      disabledRegions: ['af-south-1'],
    },
    member(ACTIVE, 'active', {
      regions: { 'us-east-1': { certificates: [cert('active', 10)] }, 'af-south-1': { certificates: [cert('cape', 10)] } },
    }),
    // Names come from the cloud: this one is hostile in every output format.
    member(SUSPENDED, 'old <b>team</b> | `x`\n[link](http://x)', { status: 'SUSPENDED' }),
    member(CLOSING, 'closing', { status: 'PENDING_CLOSURE' }),
    member(EXCLUDED, 'sandbox'),
    member(REFUSING, 'refusing'),
  ]
    .filter((a) => !changes.left?.includes(a.id))
    .map((a) => (refusing.has(a.id) ? { ...a, roles: [{ name: ROLE, trustedAccounts: ['999999999999'] }] } : a));
  return {
    aws: { accounts, organization: { managementAccount: MGMT } },
    azure: {
      token: TOKEN,
      subscriptions: [
        {
          id: SUB_ON,
          displayName: 'platform',
          vaults: [{ name: 'kv-platform', certificates: [{ name: 'api', cn: 'api.example.com', expiresInDays: 20 }] }],
        },
        { id: SUB_OFF, displayName: 'retired', state: 'Disabled' },
        // Listed, but the credential holds no role on it: its reads answer 403 AuthorizationFailed.
        { id: SUB_HIDDEN, displayName: 'finance', access: 'denied' },
      ],
    },
  };
}

export function estateConfig(simUrl: string, extra = '') {
  return parseConfig(
    `
providers:
  aws:
    endpoint: ${JSON.stringify(simUrl)}
    regions: [us-east-1, af-south-1]
    retryDelayMs: 5
    maxAttempts: 2
    organization: { roleName: ${ROLE}, exclude: [sandbox] }
  azure:
    cloud: { resourceManager: ${JSON.stringify(simUrl)} }
    credential: { type: token, env: ${TOKEN_ENV} }
    subscriptions: [all]
    services: { keyVault: false }
${extra}`,
    'coverage test config',
  );
}
