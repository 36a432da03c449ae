/**
 * The decision of the encounter socket's `$connect` authorizer: allow the handshake when the bearer token offered as
 * a subprotocol verifies, passing its claims on as context the way API Gateway's Cognito authorizer passes claims.
 */
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { CLAIMS } from '../identity/caller.ts';
import { bearerFromProtocols } from './socket-protocol.ts';

export interface SocketAuthorizerEvent {
  readonly methodArn: string;
  readonly headers?: Readonly<Record<string, string | undefined>> | null;
}

/** Verifies a token and returns its payload; rejects for a forged, expired or foreign token. */
export type VerifyToken = (token: string) => Promise<Readonly<Record<string, unknown>>>;

/** API Gateway answers 401 when an authorizer throws exactly this message. */
export const UNAUTHORIZED = 'Unauthorized';

function protocolHeader(event: SocketAuthorizerEvent): string | undefined {
  for (const [name, value] of Object.entries(event.headers ?? {})) {
    if (name.toLowerCase() === 'sec-websocket-protocol') return value;
  }
  return undefined;
}

export async function authorizeSocket(
  event: SocketAuthorizerEvent,
  verify: VerifyToken,
): Promise<APIGatewayAuthorizerResult> {
  const token = bearerFromProtocols(protocolHeader(event));
  if (!token) throw new Error(UNAUTHORIZED);
  let payload: Readonly<Record<string, unknown>>;
  try {
    payload = await verify(token);
  } catch {
    throw new Error(UNAUTHORIZED);
  }
  const subject = payload[CLAIMS.subject];
  if (typeof subject !== 'string' || subject.length === 0) throw new Error(UNAUTHORIZED);
  const groups = payload[CLAIMS.groups];
  const username = payload[CLAIMS.username];
  const audience = payload[CLAIMS.audience];
  // The token's expiry goes with the connection, so that segments stop when the token would have (a connection
  // outlives its handshake by up to two hours).
  const expiresAt = payload.exp;
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) throw new Error(UNAUTHORIZED);
  return {
    principalId: subject,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }],
    },
    // Context values must be strings, numbers or booleans; lists are comma-joined as REST authorizer claims are.
    context: {
      [CLAIMS.subject]: subject,
      [CLAIMS.username]: typeof username === 'string' ? username : subject,
      [CLAIMS.groups]: Array.isArray(groups) ? groups.map(String).join(',') : '',
      [CLAIMS.audience]: typeof audience === 'string' ? audience : '',
      exp: expiresAt,
    },
  };
}
