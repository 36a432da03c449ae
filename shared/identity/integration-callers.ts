/**
 * Server-to-server callers: EHR and portal back ends that call the API with AWS IAM (SigV4) instead of a staff
 * member's Cognito token. Each configured IAM principal acts as one named integration with fixed roles.
 */
import { z } from 'zod';
import type { Role } from './roles.ts';

/**
 * Roles an integration may hold. A physician's access follows a personal panel and admin/privacy-officer work
 * (policy, audit, panels) needs an accountable person, so a machine principal never gets those roles.
 */
export const INTEGRATION_ROLES = ['nurse', 'medical-assistant', 'billing', 'front-desk'] as const satisfies Role[];

/** An IAM role or user in the practice's (or the EHR vendor's) account. */
const PRINCIPAL_ARN = /^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/([\w+=,.@/-]+)$/;

export const IntegrationCaller = z.strictObject({
  /** Shown in the audit trail as `integration:<name>`. */
  name: z.string().regex(/^[a-z][a-z0-9-]{1,39}$/, 'expected 2-40 lower-case letters, digits or hyphens'),
  principalArn: z.string().regex(PRINCIPAL_ARN, 'expected the ARN of an IAM role or user'),
  roles: z.array(z.enum(INTEGRATION_ROLES)).min(1),
});
export type IntegrationCaller = z.infer<typeof IntegrationCaller>;

export const IntegrationCallers = z.array(IntegrationCaller).superRefine((callers, context) => {
  const seen = new Set<string>();
  for (const [index, caller] of callers.entries()) {
    for (const key of [`name:${caller.name}`, `arn:${caller.principalArn}`]) {
      if (seen.has(key)) context.addIssue({ code: 'custom', path: [index], message: `duplicate ${key.split(':')[0]}` });
      seen.add(key);
    }
  }
});

/** The prefix that marks an integration in `Caller.userId` and the audit trail. */
export const INTEGRATION_USER_PREFIX = 'integration:';

interface PrincipalKey {
  readonly account: string;
  readonly kind: 'role' | 'user';
  /** The last path segment: assumed-role ARNs carry the role name without its IAM path. */
  readonly name: string;
}

/**
 * Reduces an IAM ARN, or the STS assumed-role ARN API Gateway reports for a caller using temporary credentials
 * (`arn:aws:sts::<account>:assumed-role/<role>/<session>`), to account, kind and name.
 */
function principalKey(arn: string): PrincipalKey | undefined {
  const assumed = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/([\w+=,.@-]+)\/[\w+=,.@-]+$/.exec(arn);
  if (assumed) return { account: assumed[1] as string, kind: 'role', name: assumed[2] as string };
  const iam = /^arn:aws[a-z-]*:iam::(\d{12}):(role|user)\/([\w+=,.@/-]+)$/.exec(arn);
  if (!iam) return undefined;
  const name = (iam[3] as string).split('/').at(-1) as string;
  return { account: iam[1] as string, kind: iam[2] as 'role' | 'user', name };
}

/** The configured integration a SigV4-verified principal ARN belongs to, or undefined for any other principal. */
export function findIntegrationCaller(
  callers: readonly IntegrationCaller[],
  callerArn: string,
): IntegrationCaller | undefined {
  const key = principalKey(callerArn);
  if (!key) return undefined;
  return callers.find((caller) => {
    const configured = principalKey(caller.principalArn);
    return (
      configured !== undefined &&
      configured.account === key.account &&
      configured.kind === key.kind &&
      configured.name === key.name
    );
  });
}
