import { describe, expect, it } from 'vitest';
import { buildAwsPorts } from '../../../shared/runtime/aws-ports.ts';

const env = {
  AWS_REGION: 'us-east-1',
  EVENT_BUS_NAME: 'cag-bus',
  TABLE_VAULT: 'cag-vault-table',
  VAULT_KEY_ID: 'arn:aws:kms:us-east-1:111122223333:key/vault',
  TOKEN_MAC_KEY_ID: 'arn:aws:kms:us-east-1:111122223333:key/mac',
  VAULT_RETENTION_DAYS: '90',
};

describe('buildAwsPorts', () => {
  it('builds the AWS adapters, reporting each port as aws', () => {
    const ports = buildAwsPorts(env);
    expect(ports.runtime).toBe('aws');
    expect(ports.events.name).toBe('EventBridgePublisher');
    expect(ports.tokenVault.name).toBe('DynamoDbTokenVault');
    expect(ports.phiDetector.name).toBe('ensemble(comprehend-medical+local-rules)');
    expect(Object.values(ports.adapters).every((adapter) => adapter.kind === 'aws')).toBe(true);
  });

  it('runs the detectors PHI_DETECTORS names', () => {
    expect(buildAwsPorts({ ...env, PHI_DETECTORS: 'comprehend-medical' }).phiDetector.name).toBe(
      'ensemble(comprehend-medical)',
    );
    expect(() => buildAwsPorts({ ...env, PHI_DETECTORS: 'magic' }).phiDetector).toThrow(/Unknown PHI detector magic/);
  });

  it('has no push channel in AWS: push reports unavailable, health says so, and only handing out the URL needs it', async () => {
    const ports = buildAwsPorts(env);
    expect(ports.connections.name).toBe('UnavailableConnectionPush');
    expect(await ports.connections.push('connection-1', { type: 'partial', seq: 0 })).toBe('unavailable');
    expect(ports.adapters.connections?.limitation).toMatch(/no partial results in AWS/);
    // The message function has no socket URL: pushing must not need it; handing it out (open) does.
    expect(() => ports.connections.socketUrl).toThrow('Environment variable ENCOUNTER_SOCKET_URL is required');
    const withUrl = buildAwsPorts({
      ...env,
      ENCOUNTER_SOCKET_URL: 'wss://abc.execute-api.us-east-1.amazonaws.com/dev',
    });
    expect(withUrl.connections.socketUrl).toBe('wss://abc.execute-api.us-east-1.amazonaws.com/dev');
  });

  it('builds a port only when used, failing with the name of the missing variable', () => {
    const { VAULT_KEY_ID: _, ...withoutVaultKey } = env;
    const ports = buildAwsPorts(withoutVaultKey);
    expect(ports.events.name).toBe('EventBridgePublisher');
    expect(() => ports.tokenVault).toThrow('Environment variable VAULT_KEY_ID is required');
    expect(() => buildAwsPorts({})).toThrow('Environment variable AWS_REGION is required');
  });
});
