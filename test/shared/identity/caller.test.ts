import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { parseGroups, readCaller } from '../../../shared/identity/caller.ts';

const eventWith = (claims: Record<string, string> | undefined) =>
  ({
    requestContext: { authorizer: claims ? { claims } : null, identity: { sourceIp: '10.0.0.1' } },
  }) as unknown as APIGatewayProxyEvent;

describe('parseGroups', () => {
  it.each([
    ['physician', ['physician']],
    ['physician,billing', ['physician', 'billing']],
    ['[nurse admin]', ['nurse', 'admin']],
    ['physician,superuser', ['physician']],
    ['', []],
  ])('reads %j as %j, ignoring unknown groups', (raw, roles) => {
    expect(parseGroups(raw)).toEqual(roles);
  });
});

describe('readCaller', () => {
  it('reads the subject, username, roles, client and source IP from authorizer claims', () => {
    const caller = readCaller(
      eventWith({ sub: 'u-1', 'cognito:username': 'dr.lee', 'cognito:groups': 'physician', aud: 'ehr-app' }),
    );
    expect(caller).toEqual({
      userId: 'u-1',
      username: 'dr.lee',
      roles: ['physician'],
      clientId: 'ehr-app',
      sourceIp: '10.0.0.1',
    });
  });

  it('returns undefined without claims or without a subject', () => {
    expect(readCaller(eventWith(undefined))).toBeUndefined();
    expect(readCaller(eventWith({ 'cognito:groups': 'admin' }))).toBeUndefined();
  });

  describe('for a server-to-server integration signed with IAM', () => {
    const integrations = [
      { name: 'ehr-bridge', principalArn: 'arn:aws:iam::111122223333:role/ehr-bridge', roles: ['nurse' as const] },
    ];
    const signedBy = (userArn: string) =>
      ({
        requestContext: { authorizer: null, identity: { sourceIp: '10.0.0.9', userArn } },
      }) as unknown as APIGatewayProxyEvent;

    it('acts as the configured integration, named as such for the audit trail', () => {
      const caller = readCaller(signedBy('arn:aws:sts::111122223333:assumed-role/ehr-bridge/session-1'), integrations);
      expect(caller).toEqual({
        userId: 'integration:ehr-bridge',
        username: 'ehr-bridge',
        roles: ['nurse'],
        clientId: undefined,
        sourceIp: '10.0.0.9',
        integration: 'ehr-bridge',
      });
    });

    it('admits no other principal, and none at all when no integration is configured', () => {
      expect(readCaller(signedBy('arn:aws:sts::111122223333:assumed-role/other/s'), integrations)).toBeUndefined();
      expect(readCaller(signedBy('arn:aws:sts::111122223333:assumed-role/ehr-bridge/s'))).toBeUndefined();
    });

    it('prefers Cognito claims when both are present', () => {
      const event = {
        requestContext: {
          authorizer: { claims: { sub: 'u-2', 'cognito:groups': 'billing' } },
          identity: { userArn: 'arn:aws:sts::111122223333:assumed-role/ehr-bridge/s' },
        },
      } as unknown as APIGatewayProxyEvent;
      expect(readCaller(event, integrations)?.userId).toBe('u-2');
    });
  });
});
