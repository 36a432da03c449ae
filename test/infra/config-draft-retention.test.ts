import { describe, expect, it } from 'vitest';
import { loadDeploymentConfig } from '../../infra/config.ts';

describe('deployment config > draft retention', () => {
  it('defaults to 30 days in both profiles', () => {
    expect(loadDeploymentConfig({ deployment: 'dev' }).draftRetentionDays).toBe(30);
    expect(
      loadDeploymentConfig({ deployment: 'prod', deploymentOverrides: { alarmEmail: 'ops@example.org' } })
        .draftRetentionDays,
    ).toBe(30);
  });

  it('refuses a retention longer than the vault keeps the tokens a draft is re-identified from', () => {
    expect(() =>
      loadDeploymentConfig({
        deployment: 'dev',
        deploymentOverrides: { draftRetentionDays: 31, vaultRetentionDays: 30 },
      }),
    ).toThrow(/draftRetentionDays: must not exceed vaultRetentionDays/);
    expect(
      loadDeploymentConfig({ deployment: 'dev', deploymentOverrides: { draftRetentionDays: 7 } }).draftRetentionDays,
    ).toBe(7);
  });

  it('refuses a retention that is not a whole number of days of at least one', () => {
    expect(() => loadDeploymentConfig({ deployment: 'dev', deploymentOverrides: { draftRetentionDays: 0 } })).toThrow(
      /draftRetentionDays/,
    );
    expect(() => loadDeploymentConfig({ deployment: 'dev', deploymentOverrides: { draftRetentionDays: 1.5 } })).toThrow(
      /draftRetentionDays/,
    );
  });
});
