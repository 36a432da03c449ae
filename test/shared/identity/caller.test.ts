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
});
