import { urlProblem } from '../store/pg-url.js';
import { z } from 'zod';
import { SEVERITIES } from '../model/severity.js';
import { isLoopbackHost } from '../net/loopback.js';
import { normalDnsSuffix } from '../net/dns-suffix.js';

const severity = z.enum(SEVERITIES);

const files = z
  .object({
    paths: z.array(z.string().min(1)).min(1),
    /** File name endings that are read; a PEM bundle may hold several certificates. */
    extensions: z.array(z.string()).default(['.pem', '.crt', '.cer', '.der']),
    followSymlinks: z.boolean().default(true),
    /** Larger files are reported as unreadable instead of loaded. */
    maxFileBytes: z
      .number()
      .int()
      .positive()
      .default(64 * 1024 * 1024),
    /** Per file: open, check and read; a file not read by then is reported as unreadable. */
    timeoutMs: z.number().int().positive().max(600000).default(30000),
  })
  .strict();

const awsAccount = z
  .object({
    /** The account id; looked up with sts:GetCallerIdentity when omitted. */
    id: z
      .string()
      .regex(/^\d{12}$/, 'an AWS account id is 12 digits')
      .optional(),
    profile: z.string().optional(),
    roleArn: z.string().startsWith('arn:').optional(),
    externalId: z.string().optional(),
    sessionName: z.string().default('certwarden'),
    regions: z.array(z.string()).optional(),
  })
  .strict();

const aws = z
  .object({
    /** One endpoint for every AWS service (private endpoints, the simulator). */
    endpoint: z.url().optional(),
    regions: z.array(z.string().min(1)).min(1).default(['us-east-1']),
    partition: z.enum(['aws', 'aws-us-gov', 'aws-cn']).optional(),
    accounts: z.array(awsAccount).optional(),
    organization: z
      .object({
        roleName: z.string().min(1),
        externalId: z.string().optional(),
        sessionName: z.string().default('certwarden'),
        include: z.array(z.string()).optional(),
        exclude: z.array(z.string()).optional(),
      })
      .strict()
      .optional(),
    services: z
      .object({ acm: z.boolean().default(true), elbv2: z.boolean().default(true), iam: z.boolean().default(true) })
      .strict()
      .default({ acm: true, elbv2: true, iam: true }),
    /** Scopes visited at once; each API is also held to its own published rate limit. */
    concurrency: z.number().int().positive().max(256).default(16),
    maxAttempts: z.number().int().positive().max(20).default(6),
    /** Per attempt: the longest wait for an answer to start, or between two pieces of it; kept to within a second. */
    timeoutMs: z.number().int().positive().default(30000),
    /** Base of the exponential backoff between attempts of a throttled or failed call. */
    retryDelayMs: z.number().int().positive().default(500),
    /** Pages of one listing after which it is stopped as endless paging. */
    maxPages: z.number().int().positive().default(1000),
  })
  .strict();

const azureCloud = z.union([
  z.enum(['public', 'usgov', 'china']),
  z
    .object({
      /** https, or plain http on a loopback address only (a local simulator or emulator). */
      resourceManager: z.url({ protocol: /^https?$/ }).refine((u) => {
        // zod runs this check even when z.url() has already rejected the value: that one reports it.
        if (!URL.canParse(u)) return true;
        const url = new URL(u);
        return url.protocol === 'https:' || isLoopbackHost(url.hostname);
      }, 'plain http is accepted only on a loopback address (127.0.0.0/8, ::1, localhost); use https'),
      /**
       * DNS suffix of vaults, e.g. `vault.azure.net`: Key Vault tokens go only to `https://<vault>.<suffix>`.
       * When omitted, ARM's metadata (`/metadata/endpoints`) gives it, or every Azure scope fails naming this key.
       */
      keyVaultSuffix: z
        .string()
        .refine(
          (s) => normalDnsSuffix(s) !== undefined,
          "expected the DNS suffix of the cloud's vault hosts, two labels or more (e.g. vault.azure.net)",
        )
        .optional(),
      /** Audience of management-plane tokens; defaults to the resource manager URL. */
      audience: z.string().optional(),
    })
    .strict(),
]);

const azureCredential = z.discriminatedUnion('type', [
  z.object({ type: z.literal('default') }).strict(),
  z.object({ type: z.literal('cli') }).strict(),
  z.object({ type: z.literal('managed-identity'), clientId: z.string().optional() }).strict(),
  z.object({ type: z.literal('workload-identity') }).strict(),
  z.object({ type: z.literal('client-secret') }).strict(),
  z
    .object({
      type: z.literal('token'),
      /** Environment variable holding a bearer token for Resource Manager. */
      env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/),
      /** Environment variable holding a token for the Key Vault data plane; `env` when omitted. */
      keyVaultEnv: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
        .optional(),
    })
    .strict(),
]);

const azure = z
  .object({
    cloud: azureCloud.default('public'),
    credential: azureCredential.default({ type: 'default' }),
    subscriptions: z.array(z.string().min(1)).min(1).default(['all']),
    tenantId: z.string().optional(),
    /** Which Azure sources run: Key Vault certificates, and the services that bind them. */
    services: z
      .object({
        keyVault: z.boolean().default(true),
        appGateway: z.boolean().default(true),
        appService: z.boolean().default(true),
        frontDoor: z.boolean().default(true),
      })
      .strict()
      .default({ keyVault: true, appGateway: true, appService: true, frontDoor: true }),
    concurrency: z.number().int().positive().max(256).default(8),
    maxAttempts: z.number().int().positive().max(20).default(6),
    timeoutMs: z.number().int().positive().default(30000),
    /** Pages of one listing after which it is stopped as endless (25 certificates a page). */
    maxPages: z.number().int().positive().default(10000),
  })
  .strict();

/** `host:port`, with IPv6 literals in brackets (`[2001:db8::1]:443`). */
const hostPort = z.string().regex(/^(\[[0-9A-Fa-f:.]+\]|[^\s:/[\]]+):\d{1,5}$/, 'expected "host:port"');

/** TLS endpoints to connect to and read the served certificate from: only hosts listed here or named by the inventory. */
const tls = z
  .object({
    endpoints: z
      .array(
        z.union([
          hostPort,
          z
            .object({
              host: z.string().min(1),
              port: z.number().int().min(1).max(65535).default(443),
              servername: z.string().min(1).optional(),
            })
            .strict(),
        ]),
      )
      .default([]),
    /** Also contact the DNS names of audited load balancers (their TLS listeners) and the DNS names in audited certificates. */
    fromInventory: z
      .object({
        loadBalancers: z.boolean().default(false),
        sans: z.boolean().default(false),
        port: z.number().int().min(1).max(65535).default(443),
      })
      .strict()
      .default({ loadBalancers: false, sans: false, port: 443 }),
    /** Endpoints contacted at most, listed ones first; the rest are skipped with a warning. */
    maxEndpoints: z.number().int().positive().max(10000).default(200),
    /** Connect plus handshake, per endpoint. */
    timeoutMs: z.number().int().positive().max(120000).default(10000),
    concurrency: z.number().int().positive().max(256).default(8),
  })
  .strict();

/**
 * The run history: an embedded SQLite file by default (`path`, relative to the working directory),
 * or a shared PostgreSQL database (`url`; its password is better given as PGPASSWORD or in
 * ~/.pgpass than in the URL). Exactly one of the two.
 */
const store = z
  .object({
    path: z.string().min(1).optional(),
    url: z.string().min(1).optional(),
    /** Keep this many most recent runs (findings carry their first-seen date forward, so it survives pruning). */
    retentionRuns: z.number().int().positive().optional(),
    /** Or: drop runs whose audit clock is older than this many days. */
    retentionDays: z.number().int().positive().optional(),
    /** How long a run waits for another run to finish with the store before going on without it (default 60 s). */
    lockTimeoutMs: z.number().int().nonnegative().max(86_400_000).optional(),
    /** PostgreSQL: how long connecting may take (default 10 s). */
    connectTimeoutMs: z.number().int().positive().max(600_000).optional(),
    /** PostgreSQL: how long one statement may take (default 60 s). */
    statementTimeoutMs: z.number().int().positive().max(3_600_000).optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.path !== undefined && s.url !== undefined)
      ctx.addIssue({ code: 'custom', message: 'set store.path or store.url, not both', path: ['url'] });
    // The message never repeats the URL: it may carry a password.
    const problem = s.url !== undefined ? urlProblem(s.url) : undefined;
    if (problem) ctx.addIssue({ code: 'custom', message: problem, path: ['url'] });
    if (s.retentionRuns !== undefined && s.retentionDays !== undefined)
      ctx.addIssue({
        code: 'custom',
        message: 'set retentionRuns or retentionDays, not both',
        path: ['retentionDays'],
      });
  })
  .transform((s) => (s.url === undefined && s.path === undefined ? { ...s, path: 'certwarden-history.db' } : s));

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name');

/**
 * A webhook that hears about new and worsened findings, and reminders before expiry. The URL is a
 * secret: only its variable's name is in config. Every filter given must match; several targets
 * may receive the same finding (the owner's channel and the security team's).
 */
const notifyTarget = z
  .object({
    type: z.enum(['slack', 'webhook']),
    urlEnv: envName,
    minSeverity: severity.default('high'),
    /** Only findings of these owners (by name); `unowned` stands for findings no owner was attributed to. */
    owners: z.array(z.string().min(1)).min(1).optional(),
    /** Only findings in these AWS accounts or Azure subscriptions. */
    accounts: z.array(z.string().min(1)).min(1).optional(),
    /** Only findings of these providers (`aws-acm`, `azure-keyvault`, ...). */
    providers: z.array(z.string().min(1)).min(1).optional(),
    /** Only findings of these rules. */
    rules: z.array(z.string().min(1)).min(1).optional(),
    /** Reminders before expiry reach this target (see `reminders`); true when omitted. */
    reminders: z.boolean().optional(),
    /** Escalation: reminders reach this target only from this many days before expiry. */
    remindWithinDays: z.number().int().nonnegative().optional(),
    /** Findings listed in one message; the rest are counted (Slack allows 50 blocks a message). */
    maxItems: z.number().int().positive().max(40).default(20),
    timeoutMs: z.number().int().positive().max(120000).default(10000),
    attempts: z.number().int().positive().max(10).default(3),
  })
  .strict();

/**
 * Opt-in: tonight's AWS findings imported into Security Hub (BatchImportFindings) in each finding's
 * account and region. It writes, so it needs `securityhub:BatchImportFindings`, which the read-only
 * audit policy does not hold: give it a role of its own with `roleName` (docs/permissions.md).
 */
const securityHubTarget = z
  .object({
    type: z.literal('securityhub'),
    minSeverity: severity.default('info'),
    /** Assumed in each account for the import; the audit's own access is used when omitted. */
    roleName: z
      .string()
      .regex(/^[\w+=,.@/-]{1,64}$/, 'an IAM role name')
      .optional(),
    externalId: z.string().min(2).max(1224).optional(),
  })
  .strict();

/**
 * One entry of `owners.map`: every key given must match (an AWS account id or Azure subscription id,
 * a Key Vault name, a file path glob, a DNS-name glob), and the first entry that matches names the owner.
 */
const ownerMapping = z
  .object({
    owner: z.string().min(1),
    account: z.string().min(1).optional(),
    vault: z.string().min(1).optional(),
    path: z.string().min(1).optional(),
    dns: z.string().min(1).optional(),
  })
  .strict()
  .refine((m) => m.account ?? m.vault ?? m.path ?? m.dns, {
    message: 'a mapping needs at least one of account, vault, path, dns beside owner',
  });

/** Who owns what: tags first, then the mapping, then the default. See docs/owners.md. */
const owners = z
  .object({
    /** Tag keys that name an owner, in order of preference; compared without regard to case (Azure tag names ignore it). */
    tags: z.array(z.string().min(1)).default(['owner', 'team']),
    map: z.array(ownerMapping).default([]),
    default: z.string().min(1).optional(),
  })
  .strict();

/** A rule's settings: the common keys here, the rule's own params checked against its schema. */
export const ruleSettings = z
  .object({ enabled: z.boolean().optional(), severity: severity.optional() })
  .catchall(z.unknown());

export const configSchema = z
  .object({
    providers: z
      .object({ files: files.optional(), aws: aws.optional(), azure: azure.optional(), tls: tls.optional() })
      .strict()
      .default({}),
    rules: z.record(z.string(), ruleSettings).default({}),
    /** Scopes collected at once across all providers. */
    concurrency: z.number().int().positive().max(512).default(32),
    /**
     * Threads that collect scopes (each scope on one of them). One JavaScript thread tops out at a
     * few thousand API calls a second; an estate of tens of thousands of certificates wants more.
     */
    threads: z.number().int().positive().max(64).default(1),
    /**
     * Per scope (a provider in one account and region, subscription, vault or path): past it, the
     * scope is stopped and reported as `Deadline`. At most a day (Node's timers hold 24.8 days).
     */
    scopeTimeoutMs: z
      .number()
      .int()
      .positive()
      .max(24 * 60 * 60 * 1000)
      .default(15 * 60 * 1000),
    // As the flag: `none` leaves the exit code to the audit's completeness.
    failOn: z.union([severity, z.literal('none')]).optional(),
    /** Seconds between progress lines when stderr is not a terminal (default 30; `--progress-interval`). */
    progressIntervalSeconds: z.number().positive().max(3600).optional(),
    /** Whether an incomplete audit (a scope failed or partial) exits 3 even when findings would exit 1 (default true). */
    failIncomplete: z.boolean().optional(),
    /** Exit 4 when an account, subscription or vault audited in the previous run is not audited tonight. */
    failOnCoverage: z.boolean().default(false),
    store: store.optional(),
    /** Path of the suppressions YAML file, kept in version control beside the config. */
    suppressions: z.string().min(1).optional(),
    notify: z.array(z.discriminatedUnion('type', [notifyTarget, securityHubTarget])).optional(),
    /** Days before expiry at which an expiring certificate is announced again, once each (see docs/owners.md). */
    reminders: z
      .object({ days: z.array(z.number().int().positive()).min(1).default([30, 14, 7, 3, 1]) })
      .strict()
      .optional(),
    owners: owners.optional(),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type FilesConfig = z.infer<typeof files>;
export type AwsConfig = z.infer<typeof aws>;
export type AzureConfig = z.infer<typeof azure>;
export type TlsConfig = z.infer<typeof tls>;
export type RuleSettings = z.infer<typeof ruleSettings>;
export type StoreConfig = z.infer<typeof store>;
export type NotifyTarget = z.infer<typeof notifyTarget>;
export type SecurityHubTarget = z.infer<typeof securityHubTarget>;
export type OwnersConfig = z.infer<typeof owners>;
export type OwnerMapping = z.infer<typeof ownerMapping>;
