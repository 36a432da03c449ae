import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type App, Stack } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type GatewayStacks } from '../../../infra/cdk-app.ts';
import { loadDeploymentConfig } from '../../../infra/config.ts';
import { topology } from '../../../infra/topology/index.ts';
import { acknowledgements, cdkJsonContext } from './synthesized-gateway.ts';

const REPLICATION_RULES = ['HIPAA.Security-S3BucketReplicationEnabled', 'NIST.800.53.R5-S3BucketReplicationEnabled'];

describe('the audit stack', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'cag-audit-stack-'));
  let app: App;
  let stacks: GatewayStacks;

  // Built, not synthesized: acknowledgements are construct metadata; test/infra/cdk-app.test.ts runs the packs.
  beforeAll(() => {
    const config = loadDeploymentConfig({ deployment: 'prod', deploymentOverrides: { alarmEmail: 'ops@example.org' } });
    ({ app, stacks } = buildApp({ config, topology, bundle: false, outdir, context: cdkJsonContext() }));
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  const replicationReasonsOf = (bucket: s3.Bucket) => {
    const path = (bucket.node.defaultChild as s3.CfnBucket).node.path;
    return acknowledgements(app)
      .filter((ack) => ack.constructPath === path && REPLICATION_RULES.includes(ack.rule))
      .map((ack) => ack.reason);
  };

  it('credits Object Lock against deletion only for buckets that have it', () => {
    const { audit } = stacks;
    for (const bucket of [audit.archive, audit.trailBucket, audit.accessLogs]) {
      const reasons = replicationReasonsOf(bucket);
      expect(reasons, bucket.node.path).toHaveLength(REPLICATION_RULES.length);
      const locked = (bucket.node.defaultChild as s3.CfnBucket).objectLockEnabled === true;
      for (const reason of reasons) {
        expect(/Object Lock[^.]*guard/.test(reason), `${bucket.node.path}: ${reason}`).toBe(locked);
      }
    }
  });

  it('states what protects the access logs: RETAIN and 90 days of noncurrent versions, as configured', () => {
    const bucket = stacks.audit.accessLogs;
    const cfn = bucket.node.defaultChild as s3.CfnBucket;
    const lifecycle = Stack.of(bucket).resolve(cfn.lifecycleConfiguration) as {
      rules: { noncurrentVersionExpiration?: { noncurrentDays: number } }[];
    };
    const noncurrentDays = lifecycle.rules.map((rule) => rule.noncurrentVersionExpiration?.noncurrentDays);
    expect(noncurrentDays).toEqual([90]);
    expect(cfn.objectLockEnabled).toBeUndefined();
    expect(cfn.cfnOptions.deletionPolicy).toBe('Retain');
    for (const reason of replicationReasonsOf(bucket)) {
      expect(reason).toMatch(/RETAIN/);
      expect(reason).toMatch(/recoverable for 90 days/);
    }
  });
});
