import { describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/cdk-app.ts';
import {
  assertReservedConcurrencyFits,
  DEPLOYMENT_PROFILES,
  loadDeploymentConfig,
  UNRESERVED_CONCURRENCY_MINIMUM,
} from '../../infra/config.ts';
import { topology } from '../../infra/topology/index.ts';

const functionNames = Object.keys(topology.functions);
const prod = (overrides: Record<string, unknown> = {}) =>
  loadDeploymentConfig({ deployment: 'prod', deploymentOverrides: { alarmEmail: 'ops@example.org', ...overrides } });

describe('deployment config > reserved concurrency against the account quota', () => {
  it('fits both profiles into the standard quota of 1,000 concurrent executions', () => {
    for (const config of [loadDeploymentConfig({ deployment: 'dev' }), prod()]) {
      expect(config.accountConcurrencyLimit).toBe(1_000);
      expect(() => assertReservedConcurrencyFits(config, functionNames)).not.toThrow();
    }
    const reserved = functionNames.length * prod().reservedConcurrency.default;
    expect(reserved + UNRESERVED_CONCURRENCY_MINIMUM).toBeLessThanOrEqual(1_000);
  });

  it('refuses reservations that leave Lambda fewer than 100 unreserved, naming the numbers and both remedies', () => {
    const config = prod({ reservedConcurrency: { default: 20 } });
    const reserved = functionNames.length * 20;
    const failure = (() => {
      try {
        assertReservedConcurrencyFits(config, functionNames);
      } catch (error) {
        return String(error);
      }
      return 'no error';
    })();
    expect(failure).toContain(`${functionNames.length} functions reserve ${reserved}`);
    expect(failure).toContain(`needs ${reserved + 100}`);
    expect(failure).toContain('accountConcurrencyLimit is 1000');
    expect(failure).toMatch(/quota .*set accountConcurrencyLimit/);
    expect(failure).toMatch(/lower reservedConcurrency/);
  });

  it('counts per-function overrides instead of the default', () => {
    const names = ['a', 'b', 'c'];
    const config = { reservedConcurrency: { default: 10, functions: { c: 800 } }, accountConcurrencyLimit: 919 };
    expect(() => assertReservedConcurrencyFits(config, names)).toThrow(/reserve 820 .*needs 920/);
    expect(() => assertReservedConcurrencyFits({ ...config, accountConcurrencyLimit: 920 }, names)).not.toThrow();
  });

  it('accepts the same reservations once the configured quota has been raised', () => {
    const config = prod({ reservedConcurrency: { default: 20 }, accountConcurrencyLimit: 2_000 });
    expect(() => assertReservedConcurrencyFits(config, functionNames)).not.toThrow();
  });

  it('stops the app from being built, before any stack, when the reservations do not fit', () => {
    expect(() => buildApp({ config: prod({ reservedConcurrency: { default: 20 } }), topology, bundle: false })).toThrow(
      /accountConcurrencyLimit/,
    );
  });

  it('refuses a quota below what Lambda keeps unreserved', () => {
    expect(() => prod({ accountConcurrencyLimit: 99 })).toThrow(/accountConcurrencyLimit/);
    expect(DEPLOYMENT_PROFILES.prod.reservedConcurrency).toEqual({ default: 15 });
  });
});

describe('deployment config > Bedrock Guardrail', () => {
  it('is optional, and takes an id and a version', () => {
    expect(prod().bedrockGuardrail).toBeUndefined();
    expect(prod({ bedrockGuardrail: { id: 'gr7x2k9q4m1z', version: '3' } }).bedrockGuardrail).toEqual({
      id: 'gr7x2k9q4m1z',
      version: '3',
    });
  });

  it('refuses an ARN, a missing version or a malformed one', () => {
    const arn = 'arn:aws:bedrock:us-east-1:123456789012:guardrail/gr7x2k9q4m1z';
    expect(() => prod({ bedrockGuardrail: { id: arn, version: '1' } })).toThrow(/bedrockGuardrail.id/);
    expect(() => prod({ bedrockGuardrail: { id: 'gr7x2k9q4m1z' } })).toThrow(/bedrockGuardrail.version/);
    expect(() => prod({ bedrockGuardrail: { id: 'gr7x2k9q4m1z', version: 'v1' } })).toThrow(/bedrockGuardrail.version/);
  });

  it('allows the DRAFT version in dev only: in prod the guardrail must not change without a deploy', () => {
    const draft = { bedrockGuardrail: { id: 'gr7x2k9q4m1z', version: 'DRAFT' } };
    expect(loadDeploymentConfig({ deployment: 'dev', deploymentOverrides: draft }).bedrockGuardrail?.version).toBe(
      'DRAFT',
    );
    expect(() => prod(draft)).toThrow(/bedrockGuardrail.version: must be a published version in prod/);
  });
});
