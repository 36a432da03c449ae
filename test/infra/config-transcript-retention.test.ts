import { describe, expect, it } from 'vitest';
import { loadDeploymentConfig } from '../../infra/config.ts';

describe('deployment config > transcript retention', () => {
  it('defaults to 30 days in both profiles', () => {
    expect(loadDeploymentConfig({ deployment: 'dev' }).transcriptRetentionDays).toBe(30);
    expect(
      loadDeploymentConfig({ deployment: 'prod', deploymentOverrides: { alarmEmail: 'ops@example.org' } })
        .transcriptRetentionDays,
    ).toBe(30);
  });

  it('refuses a retention longer than the vault keeps PHI, or not a whole number of days of at least one', () => {
    expect(() =>
      loadDeploymentConfig({
        deployment: 'dev',
        deploymentOverrides: { transcriptRetentionDays: 31, vaultRetentionDays: 30 },
      }),
    ).toThrow(/transcriptRetentionDays: must not exceed vaultRetentionDays/);
    expect(() =>
      loadDeploymentConfig({ deployment: 'dev', deploymentOverrides: { transcriptRetentionDays: 0 } }),
    ).toThrow(/transcriptRetentionDays/);
    expect(
      loadDeploymentConfig({ deployment: 'dev', deploymentOverrides: { transcriptRetentionDays: 7 } })
        .transcriptRetentionDays,
    ).toBe(7);
  });
});
