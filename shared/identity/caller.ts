/** Reads who is calling from API Gateway's Cognito authorizer claims; the local runtime fills the same claims. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { isRole, type Role } from './roles.ts';

export interface Caller {
  readonly userId: string;
  readonly username: string;
  readonly roles: readonly Role[];
  /** The app client (EHR or portal integration) the token was issued to, when known. */
  readonly clientId: string | undefined;
  readonly sourceIp: string | undefined;
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

/** Returns the caller, or undefined when the request carries no verified claims. */
export function readCaller(event: Pick<APIGatewayProxyEvent, 'requestContext'>): Caller | undefined {
  const claims = event.requestContext?.authorizer?.claims as Record<string, unknown> | undefined;
  const subject = claims?.[CLAIMS.subject];
  if (!claims || typeof subject !== 'string' || subject.length === 0) return undefined;
  const username = claims[CLAIMS.username];
  const audience = claims[CLAIMS.audience];
  return {
    userId: subject,
    username: typeof username === 'string' ? username : subject,
    roles: parseGroups(claims[CLAIMS.groups]),
    clientId: typeof audience === 'string' ? audience : undefined,
    sourceIp: event.requestContext.identity?.sourceIp ?? undefined,
  };
}
