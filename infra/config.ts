/** The deployment configuration: two built-in profiles, overridable from CDK context, validated once with zod. */
import { z } from 'zod';
import { IntegrationCallers } from '../shared/identity/integration-callers.ts';

/** The retention periods CloudWatch Logs accepts; anything else is rejected by the service at deploy time. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** A private (RFC 1918) IPv4 block; `maxMask` bounds how small it may be. */
function privateCidr(minMask: number, maxMask: number) {
  return z.string().refine(
    (value) => {
      const match = IPV4_CIDR.exec(value);
      if (!match) return false;
      const [a, b, c, d, mask] = match.slice(1).map(Number) as [number, number, number, number, number];
      if ([a, b, c, d].some((octet) => octet > 255) || mask < minMask || mask > maxMask) return false;
      return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
    },
    { message: `expected a private IPv4 CIDR block with a /${minMask} to /${maxMask} mask` },
  );
}

/** Amazon Bedrock model or inference-profile ids, e.g. `anthropic.claude-3-5-sonnet-20240620-v1:0`. */
const BEDROCK_MODEL_ID = /^([a-z]{2,4}\.)?[a-z0-9-]+\.[A-Za-z0-9._:-]+$/;

const ConcurrencyLimit = z.int().min(1).max(1000);

/** Lambda refuses a reservation that would leave fewer than this many of the account's executions unreserved. */
export const UNRESERVED_CONCURRENCY_MINIMUM = 100;

/**
 * A Bedrock Guardrail applied to every Bedrock call, as the Converse API names it: the guardrail's id (not its
 * ARN; it must be in the deployment's account and region) and a published version number, or DRAFT.
 */
const BedrockGuardrail = z.strictObject({
  id: z.string().regex(/^[a-z0-9]{1,64}$/, 'expected the guardrail id (lowercase letters and digits), not its ARN'),
  version: z.string().regex(/^([1-9][0-9]{0,7}|DRAFT)$/, 'expected a published version number or DRAFT'),
});

const OperationsConfig = z.strictObject({
  /** The estimated-spend alarm fires when a day's estimate exceeds this budget's daily share (budget / 30). */
  monthlyBudgetUsd: z.number().positive().max(1_000_000).default(1_000),
  /** p95 latency per route above which its alarm fires; routes of functions with longer timeouts get 80% of theirs. */
  latencyP95Ms: z.int().min(100).max(29_000).default(3_000),
  /** Server errors (5xx and failed event invocations) as a percentage of invocations, over five minutes. */
  serverErrorPercent: z.number().positive().max(100).default(5),
  /** Fail-closed refusals (detector, vault or audit unavailable) in five minutes that count as a spike. */
  failClosedPerFiveMinutes: z.int().min(1).max(10_000).default(5),
  /** Longest acceptable time from an audited act to its record in the audit table. */
  auditLagSeconds: z.int().min(30).max(86_400).default(300),
});

export const DeploymentConfigSchema = z
  .strictObject({
    /** Shown in descriptions and used (PascalCased) in stack names, so it is kept to simple characters. */
    practiceName: z
      .string()
      .regex(
        /^[A-Za-z][A-Za-z0-9 -]{1,47}$/,
        'expected 2-48 letters, digits, spaces or hyphens, starting with a letter',
      ),
    environment: z.enum(['dev', 'prod']),
    /** Receives dead-letter and security alarms; required in prod so that an alarm always reaches a person. */
    alarmEmail: z.email().optional(),
    /** Receives incident notices (no PHI in them); the alarm address when unset. */
    privacyOfficerEmail: z.email().optional(),
    vpcCidr: privateCidr(16, 24),
    maxAzs: z.int().min(2).max(6),
    /** REGIONAL: public endpoint behind WAF. PRIVATE: reachable only through the VPC's execute-api endpoint. */
    apiEndpointType: z.enum(['REGIONAL', 'PRIVATE']),
    /** Networks (VPN, Direct Connect) allowed to reach a PRIVATE API's endpoint on 443. */
    privateApiClientCidrs: z.array(privateCidr(8, 32)).default([]),
    /** Reserved concurrency caps each function so one runaway consumer cannot starve the others. */
    reservedConcurrency: z.strictObject({
      default: ConcurrencyLimit,
      functions: z.record(z.string(), ConcurrencyLimit).default({}),
    }),
    /**
     * The account's Lambda concurrent-executions quota in the deployment region (Service Quotas). Synthesis fails
     * when the functions' reservations and Lambda's unreserved minimum do not fit in it.
     */
    accountConcurrencyLimit: z.int().min(UNRESERVED_CONCURRENCY_MINIMUM).max(1_000_000).default(1_000),
    logRetentionDays: z.literal(LOG_RETENTION_DAYS),
    /**
     * HIPAA (45 CFR 164.316(b)(2)) requires six years for security documentation, audit records included. Also the
     * Object Lock retention of the audit archive and CloudTrail buckets, and of the audit table's monthly backups.
     */
    auditRetentionYears: z.int().min(6).max(100),
    /**
     * Object Lock mode of the audit archive and CloudTrail buckets. COMPLIANCE: nobody, the root user included, can
     * shorten a lock or delete a locked version before it expires. GOVERNANCE: a principal allowed
     * `s3:BypassGovernanceRetention` can, so test deployments can be cleaned up; use it for dev only.
     */
    trailObjectLockMode: z.enum(['GOVERNANCE', 'COMPLIANCE']),
    /** How long a vault token can be re-identified; after that its PHI entry expires (DynamoDB TTL). */
    vaultRetentionDays: z.int().min(1).max(3650),
    /** How long a draft (tokenized) is kept before DynamoDB TTL removes it; at most the vault retention. */
    draftRetentionDays: z.int().min(1).max(3650),
    /**
     * How long an encounter and its sealed transcript are kept before DynamoDB TTL removes them; at most the vault
     * retention (a SOAP draft of the encounter lives in the same window).
     */
    transcriptRetentionDays: z.int().min(1).max(3650).default(30),
    /** Use case -> Bedrock model id; only models with a signed BAA in scope belong here. */
    approvedModels: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), z.string().regex(BEDROCK_MODEL_ID)),
    /** Applied to every call of the functions that invoke models; IAM lets them apply this guardrail and no other. */
    bedrockGuardrail: BedrockGuardrail.optional(),
    apiThrottle: z.strictObject({
      rateLimit: z.number().positive().max(10_000),
      burstLimit: z.int().positive().max(5_000),
    }),
    /**
     * Server-to-server callers (EHR or portal back ends) that sign requests with IAM (SigV4). When any are listed, a
     * second REST API with IAM authorization serves the same staff routes to these principals only.
     */
    integrationCallers: IntegrationCallers.default([]),
    /** Requests per five minutes from one IP before WAF blocks it. */
    wafRateLimitPerIp: z.int().min(10).max(2_000_000_000),
    /** Thresholds of the operational alarms (infra/constructs/operational-alarms.ts). */
    operations: OperationsConfig.prefault({}),
  })
  .superRefine((config, context) => {
    if (config.environment === 'prod' && !config.alarmEmail) {
      context.addIssue({
        code: 'custom',
        path: ['alarmEmail'],
        message: 'required in prod so that alarms reach a person',
      });
    }
    if (config.draftRetentionDays > config.vaultRetentionDays) {
      context.addIssue({
        code: 'custom',
        path: ['draftRetentionDays'],
        message: 'must not exceed vaultRetentionDays: a draft is re-identified from the vault',
      });
    }
    if (config.transcriptRetentionDays > config.vaultRetentionDays) {
      context.addIssue({
        code: 'custom',
        path: ['transcriptRetentionDays'],
        message: 'must not exceed vaultRetentionDays: transcripts are PHI kept no longer than the vault keeps PHI',
      });
    }
    if (config.environment === 'prod' && config.bedrockGuardrail?.version === 'DRAFT') {
      context.addIssue({
        code: 'custom',
        path: ['bedrockGuardrail', 'version'],
        message: 'must be a published version in prod: a DRAFT guardrail changes whenever someone edits it',
      });
    }
    if (config.apiEndpointType === 'PRIVATE' && config.privateApiClientCidrs.length === 0) {
      context.addIssue({
        code: 'custom',
        path: ['privateApiClientCidrs'],
        message: 'a PRIVATE API needs at least one client network',
      });
    }
  });

export type DeploymentConfig = z.output<typeof DeploymentConfigSchema>;
export type DeploymentName = DeploymentConfig['environment'];

type ConfigInput = z.input<typeof DeploymentConfigSchema>;

/** The built-in profiles; a deployment picks one by name and may override any field. */
export const DEPLOYMENT_PROFILES: Readonly<Record<DeploymentName, ConfigInput>> = {
  dev: {
    practiceName: 'Example Practice',
    environment: 'dev',
    vpcCidr: '10.40.0.0/16',
    maxAzs: 2,
    apiEndpointType: 'REGIONAL',
    reservedConcurrency: { default: 5 },
    logRetentionDays: 30,
    auditRetentionYears: 6,
    trailObjectLockMode: 'GOVERNANCE',
    vaultRetentionDays: 30,
    draftRetentionDays: 30,
    approvedModels: {},
    apiThrottle: { rateLimit: 20, burstLimit: 40 },
    wafRateLimitPerIp: 1_000,
  },
  prod: {
    practiceName: 'Example Practice',
    environment: 'prod',
    vpcCidr: '10.41.0.0/16',
    maxAzs: 3,
    apiEndpointType: 'REGIONAL',
    // Up to 60 functions at 15, with the 100 Lambda keeps unreserved, fit the standard quota of 1,000 executions.
    reservedConcurrency: { default: 15 },
    logRetentionDays: 365,
    auditRetentionYears: 6,
    trailObjectLockMode: 'COMPLIANCE',
    vaultRetentionDays: 90,
    draftRetentionDays: 30,
    approvedModels: {},
    apiThrottle: { rateLimit: 50, burstLimit: 100 },
    wafRateLimitPerIp: 2_000,
  },
};

/** The CDK context keys this module reads (cdk.json `context` or `-c key=value`). */
export const CONTEXT_KEYS = { deployment: 'deployment', overrides: 'deploymentOverrides' } as const;

export class InvalidDeploymentConfig extends Error {
  constructor(issues: readonly string[]) {
    super(`Invalid deployment config: ${issues.join('; ')}`);
    this.name = 'InvalidDeploymentConfig';
  }
}

/**
 * Loads the config for `context.deployment` (`dev` or `prod`), applying `context.deploymentOverrides` (an object,
 * or a JSON string when passed with `-c`). Pure: reads only the object it is given.
 */
export function loadDeploymentConfig(context: Readonly<Record<string, unknown>>): DeploymentConfig {
  const name = context[CONTEXT_KEYS.deployment];
  if (name !== 'dev' && name !== 'prod') {
    throw new InvalidDeploymentConfig([`${CONTEXT_KEYS.deployment}: expected "dev" or "prod"`]);
  }
  const overrides = readOverrides(context[CONTEXT_KEYS.overrides]);
  const result = DeploymentConfigSchema.safeParse(mergeDeep(DEPLOYMENT_PROFILES[name], overrides));
  if (!result.success) throw new InvalidDeploymentConfig(result.error.issues.map(describeIssue));
  return result.data;
}

/**
 * Fails when the reservations of `functionNames` (each function's override or the default) and the executions
 * Lambda keeps unreserved exceed `accountConcurrencyLimit`: CloudFormation would otherwise fail partway through the
 * deploy, at the function whose reservation no longer fits.
 */
export function assertReservedConcurrencyFits(
  config: Pick<DeploymentConfig, 'reservedConcurrency' | 'accountConcurrencyLimit'>,
  functionNames: readonly string[],
): void {
  const { reservedConcurrency, accountConcurrencyLimit } = config;
  const reserved = functionNames.reduce(
    (sum, name) => sum + (reservedConcurrency.functions[name] ?? reservedConcurrency.default),
    0,
  );
  const needed = reserved + UNRESERVED_CONCURRENCY_MINIMUM;
  if (needed <= accountConcurrencyLimit) return;
  throw new InvalidDeploymentConfig([
    `reservedConcurrency: ${functionNames.length} functions reserve ${reserved} concurrent executions, and Lambda ` +
      `keeps ${UNRESERVED_CONCURRENCY_MINIMUM} unreserved, so the account needs ${needed}; accountConcurrencyLimit ` +
      `is ${accountConcurrencyLimit}. Either request a Lambda concurrent-executions quota of at least ${needed} ` +
      '(Service Quotas) and set accountConcurrencyLimit to it, or lower reservedConcurrency.default or the ' +
      'per-function values in reservedConcurrency.functions',
  ]);
}

/** The stable part of every stack id, e.g. `Cag-RiversidePediatrics-Prod`. */
export function stackPrefix(config: Pick<DeploymentConfig, 'practiceName' | 'environment'>): string {
  const practice = config.practiceName
    .split(/[\s-]+/)
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join('');
  const environment = config.environment.charAt(0).toUpperCase() + config.environment.slice(1);
  return `Cag-${practice}-${environment}`;
}

function readOverrides(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === null || raw === '') return {};
  let value: unknown = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      throw new InvalidDeploymentConfig([`${CONTEXT_KEYS.overrides}: expected a JSON object`]);
    }
  }
  if (!isPlainObject(value)) throw new InvalidDeploymentConfig([`${CONTEXT_KEYS.overrides}: expected an object`]);
  return value;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => `${[...issue.path, key].join('.')}: unknown setting`).join('; ');
  }
  const field = issue.path.length > 0 ? issue.path.join('.') : '(root)';
  return `${field}: ${issue.message}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Nested objects merge key by key (so one function's concurrency can be overridden); anything else replaces. */
function mergeDeep(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeDeep(base[key], value);
  return merged;
}
