/**
 * Local identities: signs and verifies development JWTs shaped like Cognito ID tokens, and turns a verified
 * token into the string claims API Gateway's Cognito authorizer passes to Lambda.
 */
import { join } from 'node:path';
import { jwtVerify, SignJWT } from 'jose';
import { loadOrCreateKeyFile } from '../../shared/adapters/local/local-key-file.ts';
import { CLAIMS } from '../../shared/identity/caller.ts';
import type { Role } from '../../shared/identity/roles.ts';

export const DEV_ISSUER = 'clinical-ai-gateway-local';
export const DEV_AUDIENCE = 'local-dev-client';
const KEY_FILE = 'dev-jwt.key';

/** Reads the local signing key from the data folder, creating a random one (mode 0600) on first use. */
export function loadDevSigningKey(dataDir: string): Promise<Uint8Array> {
  return loadOrCreateKeyFile(join(dataDir, KEY_FILE));
}

export interface DevTokenRequest {
  readonly userId: string;
  readonly roles: readonly Role[];
  readonly ttlSeconds?: number;
}

/** The claim of a development token that acts as a server-to-server integration instead of a person. */
export const DEV_INTEGRATION_CLAIM = 'integration';

/** Signs a token the local gateway turns into the IAM principal of `integration`, as SigV4 would in AWS. */
export async function signDevIntegrationToken(
  key: Uint8Array,
  request: { readonly integration: string; readonly ttlSeconds?: number },
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ [DEV_INTEGRATION_CLAIM]: request.integration })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(`integration-${request.integration}`)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (request.ttlSeconds ?? 8 * 3600))
    .sign(key);
}

export async function signDevToken(key: Uint8Array, request: DevTokenRequest): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    [CLAIMS.username]: request.userId,
    [CLAIMS.groups]: [...request.roles],
    token_use: 'id',
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(`local-${request.userId}`)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + (request.ttlSeconds ?? 8 * 3600))
    .sign(key);
}

/**
 * Verifies a bearer token and returns authorizer claims as API Gateway's Cognito authorizer delivers them:
 * every value a string, lists comma-joined. Returns undefined for a missing, forged or expired token.
 */
export async function verifyDevToken(key: Uint8Array, token: string): Promise<Record<string, string> | undefined> {
  try {
    const { payload } = await jwtVerify(token, key, {
      issuer: DEV_ISSUER,
      audience: DEV_AUDIENCE,
      algorithms: ['HS256'],
    });
    const claims: Record<string, string> = {};
    for (const [name, value] of Object.entries(payload)) {
      claims[name] = Array.isArray(value) ? value.join(',') : String(value);
    }
    return claims;
  } catch {
    return undefined;
  }
}
