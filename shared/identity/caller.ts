/**
 * Reads who is calling: a staff member from API Gateway's Cognito authorizer claims, or a configured server-to-server
 * integration from the IAM principal API Gateway verified (SigV4). The local runtime fills the same fields.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { findIntegrationCaller, INTEGRATION_USER_PREFIX, type IntegrationCaller } from './integration-callers.ts';
import { isRole, type Role } from './roles.ts';

export interface Caller {
  readonly userId: string;
  readonly username: string;
  readonly roles: readonly Role[];
  /** The app client (EHR or portal integration) the token was issued to, when known. */
  readonly clientId: string | undefined;
  readonly sourceIp: string | undefined;
  /** Set when the caller is a server-to-server integration signed with IAM rather than a person. */
  readonly integration?: string;
}

/** The claim names Cognito ID tokens carry; REST API authorizers pass every claim as a string. */
export const CLAIMS = {
  subject: 'sub',
  username: 'cognito:username',
  groups: 'cognito:groups',
  audience: 'aud',
} as const;

/**
 * Cognito groups arrive in REST API authorizer claims as one string: `"a,b"` or, for some token shapes,
 * `"[a b]"`. Unknown groups are ignored rather than trusted.
 */
export function parseGroups(raw: unknown): Role[] {
  const values = Array.isArray(raw)
    ? raw.map(String)
    : typeof raw === 'string'
      ? raw
          .replace(/^\[|\]$/g, '')
          .split(/[\s,]+/)
          .filter(Boolean)
      : [];
  return [...new Set(values.filter(isRole))];
}

/**
 * Returns the caller, or undefined when the request carries neither verified claims nor an IAM principal that is a
 * configured integration. `requestContext` is written by API Gateway, never by the client, so both are trustworthy.
 */
export function readCaller(
  event: Pick<APIGatewayProxyEvent, 'requestContext'>,
  integrations: readonly IntegrationCaller[] = [],
): Caller | undefined {
  const claims = event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
  const sourceIp = event.requestContext?.identity?.sourceIp ?? undefined;
  if (!claims) return readIntegrationCaller(event, integrations, sourceIp);
  const subject = claims[CLAIMS.subject];
  if (typeof subject !== 'string' || subject.length === 0) return undefined;
  const username = claims[CLAIMS.username];
  const audience = claims[CLAIMS.audience];
  return {
    userId: subject,
    username: typeof username === 'string' ? username : subject,
    roles: parseGroups(claims[CLAIMS.groups]),
    clientId: typeof audience === 'string' ? audience : undefined,
    sourceIp,
  };
}

function readIntegrationCaller(
  event: Pick<APIGatewayProxyEvent, 'requestContext'>,
  integrations: readonly IntegrationCaller[],
  sourceIp: string | undefined,
): Caller | undefined {
  const principalArn = event.requestContext?.identity?.userArn;
  if (!principalArn || integrations.length === 0) return undefined;
  const integration = findIntegrationCaller(integrations, principalArn);
  if (!integration) return undefined;
  return {
    userId: `${INTEGRATION_USER_PREFIX}${integration.name}`,
    username: integration.name,
    roles: [...integration.roles],
    clientId: undefined,
    sourceIp,
    integration: integration.name,
  };
}
