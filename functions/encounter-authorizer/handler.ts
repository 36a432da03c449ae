/**
 * The encounter WebSocket API's REQUEST authorizer (AWS only; the local gateway verifies dev tokens itself): verifies
 * the Cognito ID token the client offered as the `bearer.<JWT>` subprotocol. The token travels in
 * `Sec-WebSocket-Protocol` rather than the query string, which API Gateway writes to access logs.
 */
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { log } from '../../shared/observability/telemetry.ts';
import { ENV } from '../../shared/runtime/environment-names.ts';
import {
  authorizeSocket,
  type SocketAuthorizerEvent,
  type VerifyToken,
} from '../../shared/transcription/authorize-socket.ts';

let verify: VerifyToken | undefined;

/** Built on first use, so the module also loads where it never runs (the local runtime iterates the topology). */
function cognitoVerifier(): VerifyToken {
  const userPoolId = process.env[ENV.socketUserPoolId];
  if (!userPoolId) throw new Error(`Environment variable ${ENV.socketUserPoolId} is required`);
  // Any app client of the pool, as the REST API's Cognito authorizer accepts; the JWKS is fetched once per cold start.
  const verifier = CognitoJwtVerifier.create({ userPoolId, tokenUse: 'id', clientId: null });
  return async (token) => (await verifier.verify(token)) as Record<string, unknown>;
}

export async function handler(event: SocketAuthorizerEvent): Promise<APIGatewayAuthorizerResult> {
  verify ??= cognitoVerifier();
  try {
    return await authorizeSocket(event, verify);
  } catch (error) {
    log.info('socket handshake refused');
    throw error;
  }
}
