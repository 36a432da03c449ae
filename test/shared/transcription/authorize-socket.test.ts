import { describe, expect, it } from 'vitest';
import { authorizeSocket, UNAUTHORIZED, type VerifyToken } from '../../../shared/transcription/authorize-socket.ts';
import { bearerFromProtocols } from '../../../shared/transcription/socket-protocol.ts';

const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/$connect';

/** Accepts one token and returns Cognito-shaped claims for it. */
const verify: VerifyToken = async (token) => {
  if (token !== 'eyJ.good.sig') throw new Error('invalid signature');
  return {
    sub: 'user-sub-1',
    'cognito:username': 'dr.lee',
    'cognito:groups': ['physician', 'nurse'],
    aud: 'client-1',
    exp: 1_900_000_000,
  };
};

describe('authorizeSocket', () => {
  it('allows the $connect of a verified token and passes its claims on as flat context', async () => {
    const result = await authorizeSocket(
      { methodArn, headers: { 'Sec-WebSocket-Protocol': 'cag.v1, bearer.eyJ.good.sig' } },
      verify,
    );
    expect(result.principalId).toBe('user-sub-1');
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: methodArn },
    ]);
    expect(result.context).toEqual({
      sub: 'user-sub-1',
      'cognito:username': 'dr.lee',
      'cognito:groups': 'physician,nurse',
      aud: 'client-1',
      exp: 1_900_000_000,
    });
  });

  it('refuses a token without an expiry, whose connection could never be cut off', async () => {
    const noExpiry: VerifyToken = async () => ({ sub: 'user-sub-1', 'cognito:groups': ['physician'] });
    await expect(
      authorizeSocket({ methodArn, headers: { 'sec-websocket-protocol': 'cag.v1, bearer.eyJ.good.sig' } }, noExpiry),
    ).rejects.toThrow(UNAUTHORIZED);
  });

  it('refuses with Unauthorized when the token is missing, forged, or has no subject', async () => {
    await expect(authorizeSocket({ methodArn, headers: {} }, verify)).rejects.toThrow(UNAUTHORIZED);
    await expect(
      authorizeSocket({ methodArn, headers: { 'sec-websocket-protocol': 'cag.v1, bearer.forged' } }, verify),
    ).rejects.toThrow(UNAUTHORIZED);
    await expect(
      authorizeSocket({ methodArn, headers: { 'sec-websocket-protocol': 'bearer.eyJ.good.sig' } }, async () => ({})),
    ).rejects.toThrow(UNAUTHORIZED);
  });

  it('finds the bearer among the offered subprotocols, and nothing in an empty or bare offer', () => {
    expect(bearerFromProtocols('cag.v1, bearer.abc.def')).toBe('abc.def');
    expect(bearerFromProtocols('bearer.')).toBeUndefined();
    expect(bearerFromProtocols(undefined)).toBeUndefined();
    expect(bearerFromProtocols('cag.v1')).toBeUndefined();
  });
});
