/** Stateless: one hardened function per topology function, with its API routes, event rules and schedules. */
import path from 'node:path';
import { CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { DeploymentConfig } from '../config.ts';
import { AlarmTopic } from '../constructs/alarm-topic.ts';
import { ApiFirewall } from '../constructs/api-firewall.ts';
import { bindTable } from '../constructs/bind-table.ts';
import { ClinicalApi } from '../constructs/clinical-api.ts';
import type { KeyRing } from '../constructs/encryption-keys.ts';
import { FunctionTriggers } from '../constructs/function-triggers.ts';
import { grantCapability } from '../constructs/grant-capability.ts';
import { HardenedFunction } from '../constructs/hardened-function.ts';
import type { FunctionPlacement } from '../constructs/isolated-network.ts';
import { pascalCase } from '../constructs/pascal-case.ts';
import type { TableBinding } from '../constructs/topology-tables.ts';
import type { FunctionSpec, Topology } from '../topology/types.ts';
import { statefulRemovalPolicy } from './stateful-removal-policy.ts';

/** Lambda's defaults (3 s, 128 MB) are too small for a middy + Powertools handler with a cold start. */
export const FUNCTION_DEFAULTS = { timeoutSeconds: 10, memoryMb: 512 } as const;

export interface ServiceStackProps extends StackProps {
  readonly config: DeploymentConfig;
  readonly topology: Topology;
  /** Repository root: function entries in the topology are relative to it. */
  readonly projectRoot: string;
  readonly keys: KeyRing;
  readonly placement: FunctionPlacement;
  readonly privateApiEndpoint: ec2.IInterfaceVpcEndpoint | undefined;
  /** By the topology's logical table name. */
  readonly tables: Readonly<Record<string, TableBinding>>;
  readonly eventBus: events.IEventBus;
  readonly userPool: cognito.IUserPool;
  /** The object-locked bucket of the daily audit exports (`audit:archive`). */
  readonly auditArchive: s3.IBucket;
  /** Changes to the audit controls (trail, keys, archive lock) seen by CloudTrail; any one raises an alarm. */
  readonly auditControlChanges: cloudwatch.IMetric;
}

export class ServiceStack extends Stack {
  readonly api: ClinicalApi;
  readonly alarmTopic: AlarmTopic;
  /** Incident notices for the privacy officer: ids and kinds only, never PHI. */
  readonly privacyTopic: AlarmTopic;
  /** By the topology's function name. */
  readonly functions: Readonly<Record<string, HardenedFunction>>;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config, keys } = props;
    // Log groups here hold access records; they follow the stateful policy even though this stack is stateless.
    const removalPolicy = statefulRemovalPolicy(config);

    this.alarmTopic = new AlarmTopic(this, 'Alarms', { encryptionKey: keys.messaging, email: config.alarmEmail });
    this.privacyTopic = new AlarmTopic(this, 'PrivacyNotices', {
      encryptionKey: keys.messaging,
      email: config.privacyOfficerEmail ?? config.alarmEmail,
      displayName: 'Clinical AI gateway privacy notices',
    });
    new cloudwatch.Alarm(this, 'AuditControlChangeAlarm', {
      metric: props.auditControlChanges,
      alarmDescription:
        'CloudTrail recorded a change to the audit controls: trail stopped or changed, a key disabled or scheduled ' +
        'for deletion, a bucket policy or Object Lock setting changed, or an archived object deleted',
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }).addAlarmAction(new actions.SnsAction(this.alarmTopic.topic));

    this.api = new ClinicalApi(this, 'Api', {
      description: `${config.practiceName}: clinical AI gateway`,
      stageName: config.environment,
      endpointType: config.apiEndpointType,
      privateEndpoint: props.privateApiEndpoint,
      userPool: props.userPool,
      logsKey: keys.logs,
      logRetention: config.logRetentionDays,
      removalPolicy,
      throttle: config.apiThrottle,
    });
    if (config.apiEndpointType === 'REGIONAL') {
      new ApiFirewall(this, 'Firewall', {
        stage: this.api.stage,
        rateLimitPerIp: config.wafRateLimitPerIp,
        logsKey: keys.logs,
        logRetention: config.logRetentionDays,
        removalPolicy,
      });
    } else {
      const reason =
        'The API is PRIVATE: reachable only through the VPC execute-api endpoint from the configured practice ' +
        'networks, so there is no internet-facing stage to put behind WAF.';
      for (const id of [
        'AwsSolutions-APIG3',
        'HIPAA.Security-APIGWAssociatedWithWAF',
        'NIST.800.53.R5-APIGWAssociatedWithWAF',
      ]) {
        Validations.of(this.api.stage).acknowledge({ id, reason });
      }
    }

    const functions: Record<string, HardenedFunction> = {};
    for (const [name, spec] of Object.entries(props.topology.functions)) {
      functions[name] = this.addFunction(name, spec, props);
    }
    this.functions = functions;

    new CfnOutput(this, 'ApiUrl', { value: this.api.restApi.url });
  }

  private addFunction(name: string, spec: FunctionSpec, props: ServiceStackProps): HardenedFunction {
    const { config, keys } = props;
    const id = pascalCase(name);
    const fn = new HardenedFunction(this, id, {
      entry: path.join(props.projectRoot, spec.entry),
      description: spec.description,
      projectRoot: props.projectRoot,
      timeout: Duration.seconds(spec.timeoutSeconds ?? FUNCTION_DEFAULTS.timeoutSeconds),
      memorySize: spec.memoryMb ?? FUNCTION_DEFAULTS.memoryMb,
      reservedConcurrency: config.reservedConcurrency.functions[name] ?? config.reservedConcurrency.default,
      placement: props.placement,
      keys: { environment: keys.app, logs: keys.logs, deadLetters: keys.messaging },
      alarmTopic: this.alarmTopic.topic,
      logRetention: config.logRetentionDays,
      removalPolicy: statefulRemovalPolicy(config),
    });

    for (const [tableName, access] of Object.entries(spec.tables ?? {})) {
      const binding = props.tables[tableName];
      if (!binding || !access) throw new Error(`Function ${name} uses unknown table ${tableName}`);
      bindTable(fn, tableName, binding, access);
    }
    for (const capability of spec.capabilities ?? []) {
      grantCapability(fn, capability, {
        eventBus: props.eventBus,
        vaultKey: keys.vault,
        tokenMacKey: keys.tokenMac,
        vaultRetentionDays: config.vaultRetentionDays,
        auditRetentionYears: config.auditRetentionYears,
        auditArchive: props.auditArchive,
        bedrockModelIds: Object.values(config.approvedModels),
        privacyTopic: this.privacyTopic.topic,
      });
    }
    for (const route of spec.routes ?? []) {
      this.api.addRoute(route, fn.function, name);
    }
    if ((spec.rules?.length ?? 0) > 0 || (spec.schedules?.length ?? 0) > 0) {
      new FunctionTriggers(this, `${id}Triggers`, {
        functionName: name,
        target: fn.function,
        rules: spec.rules ?? [],
        schedules: spec.schedules ?? [],
        eventBus: props.eventBus,
        deadLetterKey: keys.messaging,
        alarmTopic: this.alarmTopic.topic,
      });
    }
    return fn;
  }
}
