import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, Stack, Token, Validations } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { CfnRole } from 'aws-cdk-lib/aws-iam';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import type { CfnBucket } from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { CURRENT_VERSION_EXPIRED_FLAGS } from 'aws-cdk-lib/cx-api';
import { AwsSolutionsChecks, HIPAASecurityChecks, NIST80053R5Checks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp, PROJECT_ROOT } from '../../infra/cdk-app.ts';
import { type DeploymentConfig, loadDeploymentConfig } from '../../infra/config.ts';
import { TABLE_ACTIONS, tableGrantSid } from '../../infra/constructs/bind-table.ts';
import type { EncounterWebSocketApi } from '../../infra/constructs/encounter-websocket-api.ts';
import { GATEWAY_ERROR_RESPONSES } from '../../infra/constructs/gateway-error-responses.ts';
import { pascalCase } from '../../infra/constructs/pascal-case.ts';
import { FUNCTION_API_ENDPOINTS } from '../../infra/stacks/network-stack.ts';
import { FUNCTION_DEFAULTS } from '../../infra/stacks/service-stack.ts';
import { topology } from '../../infra/topology/index.ts';
import { defineTopology } from '../../infra/topology/types.ts';
import { ROLES } from '../../shared/identity/roles.ts';
import { tableEnvVar } from '../../shared/runtime/table-env.ts';
import {
  acknowledgements,
  apiRoutes,
  asArray,
  cdkJsonContext,
  identityStatements,
  reportedFindings,
  resourcesOf,
  type SynthesizedGateway,
  synthesizeGateway,
} from './stacks/synthesized-gateway.ts';

// Synthesis with three rule packs takes seconds; each configuration is synthesized once and shared.
const SYNTH_TIMEOUT = 120_000;
const NAG_PACKS = ['AwsSolutions', 'HIPAA.Security', 'NIST.800.53.R5'];

const CONFIGS: Record<'dev' | 'prod', DeploymentConfig> = {
  dev: loadDeploymentConfig({ deployment: 'dev' }),
  prod: loadDeploymentConfig({ deployment: 'prod', deploymentOverrides: { alarmEmail: 'oncall@practice.example' } }),
};

/** Services the functions call through interface endpoints, by the suffix of their endpoint service name. */
const REQUIRED_ENDPOINTS = [
  'events',
  'kms',
  'logs',
  'monitoring',
  'xray',
  'sqs',
  'sns',
  'sts',
  'bedrock-runtime',
  'comprehendmedical',
  'transcribestreaming',
];

const PUBLIC_ACCESS_BLOCKED = {
  BlockPublicAcls: true,
  BlockPublicPolicy: true,
  IgnorePublicAcls: true,
  RestrictPublicBuckets: true,
};

type CfnResourceJson = { Properties: Record<string, unknown>; DeletionPolicy?: string };
type AdvancedEventSelector = {
  Name?: string;
  FieldSelectors: { Field: string; Equals?: unknown[]; StartsWith?: unknown[] }[];
};

/** Which of `logicalIds` a cross-stack `Fn::ImportValue` of a resource's `Arn` attribute refers to. */
function importedLogicalId(value: unknown, logicalIds: readonly string[]): string | undefined {
  const exportName = String((value as { 'Fn::ImportValue'?: unknown })['Fn::ImportValue'] ?? '');
  return logicalIds.find((id) => exportName.includes(`FnGetAtt${id}Arn`));
}

/** The trail's advanced event selector for the data events of one resource type, e.g. `AWS::S3::Object`. */
function dataEventSelector(template: Template, resourceType: string): AdvancedEventSelector | undefined {
  const [, trail] = resourcesOf(template, 'AWS::CloudTrail::Trail')[0] ?? [];
  const selectors = (trail?.Properties?.AdvancedEventSelectors ?? []) as AdvancedEventSelector[];
  return selectors.find((selector) =>
    selector.FieldSelectors.some((field) => field.Field === 'resources.type' && field.Equals?.[0] === resourceType),
  );
}

const serviceNameSuffix = (serviceName: unknown): string => {
  const parts = (serviceName as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  return String(parts.at(-1)).replace(/^\./, '');
};

describe.each(['dev', 'prod'] as const)('the %s deployment', (deployment) => {
  const config = CONFIGS[deployment];
  let gateway: SynthesizedGateway;

  beforeAll(() => {
    gateway = synthesizeGateway(config, topology);
  }, SYNTH_TIMEOUT);
  afterAll(() => gateway?.dispose());

  describe('compliance gate', () => {
    it('synthesizes with the HIPAA, AWS Solutions and NIST 800-53 R5 packs leaving no finding, warnings included', () => {
      // Reaching here means app.synth() did not throw on an error finding; the report also holds warnings.
      expect(reportedFindings(gateway.outdir)).toEqual([]);
    });

    it('gives every acknowledgement a specific reason of at least 20 characters', () => {
      const acknowledged = acknowledgements(gateway.app);
      console.info(
        `${deployment}: ${acknowledged.length} acknowledgements\n` +
          acknowledged.map((a) => `  ${a.rule} @ ${a.constructPath}: ${a.reason}`).join('\n'),
      );

      expect(acknowledged.length).toBeGreaterThan(0);
      for (const { rule, reason, constructPath } of acknowledged) {
        expect(reason.trim().length, `${rule} at ${constructPath}`).toBeGreaterThanOrEqual(20);
      }
    });

    it('acknowledges cdk-nag findings on resources, never on a whole stack or the app', () => {
      const stackPaths = new Set(['', ...Object.values(gateway.stacks).map((stack) => stack.node.path)]);
      const broad = acknowledgements(gateway.app).filter((a) => stackPaths.has(a.constructPath));

      expect(broad).toEqual([]);
    });

    it('is environment-agnostic: no stack is pinned to an account or region', () => {
      for (const stack of Object.values(gateway.stacks)) {
        expect(Token.isUnresolved(stack.account), stack.stackName).toBe(true);
        expect(Token.isUnresolved(stack.region), stack.stackName).toBe(true);
      }
    });

    it('names every stack after the practice and environment', () => {
      for (const stack of Object.values(gateway.stacks)) {
        expect(stack.stackName).toMatch(new RegExp(`^Cag-ExamplePractice-${deployment === 'dev' ? 'Dev' : 'Prod'}-`));
      }
    });
  });

  describe('network', () => {
    it('has isolated subnets only: no NAT gateway, internet gateway or public IPs', () => {
      const network = gateway.templates.network;

      network.resourceCountIs('AWS::EC2::NatGateway', 0);
      network.resourceCountIs('AWS::EC2::InternetGateway', 0);
      network.resourceCountIs('AWS::EC2::VPCGatewayAttachment', 0);
      network.resourceCountIs('AWS::EC2::EIP', 0);
      const subnets = resourcesOf(network, 'AWS::EC2::Subnet');
      expect(subnets).toHaveLength(config.maxAzs);
      for (const [, subnet] of subnets) expect(subnet.Properties?.MapPublicIpOnLaunch).toBe(false);
    });

    it('reaches DynamoDB and S3 through gateway endpoints', () => {
      const gateways = resourcesOf(gateway.templates.network, 'AWS::EC2::VPCEndpoint')
        .filter(([, endpoint]) => endpoint.Properties?.VpcEndpointType === 'Gateway')
        .map(([, endpoint]) => serviceNameSuffix(endpoint.Properties?.ServiceName));

      expect(gateways.sort()).toEqual(['dynamodb', 's3']);
    });

    it('has a private-DNS interface endpoint for every AWS API the functions call, closed to all but the functions', () => {
      const network = gateway.templates.network;
      const interfaces = resourcesOf(network, 'AWS::EC2::VPCEndpoint').filter(
        ([, endpoint]) => endpoint.Properties?.VpcEndpointType === 'Interface',
      );
      const services = interfaces.map(([, endpoint]) => serviceNameSuffix(endpoint.Properties?.ServiceName));

      expect(services).toEqual(expect.arrayContaining(REQUIRED_ENDPOINTS));
      expect(interfaces).toHaveLength(Object.keys(FUNCTION_API_ENDPOINTS).length);
      for (const [, endpoint] of interfaces) expect(endpoint.Properties?.PrivateDnsEnabled).toBe(true);

      const groups = new Set(
        interfaces.flatMap(([, endpoint]) =>
          asArray(endpoint.Properties?.SecurityGroupIds).map((id) => JSON.stringify(id)),
        ),
      );
      expect(groups.size).toBe(1);
      const ingress = resourcesOf(network, 'AWS::EC2::SecurityGroupIngress');
      expect(ingress).toHaveLength(1);
      expect(ingress[0]?.[1].Properties).toMatchObject({
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        SourceSecurityGroupId: { 'Fn::GetAtt': [expect.stringMatching(/^NetworkFunctionSecurityGroup/), 'GroupId'] },
      });
      for (const [, group] of resourcesOf(network, 'AWS::EC2::SecurityGroup')) {
        expect(group.Properties?.SecurityGroupIngress).toBeUndefined();
      }
    });

    it('logs all VPC traffic to an encrypted log group', () => {
      gateway.templates.network.hasResourceProperties('AWS::EC2::FlowLog', {
        ResourceType: 'VPC',
        TrafficType: 'ALL',
        LogDestinationType: 'cloud-watch-logs',
      });
    });
  });

  describe('keys and data', () => {
    it('rotates every symmetric KMS key; the one HMAC key (vault tokens) cannot rotate', () => {
      const keys = resourcesOf(gateway.templates.security, 'AWS::KMS::Key');
      const hmac = keys.filter(([, key]) => key.Properties?.KeySpec === 'HMAC_256');
      const symmetric = keys.filter(([, key]) => key.Properties?.KeySpec === undefined);

      expect(hmac).toHaveLength(1);
      expect(symmetric.length).toBeGreaterThanOrEqual(5);
      expect(symmetric.length + hmac.length).toBe(keys.length);
      for (const [id, key] of symmetric) expect(key.Properties?.EnableKeyRotation, id).toBe(true);
    });

    it('lets CloudWatch Logs use the logs key only for this account’s log groups', () => {
      gateway.templates.security.hasResourceProperties('AWS::KMS::Key', {
        Description: Match.stringLikeRegexp('CloudWatch Logs'),
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
              Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } },
            }),
          ]),
        },
      });
    });

    it('realizes every topology table with PITR, deletion protection and a customer-managed key', () => {
      const tables = resourcesOf(gateway.templates.data, 'AWS::DynamoDB::Table');

      expect(tables).toHaveLength(Object.keys(topology.tables).length);
      for (const [id, table] of tables) {
        expect(table.Properties, id).toMatchObject({
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          DeletionProtectionEnabled: true,
          SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: expect.anything() },
        });
        expect(table.DeletionPolicy, id).toBe(deployment === 'prod' ? 'Retain' : 'Delete');
      }
    });

    it('encrypts each table with the key the topology names for it', () => {
      for (const [name, spec] of Object.entries(topology.tables)) {
        const keyExport = JSON.stringify(
          gateway.stacks.data.resolve(gateway.stacks.data.tables.bindings[name]?.key.keyArn),
        );
        expect(keyExport, name).toContain(`Keys${spec.key.charAt(0).toUpperCase()}${spec.key.slice(1)}Key`);
      }
    });

    it('puts every table in an AWS Backup plan with an encrypted vault', () => {
      const data = gateway.templates.data;
      const selected = resourcesOf(data, 'AWS::Backup::BackupSelection').flatMap(([, selection]) =>
        asArray((selection.Properties?.BackupSelection as { Resources?: unknown[] } | undefined)?.Resources),
      );
      const tableIds = resourcesOf(data, 'AWS::DynamoDB::Table').map(([id]) => id);

      expect(selected).toEqual(expect.arrayContaining(tableIds.map((id) => ({ 'Fn::GetAtt': [id, 'Arn'] }))));
      data.hasResourceProperties('AWS::Backup::BackupVault', { EncryptionKeyArn: Match.anyValue() });
    });

    it('archives the event bus for replay', () => {
      gateway.templates.events.resourceCountIs('AWS::Events::EventBus', 1);
      gateway.templates.events.hasResourceProperties('AWS::Events::Archive', {
        RetentionDays: deployment === 'prod' ? 365 : 30,
      });
    });
  });

  describe('audit trail and archive', () => {
    const auditIds = () => {
      const audit = gateway.stacks.audit;
      const idOf = (bucket: { node: { defaultChild?: unknown } }) =>
        audit.getLogicalId(bucket.node.defaultChild as CfnBucket);
      return {
        archive: idOf(audit.archive),
        trailBucket: idOf(audit.trailBucket),
        accessLogs: idOf(audit.accessLogs),
      };
    };
    const trail = () => {
      const trails = resourcesOf(gateway.templates.audit, 'AWS::CloudTrail::Trail');
      expect(trails).toHaveLength(1);
      return trails[0]?.[1].Properties ?? {};
    };
    const selector = (resourceType: string) => dataEventSelector(gateway.templates.audit, resourceType);

    it('records every region with validated, KMS-encrypted log files and an encrypted log group', () => {
      const properties = trail();

      expect(properties).toMatchObject({
        IsLogging: true,
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        EnableLogFileValidation: true,
        S3BucketName: { Ref: auditIds().trailBucket },
        CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
        CloudWatchLogsRoleArn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
      });
      expect(JSON.stringify(properties.KMSKeyId)).toContain('KeysAuditKey');
      expect(properties.AdvancedEventSelectors).toContainEqual({
        Name: expect.any(String),
        FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }],
      });
    });

    it('records item-level events of exactly the vault and audit tables', () => {
      const data = gateway.stacks.data;
      const tableIds = Object.fromEntries(
        Object.entries(data.tables.bindings).map(([name, { table }]) => [
          name,
          data.getLogicalId(table.node.defaultChild as dynamodb.CfnTable),
        ]),
      );
      const tables = selector('AWS::DynamoDB::Table');

      expect(tables?.FieldSelectors).toContainEqual({ Field: 'eventCategory', Equals: ['Data'] });
      const arns = tables?.FieldSelectors.find((field) => field.Field === 'resources.ARN')?.Equals ?? [];
      expect(arns.map((arn) => importedLogicalId(arn, Object.values(tableIds))).sort()).toEqual(
        [tableIds.vault, tableIds.audit].sort(),
      );
    });

    it('records object-level events of the archive bucket only', () => {
      const objects = selector('AWS::S3::Object');

      expect(objects?.FieldSelectors).toContainEqual({ Field: 'eventCategory', Equals: ['Data'] });
      expect(objects?.FieldSelectors.find((field) => field.Field === 'resources.ARN')).toEqual({
        Field: 'resources.ARN',
        StartsWith: [{ 'Fn::Join': ['', [{ 'Fn::GetAtt': [auditIds().archive, 'Arn'] }, '/']] }],
      });
    });

    it.each(['archive', 'trailBucket'] as const)(
      'locks every object version of the %s for the audit retention, in the configured mode',
      (bucket) => {
        const resource = gateway.templates.audit.toJSON().Resources[auditIds()[bucket]] as CfnResourceJson;
        const lock = resource.Properties.ObjectLockConfiguration as {
          ObjectLockEnabled: string;
          Rule: { DefaultRetention: { Days: number; Mode: string } };
        };

        expect(resource.Properties.ObjectLockEnabled).toBe(true);
        expect(lock.ObjectLockEnabled).toBe('Enabled');
        expect(lock.Rule.DefaultRetention.Mode).toBe(config.trailObjectLockMode);
        // Six calendar years, leap days included, whatever the configured retention.
        expect(lock.Rule.DefaultRetention.Days).toBeGreaterThanOrEqual(Math.ceil(6 * 365.25));
        expect(lock.Rule.DefaultRetention.Days).toBeGreaterThanOrEqual(Math.ceil(config.auditRetentionYears * 365.25));
      },
    );

    it.each(['archive', 'trailBucket'] as const)(
      'encrypts the %s with the audit key, versions it, blocks public access and logs access elsewhere',
      (bucket) => {
        const ids = auditIds();
        const resource = gateway.templates.audit.toJSON().Resources[ids[bucket]] as CfnResourceJson;

        expect(resource.Properties).toMatchObject({
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [
              { ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: expect.anything() } },
            ],
          },
          VersioningConfiguration: { Status: 'Enabled' },
          PublicAccessBlockConfiguration: PUBLIC_ACCESS_BLOCKED,
          LoggingConfiguration: { DestinationBucketName: { Ref: ids.accessLogs } },
          LifecycleConfiguration: {
            Rules: [expect.objectContaining({ Transitions: expect.arrayContaining([expect.anything()]) })],
          },
        });
        expect(JSON.stringify(resource.Properties.BucketEncryption)).toContain('KeysAuditKey');
        expect(resource.DeletionPolicy).toBe('Retain');
      },
    );

    it.each(['archive', 'trailBucket', 'accessLogs'] as const)('accepts only TLS requests to the %s', (bucket) => {
      const id = auditIds()[bucket];
      const [, policy] =
        resourcesOf(gateway.templates.audit, 'AWS::S3::BucketPolicy').find(
          ([, candidate]) => (candidate.Properties?.Bucket as { Ref?: string } | undefined)?.Ref === id,
        ) ?? [];

      expect((policy?.Properties?.PolicyDocument as { Statement: unknown[] } | undefined)?.Statement).toContainEqual(
        expect.objectContaining({
          Effect: 'Deny',
          Action: 's3:*',
          Principal: { AWS: '*' },
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        }),
      );
    });

    it('keeps access logs in a private, versioned, retained bucket that is not itself an audit bucket', () => {
      const ids = auditIds();
      const resource = gateway.templates.audit.toJSON().Resources[ids.accessLogs] as CfnResourceJson;

      expect(resource.Properties).toMatchObject({
        VersioningConfiguration: { Status: 'Enabled' },
        PublicAccessBlockConfiguration: PUBLIC_ACCESS_BLOCKED,
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        },
      });
      expect(resource.DeletionPolicy).toBe('Retain');
      expect(new Set([ids.archive, ids.trailBucket, ids.accessLogs]).size).toBe(3);
    });

    it('lets CloudTrail use the audit key only for this account’s trails', () => {
      gateway.templates.security.hasResourceProperties('AWS::KMS::Key', {
        Description: Match.stringLikeRegexp('audit trail'),
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'cloudtrail.amazonaws.com' },
              Action: 'kms:GenerateDataKey*',
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': Match.anyValue() },
              },
            }),
          ]),
        },
      });
    });

    it('alarms through the encrypted alarm topic when the audit controls are changed', () => {
      const [, filter] = resourcesOf(gateway.templates.audit, 'AWS::Logs::MetricFilter')[0] ?? [];
      const pattern = String(filter?.Properties?.FilterPattern);
      for (const name of ['StopLogging', 'DeleteTrail', 'ScheduleKeyDeletion', 'PutObjectLockConfiguration']) {
        expect(pattern).toContain(`"${name}"`);
      }
      const [transformation] = (filter?.Properties?.MetricTransformations ?? []) as { MetricName: string }[];

      gateway.templates.service.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: transformation?.MetricName,
        Threshold: 1,
        // The topic lives in the events stack, beside the bus; the API stack imports it.
        AlarmActions: [{ 'Fn::ImportValue': Match.stringLikeRegexp('AlarmsTopic') }],
      });
    });

    it('outputs the API URL, user pool and client ids, archive bucket name and trail ARN', () => {
      gateway.templates.service.hasOutput('ApiUrl', {});
      gateway.templates.identity.hasOutput('UserPoolId', {});
      gateway.templates.identity.hasOutput('UserPoolClientId', {});
      gateway.templates.audit.hasOutput('AuditArchiveBucketName', { Value: { Ref: auditIds().archive } });
      gateway.templates.audit.hasOutput('TrailArn', { Value: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } });
    });
  });

  describe('identity', () => {
    it('requires MFA, a strong password and threat protection, with admin-created accounts only', () => {
      gateway.templates.identity.hasResourceProperties('AWS::Cognito::UserPool', {
        MfaConfiguration: 'ON',
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 14,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          }),
        },
      });
    });

    it('has one group per staff role', () => {
      const groups = resourcesOf(gateway.templates.identity, 'AWS::Cognito::UserPoolGroup').map(
        ([, group]) => group.Properties?.GroupName,
      );

      expect(groups.sort()).toEqual([...ROLES].sort());
    });

    it('outputs the user pool id', () => {
      gateway.templates.identity.hasOutput('UserPoolId', {});
    });
  });

  describe('API', () => {
    it('realizes every topology route as a method', () => {
      const routes = apiRoutes(gateway.templates.service).map((route) => `${route.method} ${route.path}`);
      const declared = Object.values(topology.functions).flatMap((spec) =>
        (spec.routes ?? []).map((route) => `${route.method} ${route.path}`),
      );

      expect(routes.sort()).toEqual(declared.sort());
    });

    it('authorizes every route with Cognito except those the topology declares auth: none (health, public FAQ)', () => {
      const unauthenticated = new Set(
        Object.values(topology.functions).flatMap((spec) =>
          (spec.routes ?? []).filter((route) => route.auth === 'none').map((route) => route.path),
        ),
      );
      expect([...unauthenticated].sort()).toEqual(['/v1/health', '/v1/public/faq']);
      for (const route of apiRoutes(gateway.templates.service)) {
        if (unauthenticated.has(route.path)) {
          expect(route.authorizationType, route.path).toBe('NONE');
        } else {
          expect(route.authorizationType, route.path).toBe('COGNITO_USER_POOLS');
          expect(route.authorizerId, route.path).toBeDefined();
        }
      }
      gateway.templates.service.hasResourceProperties('AWS::ApiGateway::Authorizer', {
        Type: 'COGNITO_USER_POOLS',
      });
    });

    it('validates requests, requires TLS 1.2, and does not cache', () => {
      const service = gateway.templates.service;
      service.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
        ValidateRequestBody: true,
        ValidateRequestParameters: true,
      });
      service.hasResourceProperties('AWS::ApiGateway::RestApi', {
        SecurityPolicy: 'TLS_1_2',
        EndpointConfiguration: { Types: ['REGIONAL'] },
      });
      for (const [, method] of resourcesOf(service, 'AWS::ApiGateway::Method')) {
        expect(method.Properties?.RequestValidatorId).toBeDefined();
      }
    });

    it('traces, throttles and access-logs the stage, and never logs request bodies', () => {
      gateway.templates.service.hasResourceProperties('AWS::ApiGateway::Stage', {
        TracingEnabled: true,
        AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('"userId"') },
        MethodSettings: [
          Match.objectLike({
            DataTraceEnabled: false,
            LoggingLevel: 'ERROR',
            ThrottlingRateLimit: config.apiThrottle.rateLimit,
            ThrottlingBurstLimit: config.apiThrottle.burstLimit,
          }),
          // The public FAQ's own, stricter limit from the topology.
          Match.objectLike({ ResourcePath: '/~1v1~1public~1faq', HttpMethod: 'POST', ThrottlingRateLimit: 2 }),
        ],
      });
    });

    it('associates a WAF web ACL with managed rule groups and a rate limit to the stage', () => {
      const service = gateway.templates.service;
      service.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
      service.hasResourceProperties('AWS::WAFv2::WebACL', {
        Scope: 'REGIONAL',
        Rules: Match.arrayWith([
          Match.objectLike({
            Statement: { ManagedRuleGroupStatement: Match.objectLike({ Name: 'AWSManagedRulesCommonRuleSet' }) },
          }),
          Match.objectLike({
            Statement: {
              ManagedRuleGroupStatement: Match.objectLike({ Name: 'AWSManagedRulesKnownBadInputsRuleSet' }),
            },
          }),
          Match.objectLike({
            Action: { Block: {} },
            Statement: { RateBasedStatement: { AggregateKeyType: 'IP', Limit: config.wafRateLimitPerIp } },
          }),
        ]),
      });
      service.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
        RedactedFields: Match.arrayWith([{ SingleHeader: { Name: 'authorization' } }]),
      });
    });

    it.each([
      ['MISSING_AUTHENTICATION_TOKEN', '404', 'ROUTE_NOT_FOUND'],
      ['UNAUTHORIZED', '401', 'UNAUTHENTICATED'],
      ['THROTTLED', '429', 'TOO_MANY_REQUESTS'],
      ['REQUEST_TOO_LARGE', '413', 'PAYLOAD_TOO_LARGE'],
    ])("answers API Gateway's %s with %s and the %s error envelope", (type, status, code) => {
      const [, response] =
        resourcesOf(gateway.templates.service, 'AWS::ApiGateway::GatewayResponse').find(
          ([, resource]) => resource.Properties?.ResponseType === type,
        ) ?? [];
      expect(response?.Properties).toMatchObject({
        StatusCode: status,
        ResponseParameters: { 'gatewayresponse.header.Content-Type': "'application/json'" },
      });
      const body = JSON.parse(
        (response?.Properties?.ResponseTemplates as Record<string, string> | undefined)?.['application/json'] ?? '',
      ) as { error: Record<string, string> };
      expect(body.error).toMatchObject({ code, message: expect.any(String), correlationId: '$context.requestId' });
    });

    it('customizes every gateway response the error table declares', () => {
      const types = resourcesOf(gateway.templates.service, 'AWS::ApiGateway::GatewayResponse').map(
        ([, response]) => response.Properties?.ResponseType,
      );

      expect(types.sort()).toEqual(GATEWAY_ERROR_RESPONSES.map((response) => response.type.responseType).sort());
    });

    it('outputs the API URL', () => {
      gateway.templates.service.hasOutput('ApiUrl', {});
    });
  });

  describe('encounter socket', () => {
    it('answers messages as the route response of $default and grants no function @connections access', () => {
      const socket = gateway.templates.clinicalFunctions;
      if (!socket) throw new Error('no clinical functions stack');
      socket.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: '$default',
        RouteResponseSelectionExpression: '$default',
      });
      socket.resourceCountIs('AWS::ApiGatewayV2::RouteResponse', 1);
      socket.hasResourceProperties('AWS::ApiGatewayV2::RouteResponse', { RouteResponseKey: '$default' });
      for (const routeKey of ['$connect', '$disconnect']) {
        const [, route] =
          resourcesOf(socket, 'AWS::ApiGatewayV2::Route').find(([, r]) => r.Properties?.RouteKey === routeKey) ?? [];
        expect(route?.Properties?.RouteResponseSelectionExpression, routeKey).toBeUndefined();
      }
      expect(JSON.stringify(socket.toJSON())).not.toContain('execute-api:ManageConnections');
      expect(JSON.stringify(gateway.templates.service.toJSON())).not.toContain('@connections');
    });

    it("sets API Gateway's account logging role once, in the Security stack, and every stage waits for it", () => {
      gateway.templates.security.resourceCountIs('AWS::ApiGateway::Account', 1);
      gateway.templates.service.resourceCountIs('AWS::ApiGateway::Account', 0);
      const logging = gateway.stacks.security.apiGatewayLogging;
      const socketApi = gateway.stacks.clinicalFunctions?.node.findChild('EncounterSocket') as EncounterWebSocketApi;
      expect(socketApi.stage.node.dependencies).toContain(logging);
      expect(gateway.stacks.service.api.restApi.deploymentStage.node.dependencies).toContain(logging);
      // Cross-stack dependencies become stack order: both API stacks deploy after the Security stack.
      expect(gateway.stacks.clinicalFunctions?.dependencies).toContain(gateway.stacks.security);
      expect(gateway.stacks.service.dependencies).toContain(gateway.stacks.security);
    });
  });

  describe('functions', () => {
    it('runs one hardened function per topology function: arm64 Node 24, in the VPC, traced', () => {
      const functions = resourcesOf(gateway.templates.service, 'AWS::Lambda::Function');
      const outsideVpc = new Set(
        Object.entries(topology.functions)
          .filter(([, spec]) => spec.network)
          .map(([name]) => gateway.stacks.service.functions[name]?.function.node.defaultChild as CfnFunction),
      );

      expect(functions).toHaveLength(Object.keys(topology.functions).length);
      for (const [id, fn] of functions) {
        // Checked by the next test.
        if ([...outsideVpc].some((cfn) => Stack.of(cfn).getLogicalId(cfn) === id)) continue;
        expect(fn.Properties, id).toMatchObject({
          Architectures: ['arm64'],
          Runtime: 'nodejs24.x',
          TracingConfig: { Mode: 'Active' },
          VpcConfig: { SubnetIds: expect.any(Array), SecurityGroupIds: [expect.anything()] },
          DeadLetterConfig: { TargetArn: expect.anything() },
          KmsKeyArn: expect.anything(),
          ReservedConcurrentExecutions: config.reservedConcurrency.default,
          LoggingConfig: { LogFormat: 'JSON', LogGroup: expect.anything() },
          Environment: {
            Variables: expect.objectContaining({
              NODE_OPTIONS: '--enable-source-maps',
              POWERTOOLS_SERVICE_NAME: 'clinical-ai-gateway',
              POWERTOOLS_METRICS_NAMESPACE: 'ClinicalAiGateway',
            }),
          },
        });
        expect((fn.Properties?.VpcConfig as { SubnetIds: unknown[] } | undefined)?.SubnetIds).toHaveLength(
          config.maxAzs,
        );
      }
    });

    it('runs only the socket authorizer (phi: none, no data) outside the VPC, without the network-interface grants', () => {
      const outside = Object.entries(topology.functions).filter(([, spec]) => spec.network);
      expect(outside.map(([name]) => name)).toEqual(['encounterAuthorizer']);
      for (const [name, spec] of Object.entries(topology.functions)) {
        const hardened = gateway.stacks.service.functions[name];
        const fn = hardened?.function.node.defaultChild as CfnFunction;
        if (!spec.network) {
          expect(fn.vpcConfig, name).toBeDefined();
          continue;
        }
        expect(fn.vpcConfig, name).toBeUndefined();
        expect(spec.network.phi).toBe('none');
        expect(spec.tables ?? {}).toEqual({});
        expect(spec.capabilities ?? []).toEqual([]);
        const statements = identityStatements(gateway.templates.service).filter((statement) =>
          JSON.stringify(statement).includes('ec2:CreateNetworkInterface'),
        );
        // Every in-VPC function has the network-interface statement; the authorizer alone does not.
        expect(statements).toHaveLength(Object.keys(topology.functions).length - outside.length);
      }
    });

    it('gives each function the timeout and memory the topology declares, or the defaults', () => {
      for (const [name, spec] of Object.entries(topology.functions)) {
        const fn = gateway.stacks.service.functions[name]?.function.node.defaultChild as CfnFunction;
        expect(fn.memorySize, name).toBe(spec.memoryMb ?? FUNCTION_DEFAULTS.memoryMb);
        expect(fn.timeout, name).toBe(spec.timeoutSeconds ?? FUNCTION_DEFAULTS.timeoutSeconds);
      }
    });

    it('keeps every log group encrypted and on the configured retention', () => {
      for (const template of Object.values(gateway.templates)) {
        for (const [id, group] of resourcesOf(template, 'AWS::Logs::LogGroup')) {
          expect(group.Properties, id).toMatchObject({
            KmsKeyId: expect.anything(),
            RetentionInDays: config.logRetentionDays,
          });
        }
      }
    });

    it('binds each declared table: env var with its name, grants on it and its key only', () => {
      const service = gateway.stacks.service;
      for (const [name, spec] of Object.entries(topology.functions)) {
        const fn = service.functions[name];
        if (!fn) throw new Error(`No function ${name} in the service stack`);
        const { variables } = service.resolve((fn.function.node.defaultChild as CfnFunction).environment) as {
          variables: Record<string, unknown>;
        };
        for (const [table, access] of Object.entries(spec.tables ?? {})) {
          expect(variables[tableEnvVar(table)], `${name} -> ${table}`).toBeDefined();
          const { Statement } = service.resolve(fn.role.policy?.document.toJSON()) as {
            Statement: { Sid?: string; Action: string | string[]; Resource: unknown }[];
          };
          const grant = Statement.find((statement) => statement.Sid === tableGrantSid(table, access ?? 'read'));
          expect(new Set(asArray(grant?.Action)), `${name} -> ${table}`).toEqual(
            new Set(TABLE_ACTIONS[access ?? 'read']),
          );
          expect(JSON.stringify(grant?.Resource)).toContain(pascalCase(table));
        }
        expect(variables.EVENT_BUS_NAME !== undefined, name).toBe((spec.capabilities ?? []).includes('events:publish'));
      }
    });

    it('grants no S3, DynamoDB, KMS or Bedrock action on Resource "*"', () => {
      for (const [stack, template] of Object.entries(gateway.templates)) {
        for (const { owner, statement } of identityStatements(template)) {
          if (statement.Effect !== 'Allow' || !asArray(statement.Resource).includes('*')) continue;
          const sensitive = asArray(statement.Action).filter((action) => /^(s3|dynamodb|kms|bedrock):/.test(action));
          expect(sensitive, `${stack}/${owner}`).toEqual([]);
        }
      }
    });

    it('uses customer-managed policies only: no inline policy and no AWS managed policy on a function role', () => {
      const service = gateway.templates.service;
      service.resourceCountIs('AWS::IAM::Policy', 0);
      for (const fn of Object.values(gateway.stacks.service.functions)) {
        const role =
          service.toJSON().Resources[gateway.stacks.service.getLogicalId(fn.role.node.defaultChild as CfnRole)];
        expect(role.Properties.Policies).toBeUndefined();
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });

    it('puts an encrypted dead-letter queue with a depth alarm behind every function', () => {
      const service = gateway.templates.service;
      const queues = resourcesOf(service, 'AWS::SQS::Queue');
      const alarmedQueues = resourcesOf(service, 'AWS::CloudWatch::Alarm')
        .filter(([, alarm]) => alarm.Properties?.MetricName === 'ApproximateNumberOfMessagesVisible')
        .map(([, alarm]) => {
          expect(alarm.Properties?.AlarmActions).toHaveLength(1);
          return JSON.stringify((alarm.Properties?.Dimensions as { Value: unknown }[] | undefined)?.[0]?.Value);
        });

      expect(queues.length).toBeGreaterThanOrEqual(Object.keys(topology.functions).length);
      for (const [id, queue] of queues) {
        expect(queue.Properties?.KmsMasterKeyId, id).toBeDefined();
        expect(alarmedQueues, id).toContain(JSON.stringify({ 'Fn::GetAtt': [id, 'QueueName'] }));
      }
      gateway.templates.events.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    });
  });
});

describe('topology realization', () => {
  // A topology with what the real one may not have: an event rule, a schedule, an index, an audit table without a
  // vault table, and one function with both audit capabilities.
  const fixture = defineTopology({
    tables: {
      records: {
        description: 'Fixture records with an index',
        partitionKey: { name: 'pk', type: 'S' },
        sortKey: { name: 'sk', type: 'S' },
        indexes: [{ name: 'byPatient', partitionKey: { name: 'patientId', type: 'S' } }],
        ttlAttribute: 'expiresAt',
        key: 'app',
      },
      auditLog: {
        description: 'Fixture audit table',
        partitionKey: { name: 'pk', type: 'S' },
        key: 'audit',
      },
    },
    functions: {
      health: {
        description: 'Liveness',
        area: 'gateway',
        entry: 'functions/health/handler.ts',
        routes: [{ method: 'GET', path: '/v1/health', auth: 'none' }],
      },
      noteWriter: {
        description: 'Writes notes when asked, and sweeps nightly',
        area: 'gateway',
        entry: 'functions/health/handler.ts',
        routes: [
          { method: 'POST', path: '/v1/notes', auth: 'user' },
          { method: 'GET', path: '/v1/notes/{noteId}', auth: 'user' },
        ],
        rules: [
          {
            name: 'note-requested',
            pattern: { source: ['clinical-ai-gateway.drafts'], 'detail-type': ['Note.Requested'] },
          },
        ],
        schedules: [{ name: 'nightly-sweep', expression: 'cron(0 6 * * ? *)' }],
        tables: { records: 'readwrite', auditLog: 'read' },
        capabilities: ['events:publish', 'audit:write', 'audit:archive'],
        timeoutSeconds: 30,
        memoryMb: 768,
      },
    },
  });
  // Prod with a PRIVATE API: the branch the default profiles do not synthesize.
  const config = loadDeploymentConfig({
    deployment: 'prod',
    deploymentOverrides: {
      alarmEmail: 'oncall@practice.example',
      apiEndpointType: 'PRIVATE',
      privateApiClientCidrs: ['10.90.0.0/16'],
      reservedConcurrency: { functions: { noteWriter: 7 } },
    },
  });
  let gateway: SynthesizedGateway;

  beforeAll(() => {
    gateway = synthesizeGateway(config, fixture);
  }, SYNTH_TIMEOUT);
  afterAll(() => gateway?.dispose());

  it('passes the packs with the rule, schedule and PRIVATE API in place', () => {
    expect(reportedFindings(gateway.outdir)).toEqual([]);
  });

  it('grants audit:archive PutObject on the archive bucket’s objects, the only S3 action of any function', () => {
    const audit = gateway.stacks.audit;
    const archiveId = audit.getLogicalId(audit.archive.node.defaultChild as CfnBucket);
    const statements = identityStatements(gateway.templates.service).map(({ statement }) => statement);
    const s3Statements = statements.filter((statement) =>
      asArray(statement.Action).some((action) => action.startsWith('s3:')),
    );

    expect(s3Statements).toEqual([
      expect.objectContaining({
        Sid: 'ArchiveAuditExports',
        Action: 's3:PutObject',
        Resource: {
          'Fn::Join': ['', [{ 'Fn::ImportValue': expect.stringContaining(`FnGetAtt${archiveId}Arn`) }, '/*']],
        },
      }),
    ]);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Sid: 'ArchiveAuditExportsKey',
        Action: 'kms:GenerateDataKey',
        Resource: { 'Fn::ImportValue': expect.stringContaining('KeysAuditKey') },
        Condition: expect.objectContaining({
          StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } },
        }),
      }),
    );
  });

  it('sets the audit retention (audit:write) and archive bucket (audit:archive) for the function with both', () => {
    const audit = gateway.stacks.audit;
    const archiveId = audit.getLogicalId(audit.archive.node.defaultChild as CfnBucket);
    const service = gateway.stacks.service;
    const variablesOf = (name: string) => {
      const id = service.getLogicalId(service.functions[name]?.function.node.defaultChild as CfnFunction);
      const fn = gateway.templates.service.toJSON().Resources[id] as CfnResourceJson;
      return (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
    };

    expect(variablesOf('noteWriter')).toMatchObject({
      AUDIT_RETENTION_YEARS: String(config.auditRetentionYears),
      AUDIT_ARCHIVE_BUCKET: { 'Fn::ImportValue': expect.stringContaining(`ExportsOutputRef${archiveId}`) },
    });
    expect(variablesOf('health')).not.toHaveProperty('AUDIT_ARCHIVE_BUCKET');
    expect(variablesOf('health')).not.toHaveProperty('AUDIT_RETENTION_YEARS');
  });

  it('records item-level events of the audit table but not of an application table', () => {
    const data = gateway.stacks.data;
    const idOf = (name: string) =>
      data.getLogicalId(data.tables.bindings[name]?.table.node.defaultChild as dynamodb.CfnTable);
    const tables = dataEventSelector(gateway.templates.audit, 'AWS::DynamoDB::Table');
    const arns = tables?.FieldSelectors.find((field) => field.Field === 'resources.ARN')?.Equals ?? [];

    expect(arns.map((arn) => importedLogicalId(arn, [idOf('auditLog'), idOf('records')]))).toEqual([idOf('auditLog')]);
  });

  it('creates the declared rule on the application bus with the same pattern, a retry policy and a DLQ', () => {
    const rules = resourcesOf(gateway.templates.service, 'AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    const [, rule] = rules[0] ?? [];

    expect(rule?.Properties?.EventPattern).toEqual(fixture.functions.noteWriter?.rules?.[0]?.pattern);
    expect(JSON.stringify(rule?.Properties?.EventBusName)).toContain('Events');
    for (const target of asArray(rule?.Properties?.Targets as Record<string, unknown>[])) {
      expect(target).toMatchObject({
        Arn: { 'Fn::GetAtt': [expect.stringMatching(/^NoteWriterFunction/), 'Arn'] },
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/DeadLetters/), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: expect.any(Number), MaximumEventAgeInSeconds: expect.any(Number) },
      });
    }
  });

  it('creates the declared schedule with the same expression, its own role and a DLQ', () => {
    gateway.templates.service.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(0 6 * * ? *)',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: {
        Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^NoteWriterFunction'), 'Arn'] },
        RoleArn: Match.anyValue(),
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [Match.stringLikeRegexp('NightlySweepScheduleDeadLetters'), 'Arn'] } },
        RetryPolicy: Match.objectLike({ MaximumRetryAttempts: Match.anyValue() }),
      },
    });
  });

  it('alarms on every dead-letter queue: the function’s, the rule’s and the schedule’s', () => {
    const service = gateway.templates.service;
    const queues = resourcesOf(service, 'AWS::SQS::Queue').map(([id]) => id);
    const watched = resourcesOf(service, 'AWS::CloudWatch::Alarm').map(([, alarm]) =>
      JSON.stringify((alarm.Properties?.Dimensions as { Value: unknown }[] | undefined)?.[0]?.Value),
    );

    expect(queues).toHaveLength(4);
    for (const id of queues) expect(watched).toContain(JSON.stringify({ 'Fn::GetAtt': [id, 'QueueName'] }));
  });

  it('realizes the index and TTL, backs up the audit table for the audit retention, and grants the named index', () => {
    const data = gateway.templates.data;
    data.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: [Match.objectLike({ IndexName: 'byPatient' })],
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
    data.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: { BackupPlanRule: [Match.objectLike({ Lifecycle: { DeleteAfterDays: 366 * 6 } })] },
    });
    const statements = identityStatements(gateway.templates.service).map(({ statement }) => statement);
    expect(statements).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Sid: 'RecordsTableReadWrite',
          Resource: expect.arrayContaining([{ 'Fn::Join': ['', [expect.anything(), '/index/byPatient']] }]),
        }),
        expect.objectContaining({ Sid: 'AuditLogTableRead', Action: [...TABLE_ACTIONS.read].sort() }),
      ]),
    );
  });

  it('applies per-function overrides: timeout, memory and reserved concurrency', () => {
    gateway.templates.service.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 30,
      MemorySize: 768,
      ReservedConcurrentExecutions: 7,
      Environment: {
        Variables: Match.objectLike({ TABLE_RECORDS: Match.anyValue(), EVENT_BUS_NAME: Match.anyValue() }),
      },
    });
  });

  it('serves a PRIVATE API only through the VPC endpoint, without WAF', () => {
    const service = gateway.templates.service;
    service.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['PRIVATE'], VpcEndpointIds: [Match.anyValue()] },
      Policy: {
        Statement: [Match.objectLike({ Condition: { StringEquals: { 'aws:SourceVpce': Match.anyValue() } } })],
      },
    });
    service.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
    const executeApi = resourcesOf(gateway.templates.network, 'AWS::EC2::VPCEndpoint').filter(
      ([, endpoint]) => serviceNameSuffix(endpoint.Properties?.ServiceName) === 'execute-api',
    );
    expect(executeApi).toHaveLength(1);
    gateway.templates.network.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [Match.objectLike({ CidrIp: '10.90.0.0/16', FromPort: 443, ToPort: 443 })],
    });
  });

  it('authorizes the fixture’s user routes, path parameters included', () => {
    const routes = apiRoutes(gateway.templates.service);

    expect(routes.map((route) => `${route.method} ${route.path} ${String(route.authorizationType)}`).sort()).toEqual([
      'GET /v1/health NONE',
      'GET /v1/notes/{noteId} COGNITO_USER_POOLS',
      'POST /v1/notes COGNITO_USER_POOLS',
    ]);
  });
});

describe('network placement', () => {
  const config = loadDeploymentConfig({ deployment: 'dev' });
  const REASON = 'Verifies a token against a public endpoint and never sees patient data';
  const withFunction = (spec: Record<string, unknown>) =>
    defineTopology({
      tables: { records: { description: 'Records', partitionKey: { name: 'pk', type: 'S' }, key: 'app' } },
      functions: {
        outside: {
          description: 'A function placed outside the VPC',
          area: 'gateway',
          entry: 'functions/health/handler.ts',
          network: { placement: 'outside-vpc', phi: 'none', reason: REASON },
          ...spec,
        } as never,
      },
    });

  it('refuses a function outside the VPC that could reach data or take requests', () => {
    const build = (spec: Record<string, unknown>) => () =>
      buildApp({ config, topology: withFunction(spec), bundle: false });
    expect(build({ tables: { records: 'read' } })).toThrow(/must reach no data.*table records/);
    expect(build({ capabilities: ['events:publish'] })).toThrow(/capability events:publish/);
    expect(build({ routes: [{ method: 'GET', path: '/v1/x', auth: 'user' }] })).toThrow(/route GET \/v1\/x/);
    expect(build({ socketRoutes: [{ routeKey: '$default' }] })).toThrow(/socket route \$default/);
  });

  it("refuses a placement without phi: 'none' or without a reason", () => {
    const build = (network: unknown) => () => buildApp({ config, topology: withFunction({ network }), bundle: false });
    expect(build({ placement: 'outside-vpc', phi: 'some', reason: REASON })).toThrow(/phi: 'none'/);
    expect(build({ placement: 'outside-vpc', phi: 'none', reason: 'because' })).toThrow(/must say why/);
  });
});

describe('the cdk-nag gate itself', () => {
  const scratch = mkdtempSync(path.join(tmpdir(), 'cag-nag-gate-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('fails synthesis when a pack reports an error-level finding', () => {
    const app = new App({ outdir: path.join(scratch, 'error') });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    new sqs.Queue(new Stack(app, 'Careless'), 'Plaintext', { encryption: sqs.QueueEncryption.UNENCRYPTED });

    expect(() => app.synth()).toThrow(/AwsSolutions-SQS2/);
  });

  it('fails synthesis on a warning-level finding as well, and records it in the report the tests read', () => {
    const outdir = path.join(scratch, 'warning');
    const app = new App({ outdir });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    const stack = new Stack(app, 'Careless');
    unprotectedTable(stack);
    // cdk-nag reports a warning as a failed check even when other rules are acknowledged.
    Validations.of(stack).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: 'An unrelated acknowledgement for the test.',
    });

    expect(() => app.synth()).toThrow(/AwsSolutions-DDB3/);
    expect(reportedFindings(outdir)).toEqual([
      expect.objectContaining({ rule: 'AwsSolutions-DDB3', severity: 'warning', constructPath: 'Careless/NoPitr' }),
    ]);
  });

  it(
    'is registered by buildApp with all three packs',
    () => {
      const outdir = path.join(scratch, 'registered');
      const { app, stacks } = buildApp({
        config: CONFIGS.dev,
        topology,
        bundle: false,
        outdir,
        context: cdkJsonContext(),
      });
      unprotectedTable(stacks.service);

      let message = '';
      try {
        app.synth();
      } catch (error) {
        message = String((error as Error).message);
      }
      for (const pack of NAG_PACKS) expect(message, pack).toContain(`${pack}-`);
    },
    SYNTH_TIMEOUT,
  );

  it(
    'acknowledges only findings that exist: each acknowledgement matches a finding made without it',
    () => {
      const { app: acknowledged } = buildApp({
        config: CONFIGS.dev,
        topology,
        bundle: false,
        context: cdkJsonContext(),
      });
      const expected = acknowledgements(acknowledged).filter((a) =>
        NAG_PACKS.some((pack) => a.rule.startsWith(`${pack}-`)),
      );

      const ignore = vi.spyOn(Validations.prototype, 'acknowledge').mockImplementation(() => undefined);
      try {
        const { app } = buildApp({ config: CONFIGS.dev, topology, bundle: false, context: cdkJsonContext() });
        const findings = [new AwsSolutionsChecks(), new HIPAASecurityChecks(), new NIST80053R5Checks()].flatMap(
          (pack) =>
            pack.validateScope(app).violations.flatMap((violation) =>
              violation.violatingResources.map((resource) => ({
                rule: violation.ruleName,
                path: resource.constructPath,
              })),
            ),
        );
        for (const { rule, constructPath } of expected) {
          const matched = findings.some(
            (finding) =>
              finding.rule === rule &&
              (finding.path === constructPath || (finding.path ?? '').startsWith(`${constructPath}/`)),
          );
          expect(matched, `${rule} at ${constructPath}`).toBe(true);
        }
      } finally {
        ignore.mockRestore();
      }
    },
    SYNTH_TIMEOUT,
  );
});

/** A table without point-in-time recovery: a finding in all three packs (a warning in AwsSolutions). */
function unprotectedTable(stack: Stack): dynamodb.CfnTable {
  return new dynamodb.CfnTable(stack, 'NoPitr', {
    keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
    attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
    billingMode: 'PAY_PER_REQUEST',
  });
}

describe('cdk.json', () => {
  it('sets no CDK v1 feature flag, which CDK v2 refuses when `cdk synth` builds a stack', () => {
    const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
      context: Record<string, unknown>;
    };
    const refused = Object.keys(cdkJson.context).filter((flag) => CURRENT_VERSION_EXPIRED_FLAGS.includes(flag));

    expect(refused).toEqual([]);
  });
});
