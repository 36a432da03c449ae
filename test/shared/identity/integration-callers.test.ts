import { describe, expect, it } from 'vitest';
import {
  findIntegrationCaller,
  type IntegrationCaller,
  IntegrationCallers,
} from '../../../shared/identity/integration-callers.ts';

const ehr: IntegrationCaller = {
  name: 'ehr-bridge',
  principalArn: 'arn:aws:iam::111122223333:role/integrations/ehr-bridge',
  roles: ['nurse'],
};
const billing: IntegrationCaller = {
  name: 'clearinghouse',
  principalArn: 'arn:aws:iam::444455556666:user/clearinghouse',
  roles: ['billing'],
};

describe('IntegrationCallers', () => {
  it('accepts roles and users with distinct names and principals', () => {
    expect(IntegrationCallers.parse([ehr, billing])).toEqual([ehr, billing]);
  });

  it.each([
    ['an admin role', { ...ehr, roles: ['admin'] }],
    ['a physician role, whose access follows a personal panel', { ...ehr, roles: ['physician'] }],
    ['the privacy officer role', { ...ehr, roles: ['privacy-officer'] }],
    ['no role', { ...ehr, roles: [] }],
    ['a principal that is not an IAM role or user', { ...ehr, principalArn: 'arn:aws:sts::111122223333:root' }],
    ['a name with capitals', { ...ehr, name: 'EHR' }],
  ])('refuses %s', (_what, caller) => {
    expect(IntegrationCallers.safeParse([caller]).success).toBe(false);
  });

  it('refuses two entries with the same name or the same principal', () => {
    expect(IntegrationCallers.safeParse([ehr, { ...billing, name: ehr.name }]).success).toBe(false);
    expect(IntegrationCallers.safeParse([ehr, { ...billing, principalArn: ehr.principalArn }]).success).toBe(false);
  });
});

describe('findIntegrationCaller', () => {
  it('matches a session of the configured role, whose ARN carries no IAM path', () => {
    const session = 'arn:aws:sts::111122223333:assumed-role/ehr-bridge/i-0abc123';
    expect(findIntegrationCaller([ehr, billing], session)).toBe(ehr);
  });

  it('matches the configured IAM user itself', () => {
    expect(findIntegrationCaller([ehr, billing], billing.principalArn)).toBe(billing);
  });

  it.each([
    ['the same role name in another account', 'arn:aws:sts::999999999999:assumed-role/ehr-bridge/s'],
    ['another role in the same account', 'arn:aws:sts::111122223333:assumed-role/ehr-bridge-test/s'],
    ['a user named like the role', 'arn:aws:iam::111122223333:user/ehr-bridge'],
    ['something that is not an ARN', 'ehr-bridge'],
  ])('matches nothing for %s', (_what, arn) => {
    expect(findIntegrationCaller([ehr, billing], arn)).toBeUndefined();
  });
});
