import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type GatewayStacks } from '../../../infra/cdk-app.ts';
import { loadDeploymentConfig } from '../../../infra/config.ts';
import type { HardenedFunction } from '../../../infra/constructs/hardened-function.ts';
import { topology } from '../../../infra/topology/index.ts';
import { acknowledgements, asArray, cdkJsonContext, type PolicyStatementJson } from '../stacks/synthesized-gateway.ts';

const config = loadDeploymentConfig({ deployment: 'dev' });

/** A resolved CloudFormation value as text: `${AWS::Region}` for a Ref, `import(<name>)` for an import. */
function render(value: unknown): string {
  if (typeof value === 'string') return value;
  const intrinsic = value as Record<string, unknown>;
  if ('Fn::Join' in intrinsic) {
    const [delimiter, parts] = intrinsic['Fn::Join'] as [string, unknown[]];
    return parts.map(render).join(delimiter);
  }
  if ('Ref' in intrinsic) return `\${${String(intrinsic.Ref)}}`;
  if ('Fn::ImportValue' in intrinsic) return `import(${render(intrinsic['Fn::ImportValue'])})`;
  return JSON.stringify(value);
}

const ec2Arn = (resource: string) => `arn:\${AWS::Partition}:ec2:\${AWS::Region}:\${AWS::AccountId}:${resource}`;

describe('the hardened function baseline', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'cag-hardened-'));
  let stacks: GatewayStacks;
  let app: ReturnType<typeof buildApp>['app'];

  // Built, not synthesized: the policies are read from the constructs; test/infra/cdk-app.test.ts runs the packs.
  beforeAll(() => {
    ({ app, stacks } = buildApp({ config, topology, bundle: false, outdir, context: cdkJsonContext() }));
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  /** Every statement of the function's own policies: its grants, its runtime policy and its network policy. */
  const statementsOf = (fn: HardenedFunction | undefined): PolicyStatementJson[] => {
    if (!fn) throw new Error('no such function');
    return fn.node
      .findAll()
      .filter((construct): construct is iam.ManagedPolicy => construct instanceof iam.ManagedPolicy)
      .flatMap(
        (policy) => (Stack.of(fn).resolve(policy.document.toJSON()) as { Statement: PolicyStatementJson[] }).Statement,
      );
  };

  it("scopes network-interface creation to the function's subnets, its security group and this account's interfaces", () => {
    const fn = stacks.service.functions.auditWriter;
    const statements = statementsOf(fn).filter((statement) =>
      [statement.Action].flat().includes('ec2:CreateNetworkInterface'),
    );
    const network = stacks.network.network;
    const subnetArns = network.vpc
      .selectSubnets(network.subnets)
      .subnetIds.map((id) => ec2Arn(`subnet/${render(Stack.of(fn as HardenedFunction).resolve(id))}`));
    expect(subnetArns).toHaveLength(config.maxAzs);
    expect(statements).toHaveLength(1);
    expect(statements[0]?.Action).toBe('ec2:CreateNetworkInterface');
    const securityGroupId = render(Stack.of(fn as HardenedFunction).resolve(network.securityGroup.securityGroupId));
    expect(new Set(asArray(statements[0]?.Resource).map(render))).toEqual(
      new Set([...subnetArns, ec2Arn(`security-group/${securityGroupId}`), ec2Arn('network-interface/*')]),
    );
  });

  it("lets the function delete and re-address only this account and region's network interfaces", () => {
    const manage = statementsOf(stacks.service.functions.auditWriter).filter((statement) =>
      [statement.Action]
        .flat()
        .some((action) =>
          ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'].includes(
            action,
          ),
        ),
    );
    expect(manage).toHaveLength(1);
    expect([manage[0]?.Action].flat().sort()).toEqual([
      'ec2:AssignPrivateIpAddresses',
      'ec2:DeleteNetworkInterface',
      'ec2:UnassignPrivateIpAddresses',
    ]);
    expect(asArray(manage[0]?.Resource).map(render)).toEqual([ec2Arn('network-interface/*')]);
  });

  it('keeps only the actions without resource-level permissions on "*", as the acknowledgement says', () => {
    for (const [name, fn] of Object.entries(stacks.service.functions)) {
      // Capability grants on "*" (Comprehend Medical, Transcribe) have policies and acknowledgements of their own.
      const baseline = statementsOf(fn)
        .filter((statement) => statement.Resource === '*')
        .flatMap((statement) => [statement.Action].flat())
        .filter((action) => !/^(comprehendmedical|transcribe):/.test(action));
      const expected = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
      if (!topology.functions[name]?.network) expected.push('ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets');
      expect(new Set(baseline), name).toEqual(new Set(expected));
    }
    const reasons = acknowledgements(app).filter(
      (ack) => ack.constructPath.endsWith('/RuntimePolicy') && ack.rule === 'AwsSolutions-IAM5[Resource::*]',
    );
    expect(reasons.length).toBe(Object.keys(topology.functions).length);
    for (const { reason } of reasons) expect(reason).not.toMatch(/network-interface actions/);
  });

  it('gives the function outside the VPC no network-interface permission at all', () => {
    const actions = statementsOf(stacks.service.functions.encounterAuthorizer).flatMap((statement) =>
      [statement.Action].flat(),
    );
    expect(actions.filter((action) => action.startsWith('ec2:'))).toEqual([]);
  });
});
