import { describe, expect, it } from 'vitest';
import { DEPLOYMENT_PROFILES, loadDeploymentConfig, stackPrefix } from '../../infra/config.ts';

const PROD_EMAIL = { alarmEmail: 'privacy-officer@practice.example' };

describe('loadDeploymentConfig', () => {
  it('loads the dev profile as declared, with no overrides', () => {
    const config = loadDeploymentConfig({ deployment: 'dev' });

    expect(config).toMatchObject({ environment: 'dev', apiEndpointType: 'REGIONAL', maxAzs: 2 });
    expect(config.auditRetentionYears).toBeGreaterThanOrEqual(6);
    expect(config.reservedConcurrency).toEqual({ default: 5, functions: {} });
    expect(config.alarmEmail).toBeUndefined();
  });

  it('loads the prod profile once the alarm email it requires is given', () => {
    const config = loadDeploymentConfig({ deployment: 'prod', deploymentOverrides: PROD_EMAIL });

    expect(config).toMatchObject({ environment: 'prod', trailObjectLockMode: 'COMPLIANCE', ...PROD_EMAIL });
    expect(config.maxAzs).toBeGreaterThanOrEqual(2);
  });

  it('locks audit evidence in GOVERNANCE mode in dev and COMPLIANCE mode in prod, for at least six years', () => {
    const dev = loadDeploymentConfig({ deployment: 'dev' });
    const prod = loadDeploymentConfig({ deployment: 'prod', deploymentOverrides: PROD_EMAIL });

    expect([dev.trailObjectLockMode, prod.trailObjectLockMode]).toEqual(['GOVERNANCE', 'COMPLIANCE']);
    expect(Math.min(dev.auditRetentionYears, prod.auditRetentionYears)).toBeGreaterThanOrEqual(6);
  });

  it('refuses prod without an alarm email and names the field', () => {
    expect(() => loadDeploymentConfig({ deployment: 'prod' })).toThrow(
      /^Invalid deployment config: alarmEmail: required in prod/,
    );
  });

  it('applies overrides given as an object or as the JSON string `-c` passes', () => {
    const fromObject = loadDeploymentConfig({ deployment: 'dev', deploymentOverrides: { practiceName: 'Riverside' } });
    const fromJson = loadDeploymentConfig({ deployment: 'dev', deploymentOverrides: '{"practiceName":"Riverside"}' });

    expect(fromObject.practiceName).toBe('Riverside');
    expect(fromJson).toEqual(fromObject);
  });

  it('merges a per-function concurrency override into the profile default', () => {
    const config = loadDeploymentConfig({
      deployment: 'dev',
      deploymentOverrides: { reservedConcurrency: { functions: { deidentify: 12 } } },
    });

    expect(config.reservedConcurrency).toEqual({ default: 5, functions: { deidentify: 12 } });
  });

  it.each([
    ['auditRetentionYears', { auditRetentionYears: 5 }],
    ['maxAzs', { maxAzs: 1 }],
    ['vpcCidr', { vpcCidr: '8.8.0.0/16' }],
    ['vpcCidr', { vpcCidr: '10.0.0.0/28' }],
    ['logRetentionDays', { logRetentionDays: 31 }],
    ['apiEndpointType', { apiEndpointType: 'EDGE' }],
    ['trailObjectLockMode', { trailObjectLockMode: 'NONE' }],
    ['reservedConcurrency.default', { reservedConcurrency: { default: 0 } }],
    ['approvedModels.summary', { approvedModels: { summary: 'not a model id' } }],
    ['alarmEmail', { alarmEmail: 'not-an-address' }],
    ['practiceName', { practiceName: 'Clinic; DROP' }],
    ['privateApiClientCidrs', { apiEndpointType: 'PRIVATE' }],
  ])('rejects an invalid %s and names it in the message', (field, overrides) => {
    expect(() => loadDeploymentConfig({ deployment: 'dev', deploymentOverrides: overrides })).toThrow(
      new RegExp(`^Invalid deployment config: (.*; )?${field.replace('.', '\\.')}: `),
    );
  });

  it('rejects a misspelt setting instead of ignoring it', () => {
    expect(() => loadDeploymentConfig({ deployment: 'dev', deploymentOverrides: { maxAz: 3 } })).toThrow(
      'Invalid deployment config: maxAz: unknown setting',
    );
  });

  it('rejects a missing or unknown deployment name', () => {
    expect(() => loadDeploymentConfig({})).toThrow('Invalid deployment config: deployment: expected "dev" or "prod"');
    expect(() => loadDeploymentConfig({ deployment: 'staging' })).toThrow(/deployment: expected/);
  });

  it('rejects overrides that are not a JSON object', () => {
    expect(() => loadDeploymentConfig({ deployment: 'dev', deploymentOverrides: '{oops' })).toThrow(
      'Invalid deployment config: deploymentOverrides: expected a JSON object',
    );
    expect(() => loadDeploymentConfig({ deployment: 'dev', deploymentOverrides: [1] })).toThrow(
      /deploymentOverrides: expected an object/,
    );
  });

  it('does not let overrides mutate the built-in profiles', () => {
    loadDeploymentConfig({ deployment: 'dev', deploymentOverrides: { reservedConcurrency: { default: 99 } } });

    expect(DEPLOYMENT_PROFILES.dev.reservedConcurrency).toEqual({ default: 5 });
  });
});

describe('stackPrefix', () => {
  it('PascalCases the practice name and the environment into a stable stack id prefix', () => {
    expect(stackPrefix({ practiceName: 'Riverside family-medicine', environment: 'prod' })).toBe(
      'Cag-RiversideFamilyMedicine-Prod',
    );
  });
});
